using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>
/// USM authentication protocols: HMAC-MD5-96 and HMAC-SHA-96 of RFC 3414, and the HMAC-SHA-2 family of RFC 7860
/// (usmHMAC128SHA224AuthProtocol ... usmHMAC384SHA512AuthProtocol).
/// </summary>
public enum AuthProtocol
{
    None,
    HmacMd5,
    HmacSha1,
    HmacSha224,
    HmacSha256,
    HmacSha384,
    HmacSha512,
}

/// <summary>
/// USM privacy protocols: CBC-DES (RFC 3414 section 8), CFB128-AES-128 (RFC 3826), and AES-192/256 in CFB128 with
/// either key extension net-snmp speaks: <see cref="Aes192"/> and <see cref="Aes256"/> extend the localized key as
/// draft-blumenthal-aes-usm-04 does (net-snmp's <c>AES192</c>/<c>AES256</c>); <see cref="Aes192Reeder"/> and
/// <see cref="Aes256Reeder"/> as draft-reeder-snmpv3-usm-3desede-00 does (net-snmp's <c>AES192C</c>/<c>AES256C</c>, Cisco's).
/// </summary>
public enum PrivProtocol
{
    None,
    Des,
    Aes128,
    Aes192,
    Aes256,
    Aes192Reeder,
    Aes256Reeder,
}

public static class AuthProtocols
{
    /// <summary>Parses net-snmp's <c>-a</c> names: MD5, SHA (SHA1), SHA-224, SHA-256, SHA-384, SHA-512 (dash optional).</summary>
    public static bool TryParse(string name, out AuthProtocol protocol)
    {
        protocol = name.ToUpperInvariant().Replace("-", "", StringComparison.Ordinal) switch
        {
            "MD5" => AuthProtocol.HmacMd5,
            "SHA" or "SHA1" => AuthProtocol.HmacSha1,
            "SHA224" => AuthProtocol.HmacSha224,
            "SHA256" => AuthProtocol.HmacSha256,
            "SHA384" => AuthProtocol.HmacSha384,
            "SHA512" => AuthProtocol.HmacSha512,
            _ => AuthProtocol.None,
        };
        return protocol != AuthProtocol.None;
    }

    /// <summary>The length of msgAuthenticationParameters: the truncated MAC (RFC 3414 6.3.1, 7.3.1; RFC 7860 4.2.1).</summary>
    public static int MacLength(this AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.HmacMd5 or AuthProtocol.HmacSha1 => 12,
        AuthProtocol.HmacSha224 => 16,
        AuthProtocol.HmacSha256 => 24,
        AuthProtocol.HmacSha384 => 32,
        AuthProtocol.HmacSha512 => 48,
        _ => 0,
    };

    /// <summary>The length of the hash, which is the length of a localized key.</summary>
    public static int HashLength(this AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.HmacMd5 => 16,
        AuthProtocol.HmacSha1 => 20,
        AuthProtocol.HmacSha224 => 28,
        AuthProtocol.HmacSha256 => 32,
        AuthProtocol.HmacSha384 => 48,
        AuthProtocol.HmacSha512 => 64,
        _ => throw new ArgumentException("no hash for " + protocol, nameof(protocol)),
    };

    internal static HashAlgorithmName HashName(this AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.HmacMd5 => HashAlgorithmName.MD5,
        AuthProtocol.HmacSha1 => HashAlgorithmName.SHA1,
        AuthProtocol.HmacSha224 => new HashAlgorithmName("SHA224"),
        AuthProtocol.HmacSha256 => HashAlgorithmName.SHA256,
        AuthProtocol.HmacSha384 => HashAlgorithmName.SHA384,
        AuthProtocol.HmacSha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentException("no hash for " + protocol, nameof(protocol)),
    };
}

public static class PrivProtocols
{
    /// <summary>Parses net-snmp's <c>-x</c> names: DES, AES (AES128), AES192, AES256, AES192C, AES256C.</summary>
    public static bool TryParse(string name, out PrivProtocol protocol)
    {
        protocol = name.ToUpperInvariant().Replace("-", "", StringComparison.Ordinal) switch
        {
            "DES" => PrivProtocol.Des,
            "AES" or "AES128" => PrivProtocol.Aes128,
            "AES192" => PrivProtocol.Aes192,
            "AES256" => PrivProtocol.Aes256,
            "AES192C" => PrivProtocol.Aes192Reeder,
            "AES256C" => PrivProtocol.Aes256Reeder,
            _ => PrivProtocol.None,
        };
        return protocol != PrivProtocol.None;
    }

    /// <summary>How many bytes of (extended) localized key the cipher takes; DES takes 8 for the key and 8 for the pre-IV.</summary>
    public static int KeyLength(this PrivProtocol protocol) => protocol switch
    {
        PrivProtocol.Des or PrivProtocol.Aes128 => 16,
        PrivProtocol.Aes192 or PrivProtocol.Aes192Reeder => 24,
        PrivProtocol.Aes256 or PrivProtocol.Aes256Reeder => 32,
        _ => 0,
    };
}
