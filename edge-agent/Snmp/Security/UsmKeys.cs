using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Network.Snmp.Security;

/// <summary>A user's keys localized to one authoritative engine (RFC 3414 section 2.6).</summary>
public sealed record LocalizedKeys(byte[] AuthKey, byte[] PrivKey)
{
    public override string ToString() => "LocalizedKeys (hidden)";
}

/// <summary>
/// Key derivation of RFC 3414 appendix A.2 (password to key) and section 2.6 (localization), with each hash of
/// RFC 7860, and the key extensions that AES-192/256 need.
/// </summary>
public static class UsmKeys
{
    /// <summary>net-snmp refuses pass phrases shorter than 8 characters (RFC 3414 section 11.2 recommends at least 8).</summary>
    public const int MinPasswordLength = 8;

    /// <summary>RFC 3414 A.2: the pass phrase repeated to fill one megabyte.</summary>
    private const int ExpansionLength = 1_048_576;

    /// <summary>Ku: the hash of the pass phrase repeated to 1,048,576 bytes (RFC 3414 A.2.1, A.2.2).</summary>
    public static byte[] PasswordToKey(AuthProtocol protocol, string password)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(password ?? "");
        if (password is null || password.Length < MinPasswordLength)
        {
            throw new ArgumentException($"an SNMPv3 pass phrase has at least {MinPasswordLength} characters", nameof(password));
        }

        return PasswordToKey(protocol, bytes);
    }

    private static byte[] PasswordToKey(AuthProtocol protocol, byte[] password)
    {
        byte[] expanded = new byte[ExpansionLength];
        for (int i = 0; i < ExpansionLength; i += password.Length)
        {
            password.AsSpan(0, Math.Min(password.Length, ExpansionLength - i)).CopyTo(expanded.AsSpan(i));
        }

        return Hash(protocol, expanded);
    }

    /// <summary>Kul = H(Ku || snmpEngineID || Ku) (RFC 3414 section 2.6).</summary>
    public static byte[] Localize(AuthProtocol protocol, ReadOnlySpan<byte> ku, ReadOnlySpan<byte> engineId)
    {
        byte[] input = new byte[(ku.Length * 2) + engineId.Length];
        ku.CopyTo(input);
        engineId.CopyTo(input.AsSpan(ku.Length));
        ku.CopyTo(input.AsSpan(ku.Length + engineId.Length));
        return Hash(protocol, input);
    }

    /// <summary>
    /// The privacy key: the localized key of the privacy pass phrase (hashed with the authentication protocol's
    /// hash, RFC 3826 section 1.2), extended when the cipher needs more bytes than the hash gives.
    /// </summary>
    public static byte[] PrivacyKey(AuthProtocol auth, PrivProtocol priv, string password, ReadOnlySpan<byte> engineId)
    {
        byte[] ku = PasswordToKey(auth, password);
        byte[] kul = Localize(auth, ku, engineId);
        int needed = priv.KeyLength();
        return priv switch
        {
            PrivProtocol.Aes192Reeder or PrivProtocol.Aes256Reeder => ExtendReeder(auth, kul, engineId, needed),
            _ => ExtendBlumenthal(auth, kul, needed),
        };
    }

    /// <summary>
    /// draft-blumenthal-aes-usm-04 section 3.1.2.1 (net-snmp's AES192/AES256): while the key is too short,
    /// append the hash of the whole key so far: Kul || H(Kul) || H(Kul || H(Kul)) ..., then truncate.
    /// </summary>
    public static byte[] ExtendBlumenthal(AuthProtocol auth, byte[] kul, int needed)
    {
        byte[] key = kul;
        while (key.Length < needed)
        {
            key = [.. key, .. Hash(auth, key)];
        }

        return key[..needed];
    }

    /// <summary>
    /// draft-reeder-snmpv3-usm-3desede-00 section 2.1 (Cisco's, net-snmp's AES192C/AES256C): the localized key is
    /// taken as a pass phrase, turned into a key and localized again, and that is appended: Kul || Kul2 ..., then truncated.
    /// </summary>
    public static byte[] ExtendReeder(AuthProtocol auth, byte[] kul, ReadOnlySpan<byte> engineId, int needed)
    {
        byte[] key = kul;
        byte[] last = kul;
        while (key.Length < needed)
        {
            last = Localize(auth, PasswordToKey(auth, last), engineId);
            key = [.. key, .. last];
        }

        return key[..needed];
    }

    // MD5 and SHA-1 key derivation is what RFC 3414 defines for the protocols devices still speak.
#pragma warning disable CA5350, CA5351
    internal static byte[] Hash(AuthProtocol protocol, byte[] data) => protocol switch
    {
        AuthProtocol.HmacMd5 => MD5.HashData(data),
        AuthProtocol.HmacSha1 => SHA1.HashData(data),
        AuthProtocol.HmacSha224 => Sha224.Hash(data),
        AuthProtocol.HmacSha256 => SHA256.HashData(data),
        AuthProtocol.HmacSha384 => SHA384.HashData(data),
        AuthProtocol.HmacSha512 => SHA512.HashData(data),
        _ => throw new ArgumentException("no hash for " + protocol, nameof(protocol)),
    };
#pragma warning restore CA5350, CA5351
}

/// <summary>
/// Localized keys by user and engine, so a manager polling the same device every 30 s pays the one-megabyte
/// expansion once per user (Ku is kept per user) and the localization once per engine.
/// </summary>
public sealed class UsmKeyCache
{
    private readonly ConcurrentDictionary<(AuthProtocol, string), byte[]> _ku = new();
    private readonly ConcurrentDictionary<(UsmUser, string), LocalizedKeys> _localized = new();

    public LocalizedKeys Get(UsmUser user, ReadOnlySpan<byte> engineId)
    {
        string engine = Convert.ToHexString(engineId);
        if (_localized.TryGetValue((user, engine), out LocalizedKeys? keys))
        {
            return keys;
        }

        byte[] authKey = [];
        byte[] privKey = [];
        if (user.Authenticates)
        {
            byte[] ku = _ku.GetOrAdd((user.Auth, user.AuthPassword), k => UsmKeys.PasswordToKey(k.Item1, k.Item2));
            authKey = UsmKeys.Localize(user.Auth, ku, engineId);
        }

        if (user.Encrypts)
        {
            privKey = UsmKeys.PrivacyKey(user.Auth, user.Priv, user.PrivPassword, engineId);
        }

        return _localized.GetOrAdd((user, engine), new LocalizedKeys(authKey, privKey));
    }
}
