using System.Security.Cryptography;
using System.Text;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// Remembers successful verifications so a returning user does not pay a full Argon2 run each time, without ever
/// holding the password or anything it can be recovered from: the entry is HMAC-SHA256 under a key that exists only
/// in this process's memory, of <c>lower(username) || 0x00 || NFKC(password)</c> as UTF-8 (a username never holds a NUL,
/// so the split is unambiguous), with the stored hash string it was verified against and an expiry.
/// A new password or a locked account is a new hash string or an <see cref="Invalidate"/>, so a stale entry never matches.
/// <para>
/// Each entry also keeps a snapshot of the account's row (<see cref="AccountSnapshot"/>) with the time it was read, so a
/// returning user's login can be answered from memory alone (<see cref="MatchRecentNormalized"/>) while that snapshot is young;
/// changes made in this process invalidate the entry at once, changes made by another process (the operators' command
/// line) are seen when the snapshot is read again.
/// </para>
/// </summary>
internal sealed class VerificationCache(TimeSpan lifetime, int capacity) : IDisposable
{
    private readonly ThreadLocal<IncrementalHash> _hmac = CreateHmacs(RandomNumberGenerator.GetBytes(32));
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal sealed record Entry(byte[] Tag, string PasswordHash, DateTimeOffset Expires, AccountSnapshot? Account = null)
    {
        /// <summary>When <see cref="MatchRecentNormalized"/> last answered from this entry (Unix ms): the rows worth reading again.</summary>
        public long LastUsedMs;
    }

    /// <summary>An account whose snapshot is due to be read again, with the stored hash the entry belongs to.</summary>
    internal readonly record struct DueSnapshot(long AccountId, string PasswordHash);

    /// <summary>The account's row as read at <paramref name="Read"/>: what a login needs besides the password.</summary>
    internal sealed record AccountSnapshot(long Id, string Username, bool Locked, long? LastLoginMs, DateTimeOffset Read);

    public bool Enabled => lifetime > TimeSpan.Zero;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>True when the user verified this very password against <paramref name="passwordHash"/> within the lifetime.</summary>
    public bool Matches(string username, string password, string passwordHash, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return false;
        }

        Entry? entry;
        lock (_lock)
        {
            _entries.TryGetValue(Key(username), out entry);
        }

        if (entry is null || entry.Expires <= now || !string.Equals(entry.PasswordHash, passwordHash, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> tag = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeTag(username, password, tag);
        return CryptographicOperations.FixedTimeEquals(tag, entry.Tag);
    }

    /// <summary>
    /// The fast path, for a password given as UTF-8 that is already in NFKC (pure ASCII always is; no string is made of
    /// it): the account snapshot when the user verified this very password within the lifetime and the snapshot was read no
    /// longer than <paramref name="maxAge"/> ago; otherwise null (the caller reads the row and checks again).
    /// </summary>
    public AccountSnapshot? MatchRecentNormalized(string username, ReadOnlySpan<byte> normalizedPassword, DateTimeOffset now, TimeSpan maxAge)
    {
        if (!Enabled)
        {
            return null;
        }

        Entry? entry;
        lock (_lock)
        {
            _entries.TryGetValue(Key(username), out entry);
        }

        if (entry?.Account is not { } account || entry.Expires <= now || now - account.Read > maxAge || account.Read > now)
        {
            return null;
        }

        Span<byte> tag = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeTag(username, normalizedPassword, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, entry.Tag))
        {
            return null;
        }

        entry.LastUsedMs = now.ToUnixTimeMilliseconds();
        return account;
    }

    /// <summary>
    /// A login answered from <paramref name="seen"/> (what <see cref="MatchRecentNormalized"/> returned) stamped the account at
    /// <paramref name="lastLoginMs"/>: the snapshot of that account says so from now on, also one read again meanwhile.
    /// </summary>
    public void NoteLogin(string username, AccountSnapshot seen, long lastLoginMs)
    {
        lock (_lock)
        {
            string key = Key(username);
            if (_entries.TryGetValue(key, out Entry? entry) && entry.Account is { } current && current.Id == seen.Id
                && (current.LastLoginMs ?? 0) < lastLoginMs)
            {
                _entries[key] = entry with { Account = current with { LastLoginMs = lastLoginMs } };
            }
        }
    }

    /// <summary>
    /// Keeps a fresher snapshot of the row, if the entry still belongs to the same stored hash and holds no snapshot read
    /// later than this one (a refresh that read the row before a lock must not undo the lock's snapshot). A last login the
    /// entry knows of and the row does not yet (noted, not yet written) is kept: the next login does not note it again.
    /// </summary>
    public void Refresh(string username, string passwordHash, AccountSnapshot account)
    {
        lock (_lock)
        {
            string key = Key(username);
            if (_entries.TryGetValue(key, out Entry? entry) && string.Equals(entry.PasswordHash, passwordHash, StringComparison.Ordinal)
                && (entry.Account is null || entry.Account.Read <= account.Read))
            {
                if (entry.Account is { LastLoginMs: long noted } known && known.Id == account.Id && noted > (account.LastLoginMs ?? 0))
                {
                    account = account with { LastLoginMs = noted };
                }

                _entries[key] = entry with { Account = account };
            }
        }
    }

    /// <summary>
    /// The accounts whose snapshot answered a login since <paramref name="usedSince"/> and was read before
    /// <paramref name="readBefore"/>: reading those rows again in one query keeps returning users on the fast path.
    /// </summary>
    public List<DueSnapshot> DueForRefresh(DateTimeOffset usedSince, DateTimeOffset readBefore)
    {
        long usedSinceMs = usedSince.ToUnixTimeMilliseconds();
        var due = new List<DueSnapshot>();
        lock (_lock)
        {
            foreach (Entry entry in _entries.Values)
            {
                if (entry.Account is { } account && entry.LastUsedMs >= usedSinceMs && account.Read < readBefore)
                {
                    due.Add(new DueSnapshot(account.Id, entry.PasswordHash));
                }
            }
        }

        return due;
    }

    public void Remember(string username, string password, string passwordHash, DateTimeOffset now, AccountSnapshot? account = null)
    {
        if (!Enabled)
        {
            return;
        }

        byte[] tag = new byte[HMACSHA256.HashSizeInBytes];
        ComputeTag(username, password, tag);
        var entry = new Entry(tag, passwordHash, now + lifetime, account);
        lock (_lock)
        {
            string key = Key(username);
            if (!_entries.ContainsKey(key) && _entries.Count >= capacity)
            {
                MakeRoom(now);
            }

            _entries[key] = entry;
        }
    }

    public void Invalidate(string username)
    {
        lock (_lock)
        {
            _entries.Remove(Key(username));
        }
    }

    /// <summary>The entry as stored, for tests that check what the cache keeps.</summary>
    internal Entry? Peek(string username)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(Key(username));
        }
    }

    public void Dispose() => _hmac.Dispose();

    private static string Key(string username) => username.ToLowerInvariant();

    // One HMAC-SHA256 object a thread under the process's random key (the key lives only in these objects).
    private static ThreadLocal<IncrementalHash> CreateHmacs(byte[] key) => new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));

    // Drops the expired entries; when none has expired, the eighth nearest its expiry.
    private void MakeRoom(DateTimeOffset now)
    {
        List<string> expired = [.. _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key)];
        if (expired.Count == 0)
        {
            expired = [.. _entries.OrderBy(e => e.Value.Expires).Take(Math.Max(1, capacity / 8)).Select(e => e.Key)];
        }

        foreach (string key in expired)
        {
            _entries.Remove(key);
        }
    }

    private void ComputeTag(string username, string password, Span<byte> tag)
    {
        byte[] secret = PasswordHasher.PasswordBytes(password, out int passwordLength);
        try
        {
            ComputeTag(username, secret.AsSpan(0, passwordLength), tag);
        }
        finally
        {
            PasswordHasher.Return(secret, passwordLength);
        }
    }

    // The message, lower(username) || 0x00 || NFKC(password) as UTF-8, is put together on the stack (a username is
    // short ASCII; anything longer goes through a rented buffer) and hashed in one call.
    private void ComputeTag(string username, ReadOnlySpan<byte> normalizedPassword, Span<byte> tag)
    {
        string user = Key(username);
        int length = Encoding.UTF8.GetMaxByteCount(user.Length) + 1 + normalizedPassword.Length;
        byte[]? rented = length > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> message = rented ?? stackalloc byte[512];
        int written = Encoding.UTF8.GetBytes(user, message);
        message[written++] = 0x00;
        normalizedPassword.CopyTo(message[written..]);
        written += normalizedPassword.Length;
        try
        {
            // A thread's HMAC object keeps the key schedule; after GetHashAndReset it holds nothing of the message.
            IncrementalHash hmac = _hmac.Value!;
            hmac.AppendData(message[..written]);
            hmac.GetHashAndReset(tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(message[..written]);
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
