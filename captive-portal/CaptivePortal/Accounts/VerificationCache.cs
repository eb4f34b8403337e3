using System.Security.Cryptography;
using System.Text;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// Remembers successful verifications so a returning user does not pay a full Argon2 run each time, without ever
/// holding the password or anything it can be recovered from: the entry is HMAC-SHA256 under a key that exists only
/// in this process's memory, of <c>lower(username) || 0x00 || NFKC(password)</c> as UTF-8 (a username never holds a NUL,
/// so the split is unambiguous), with the stored hash string it was verified against and an expiry.
/// A new password or a locked account is a new hash string or an <see cref="Invalidate"/>, so a stale entry never matches.
/// </summary>
internal sealed class VerificationCache(TimeSpan lifetime, int capacity)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal sealed record Entry(byte[] Tag, string PasswordHash, DateTimeOffset Expires);

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

    public void Remember(string username, string password, string passwordHash, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return;
        }

        byte[] tag = new byte[HMACSHA256.HashSizeInBytes];
        ComputeTag(username, password, tag);
        var entry = new Entry(tag, passwordHash, now + lifetime);
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

    private static string Key(string username) => username.ToLowerInvariant();

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
        string user = Key(username);
        byte[] secret = PasswordHasher.PasswordBytes(password, out int passwordLength);
        int userLength = Encoding.UTF8.GetByteCount(user);
        byte[] message = new byte[userLength + 1 + passwordLength];
        try
        {
            Encoding.UTF8.GetBytes(user, message);
            message[userLength] = 0x00;
            secret.AsSpan(0, passwordLength).CopyTo(message.AsSpan(userLength + 1));
            HMACSHA256.HashData(_key, message, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(message);
            PasswordHasher.Return(secret, passwordLength);
        }
    }
}
