namespace Network.CaptivePortal.Accounts;

/// <summary>
/// Full password hashing and verification (Argon2id, PBKDF2 for imported hashes), at most
/// <see cref="AccountsOptions.MaxConcurrentHashes"/> at once (each Argon2 run holds 19 MiB). An unknown user is verified
/// against a dummy hash at the current cost, so it pays the same as a wrong password.
/// </summary>
internal sealed class PasswordVerifier : IDisposable
{
    private readonly SemaphoreSlim _hashGate;
    private readonly Lazy<PasswordHash> _dummyHash;
    private long _fullVerifications;

    public PasswordVerifier(Argon2Parameters parameters, int maxConcurrentHashes)
    {
        Hasher = new PasswordHasher(parameters);
        int concurrency = maxConcurrentHashes > 0 ? maxConcurrentHashes : Environment.ProcessorCount;
        _hashGate = new SemaphoreSlim(concurrency, concurrency);
        // A hash of a random password at the current cost.
        _dummyHash = new Lazy<PasswordHash>(() =>
        {
            return PasswordHash.TryParse(Hasher.Hash(Guid.NewGuid().ToString("N")), out PasswordHash? dummy)
                ? dummy
                : throw new InvalidOperationException("The hasher wrote a hash it cannot read.");
        });
    }

    public PasswordHasher Hasher { get; }

    /// <summary>Full hash computations so far (Argon2 or PBKDF2), the dummy ones included.</summary>
    public long FullVerifications => Interlocked.Read(ref _fullVerifications);

    /// <summary>Verifies against <paramref name="hash"/>, or against the dummy hash when there is none (then never verified).</summary>
    public async Task<(bool Verified, bool NeedsRehash)> VerifyAsync(string password, PasswordHash? hash, CancellationToken cancellationToken)
    {
        await _hashGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _fullVerifications);
            bool verified = Hasher.Verify(password, hash ?? _dummyHash.Value, out bool needsRehash);
            return (verified && hash is not null, needsRehash);
        }
        finally
        {
            _hashGate.Release();
        }
    }

    /// <summary>A new hash of <paramref name="password"/> with the current parameters.</summary>
    public async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        await _hashGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Hasher.Hash(password);
        }
        finally
        {
            _hashGate.Release();
        }
    }

    public void Dispose() => _hashGate.Dispose();
}
