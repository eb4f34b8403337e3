using System.Security.Cryptography;
using System.Text;

namespace Network.Snmp.Security;

/// <summary>
/// A user's keys localized to one authoritative engine (RFC 3414 section 2.6): <see cref="AuthKey"/> is Kul of the
/// authentication pass phrase (the protocol's hash length), <see cref="PrivKey"/> Kul of the privacy pass phrase,
/// extended or truncated to <see cref="PrivProtocols.KeyLength"/>. Empty when the user does not authenticate or encrypt.
/// </summary>
public sealed record LocalizedKeys(byte[] AuthKey, byte[] PrivKey)
{
    public override string ToString() => "LocalizedKeys (hidden)";
}

/// <summary>
/// Key derivation: password to key (RFC 3414 appendix A.2.1 and A.2.2, with each hash of RFC 7860), localization
/// (RFC 3414 section 2.6), and the two key extensions that AES-192/256 need (<see cref="PrivKeyExtension"/>).
/// Every function here is pure; <see cref="UsmKeyCache"/> keeps the results.
/// </summary>
public static class UsmKeys
{
    /// <summary>net-snmp refuses pass phrases shorter than 8 characters (RFC 3414 section 11.2 recommends at least 8).</summary>
    public const int MinPasswordLength = 8;

    /// <summary>RFC 3414 A.2: the pass phrase is repeated to fill 1,048,576 bytes, which are hashed.</summary>
    private const int ExpansionLength = 1_048_576;

    /// <summary>How much of the expansion is handed to the hash at a time (a whole number of pass phrases).</summary>
    private const int ChunkLength = 4096;

    /// <summary>
    /// Ku (RFC 3414 A.2.1 for MD5, A.2.2 for SHA-1, RFC 7860 section 9.3 for SHA-2): the hash of the UTF-8 pass phrase
    /// repeated to 1,048,576 bytes. A pass phrase of fewer than 8 characters is an <see cref="ArgumentException"/>.
    /// </summary>
    public static byte[] PasswordToKey(AuthProtocol protocol, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinPasswordLength)
        {
            throw new ArgumentException(
                $"an SNMPv3 pass phrase has at least {MinPasswordLength} characters, this one has {password.Length} (net-snmp refuses it too)",
                nameof(password));
        }

        byte[] bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return PasswordToKey(protocol, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Ku of a pass phrase given as bytes; fewer than 8 bytes is an <see cref="ArgumentException"/>.</summary>
    public static byte[] PasswordToKey(AuthProtocol protocol, ReadOnlySpan<byte> password)
    {
        if (password.Length < MinPasswordLength)
        {
            throw new ArgumentException($"an SNMPv3 pass phrase has at least {MinPasswordLength} bytes, this one has {password.Length}", nameof(password));
        }

        // The expansion is streamed: a buffer holding the pass phrase a whole number of times is hashed again and
        // again, so each chunk starts where the pass phrase starts, exactly as the RFC's 64-byte loop reads it.
        int chunk = Math.Max(ChunkLength / password.Length, 1) * password.Length;
        byte[] buffer = new byte[chunk];
        for (int at = 0; at < chunk; at += password.Length)
        {
            password.CopyTo(buffer.AsSpan(at));
        }

        using UsmHash hash = UsmHash.CreateHash(protocol);
        for (int remaining = ExpansionLength; remaining > 0; remaining -= chunk)
        {
            hash.Append(buffer.AsSpan(0, Math.Min(chunk, remaining)));
        }

        CryptographicOperations.ZeroMemory(buffer);
        byte[] ku = new byte[hash.Length];
        hash.Finish(ku);
        return ku;
    }

    /// <summary>Kul = H(Ku || snmpEngineID || Ku) (RFC 3414 section 2.6, A.2). Ku must have the hash's length.</summary>
    public static byte[] Localize(AuthProtocol protocol, ReadOnlySpan<byte> ku, ReadOnlySpan<byte> engineId)
    {
        if (ku.Length != protocol.HashLength())
        {
            throw new ArgumentException($"a {protocol} Ku has {protocol.HashLength()} bytes, not {ku.Length}", nameof(ku));
        }

        using UsmHash hash = UsmHash.CreateHash(protocol);
        hash.Append(ku);
        hash.Append(engineId);
        hash.Append(ku);
        byte[] kul = new byte[hash.Length];
        hash.Finish(kul);
        return kul;
    }

    /// <summary>
    /// The privacy key from the privacy pass phrase's Ku: localized with the authentication protocol's hash (RFC 3414
    /// section 2.6, RFC 3826 section 1.2), then extended or truncated to <see cref="PrivProtocols.KeyLength"/>.
    /// </summary>
    public static byte[] LocalizePrivacyKey(AuthProtocol auth, PrivProtocol priv, ReadOnlySpan<byte> privKu, ReadOnlySpan<byte> engineId)
    {
        if (priv == PrivProtocol.None)
        {
            throw new ArgumentException("no privacy key for usmNoPrivProtocol", nameof(priv));
        }

        byte[] kul = Localize(auth, privKu, engineId);
        int needed = priv.KeyLength();
        return priv.KeyExtension() switch
        {
            PrivKeyExtension.Blumenthal => ExtendBlumenthal(auth, kul, needed),
            PrivKeyExtension.Reeder => ExtendReeder(auth, kul, engineId, needed),
            _ => kul.Length >= needed ? kul[..needed] : throw new ArgumentException($"{auth} gives {kul.Length} bytes, {priv} needs {needed}"),
        };
    }

    /// <summary>The privacy key straight from the pass phrase: <see cref="PasswordToKey(AuthProtocol, string)"/>, then <see cref="LocalizePrivacyKey"/>.</summary>
    public static byte[] PrivacyKey(AuthProtocol auth, PrivProtocol priv, string password, ReadOnlySpan<byte> engineId) =>
        LocalizePrivacyKey(auth, priv, PasswordToKey(auth, password), engineId);

    /// <summary>Both keys of one user for one engine, from the pass phrases (no caching; see <see cref="UsmKeyCache"/>).</summary>
    public static LocalizedKeys Derive(AuthProtocol auth, string authPassword, PrivProtocol priv, string privPassword, ReadOnlySpan<byte> engineId)
    {
        if (auth == AuthProtocol.None)
        {
            return priv == PrivProtocol.None
                ? new LocalizedKeys([], [])
                : throw new ArgumentException("privacy without authentication is not allowed (RFC 3414 section 3.1.1)", nameof(priv));
        }

        byte[] authKey = Localize(auth, PasswordToKey(auth, authPassword), engineId);
        byte[] privKey = priv == PrivProtocol.None ? [] : PrivacyKey(auth, priv, privPassword, engineId);
        return new LocalizedKeys(authKey, privKey);
    }

    /// <summary>
    /// The key extension of draft-blumenthal-aes-usm-04, as net-snmp implements it for <c>-x AES192</c>/<c>AES256</c>:
    /// while the key is shorter than <paramref name="needed"/>, append the hash (the authentication protocol's) of the
    /// whole key so far, Kul' = Kul || H(Kul) || H(Kul || H(Kul)) ..., then take the first <paramref name="needed"/> bytes.
    /// The localized key is therefore always a prefix of the extended one.
    /// </summary>
    public static byte[] ExtendBlumenthal(AuthProtocol auth, ReadOnlySpan<byte> kul, int needed)
    {
        byte[] key = kul.ToArray();
        using UsmHash hash = UsmHash.CreateHash(auth);
        while (key.Length < needed)
        {
            byte[] next = new byte[key.Length + hash.Length];
            key.CopyTo(next, 0);
            hash.Append(key);
            hash.Finish(next.AsSpan(key.Length));
            key = next;
        }

        return key[..needed];
    }

    /// <summary>
    /// The key extension of draft-reeder-snmpv3-usm-3desede-00, which Cisco uses for AES-192/256 and net-snmp offers as
    /// <c>-x AES192C</c>/<c>AES256C</c>: the localized key is taken as a pass phrase, turned into a key
    /// (<see cref="PasswordToKey(AuthProtocol, ReadOnlySpan{byte})"/>) and localized to the same engine, and that is
    /// appended: K1 = Kul, K2 = Localize(PasswordToKey(K1)), Kul' = K1 || K2 ..., then truncated. With the hashes here
    /// (16 bytes at least) and keys of at most 32 bytes one round always suffices.
    /// </summary>
    public static byte[] ExtendReeder(AuthProtocol auth, ReadOnlySpan<byte> kul, ReadOnlySpan<byte> engineId, int needed)
    {
        byte[] key = kul.ToArray();
        byte[] last = key;
        while (key.Length < needed)
        {
            last = Localize(auth, PasswordToKey(auth, last), engineId);
            key = [.. key, .. last];
        }

        return key[..needed];
    }
}
