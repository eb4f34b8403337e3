using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>USM authentication protocols: RFC 3414 sections 6 and 7, and RFC 7860's HMAC-SHA-2 family.</summary>
public enum AuthProtocol
{
    /// <summary>usmNoAuthProtocol (1.3.6.1.6.3.10.1.1.1).</summary>
    None,

    /// <summary>usmHMACMD5AuthProtocol, HMAC-MD5-96 (RFC 3414 section 6): a 12-byte MAC.</summary>
    HmacMd5,

    /// <summary>usmHMACSHAAuthProtocol, HMAC-SHA-96 (RFC 3414 section 7): a 12-byte MAC.</summary>
    HmacSha1,

    /// <summary>usmHMAC128SHA224AuthProtocol (RFC 7860): a 16-byte MAC.</summary>
    HmacSha224,

    /// <summary>usmHMAC192SHA256AuthProtocol (RFC 7860): a 24-byte MAC.</summary>
    HmacSha256,

    /// <summary>usmHMAC256SHA384AuthProtocol (RFC 7860): a 32-byte MAC.</summary>
    HmacSha384,

    /// <summary>usmHMAC384SHA512AuthProtocol (RFC 7860): a 48-byte MAC.</summary>
    HmacSha512,
}

/// <summary>
/// USM privacy protocols. AES-192 and AES-256 were never standardised for SNMP; two Internet-Drafts extend the
/// localized key to the cipher's length in different ways, and devices speak one or the other (see <see cref="PrivKeyExtension"/>).
/// </summary>
public enum PrivProtocol
{
    /// <summary>usmNoPrivProtocol (1.3.6.1.6.3.10.1.2.1).</summary>
    None,

    /// <summary>usmDESPrivProtocol, CBC-DES (RFC 3414 section 8). net-snmp: <c>-x DES</c>.</summary>
    Des,

    /// <summary>usmAesCfb128Protocol, CFB128-AES-128 (RFC 3826). net-snmp: <c>-x AES</c> or <c>AES128</c>.</summary>
    Aes128,

    /// <summary>CFB128-AES-192, key extended as draft-blumenthal-aes-usm-04 does. net-snmp: <c>-x AES192</c>.</summary>
    Aes192,

    /// <summary>CFB128-AES-256, key extended as draft-blumenthal-aes-usm-04 does. net-snmp: <c>-x AES256</c>.</summary>
    Aes256,

    /// <summary>CFB128-AES-192, key extended as draft-reeder-snmpv3-usm-3desede does (Cisco). net-snmp: <c>-x AES192C</c>.</summary>
    Aes192Reeder,

    /// <summary>CFB128-AES-256, key extended as draft-reeder-snmpv3-usm-3desede does (Cisco). net-snmp: <c>-x AES256C</c>.</summary>
    Aes256Reeder,
}

/// <summary>How a localized privacy key too short for the cipher is lengthened.</summary>
public enum PrivKeyExtension
{
    /// <summary>The cipher takes no more than the hash gives; longer localized keys are truncated.</summary>
    None,

    /// <summary>
    /// draft-blumenthal-aes-usm-04 (net-snmp's <c>AES192</c>/<c>AES256</c>): append the hash of everything so far,
    /// Kul || H(Kul) || H(Kul || H(Kul)) ..., then truncate.
    /// </summary>
    Blumenthal,

    /// <summary>
    /// draft-reeder-snmpv3-usm-3desede-00 (Cisco's, net-snmp's <c>AES192C</c>/<c>AES256C</c>): take the localized key
    /// as a pass phrase, run password-to-key and localization on it and append the result, K1 || K2 ..., then truncate.
    /// </summary>
    Reeder,
}

/// <summary>The authentication protocol table and net-snmp's names for the protocols.</summary>
public static class AuthProtocols
{
    private static readonly AuthSpec[] s_table =
    [
        //    protocol                  OID (RFC 3414 section 5, RFC 7860 section 5)   MAC  hash  hash function
        new(AuthProtocol.None, "1.3.6.1.6.3.10.1.1.1", 0, 0, default),
        new(AuthProtocol.HmacMd5, "1.3.6.1.6.3.10.1.1.2", 12, 16, HashAlgorithmName.MD5),
        new(AuthProtocol.HmacSha1, "1.3.6.1.6.3.10.1.1.3", 12, 20, HashAlgorithmName.SHA1),
        new(AuthProtocol.HmacSha224, "1.3.6.1.6.3.10.1.1.4", 16, 28, new HashAlgorithmName("SHA224")),
        new(AuthProtocol.HmacSha256, "1.3.6.1.6.3.10.1.1.5", 24, 32, HashAlgorithmName.SHA256),
        new(AuthProtocol.HmacSha384, "1.3.6.1.6.3.10.1.1.6", 32, 48, HashAlgorithmName.SHA384),
        new(AuthProtocol.HmacSha512, "1.3.6.1.6.3.10.1.1.7", 48, 64, HashAlgorithmName.SHA512),
    ];

    /// <summary>
    /// Parses net-snmp's <c>-a</c> names, case-insensitively: MD5, SHA (also SHA1, SHA-1), SHA-224, SHA-256, SHA-384,
    /// SHA-512 (each also without the dash, as net-snmp accepts). Anything else, and null, is false.
    /// </summary>
    public static bool TryParse(string? name, out AuthProtocol protocol)
    {
        protocol = name?.ToUpperInvariant() switch
        {
            "MD5" => AuthProtocol.HmacMd5,
            "SHA" or "SHA1" or "SHA-1" => AuthProtocol.HmacSha1,
            "SHA-224" or "SHA224" => AuthProtocol.HmacSha224,
            "SHA-256" or "SHA256" => AuthProtocol.HmacSha256,
            "SHA-384" or "SHA384" => AuthProtocol.HmacSha384,
            "SHA-512" or "SHA512" => AuthProtocol.HmacSha512,
            _ => AuthProtocol.None,
        };
        return protocol != AuthProtocol.None;
    }

    /// <summary>Like <see cref="TryParse"/>, but an unknown name is an <see cref="ArgumentException"/> that lists the known ones.</summary>
    public static AuthProtocol Parse(string name) =>
        TryParse(name, out AuthProtocol protocol)
            ? protocol
            : throw new ArgumentException($"'{name}' is not an SNMPv3 authentication protocol (MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512)", nameof(name));

    /// <summary>
    /// The length of msgAuthenticationParameters: the MAC truncated as RFC 3414 sections 6.3.1 and 7.3.1 (12 bytes)
    /// and RFC 7860 section 4.2.1 (16, 24, 32, 48 bytes) say. 0 for <see cref="AuthProtocol.None"/>.
    /// </summary>
    public static int MacLength(this AuthProtocol protocol) => Spec(protocol).MacLength;

    /// <summary>The length of the hash, which is the length of Ku and of a localized key.</summary>
    public static int HashLength(this AuthProtocol protocol) => Spec(protocol, needsHash: true).HashLength;

    /// <summary>The protocol's OBJECT IDENTIFIER in dotted form, as usmUserAuthProtocol shows it.</summary>
    public static string ObjectIdentifier(this AuthProtocol protocol) => Spec(protocol).Oid;

    internal static HashAlgorithmName HashName(this AuthProtocol protocol) => Spec(protocol, needsHash: true).Hash;

    private static AuthSpec Spec(AuthProtocol protocol, bool needsHash = false)
    {
        if ((uint)protocol >= (uint)s_table.Length || (needsHash && protocol == AuthProtocol.None))
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "no hash function for this authentication protocol");
        }

        return s_table[(int)protocol];
    }

    private sealed record AuthSpec(AuthProtocol Protocol, string Oid, int MacLength, int HashLength, HashAlgorithmName Hash);
}

/// <summary>The privacy protocol table and net-snmp's names for the protocols.</summary>
public static class PrivProtocols
{
    /// <summary>msgPrivacyParameters is 8 bytes for every protocol here (RFC 3414 section 8.1.1.1, RFC 3826 section 3.1.1.1).</summary>
    public const int SaltLength = 8;

    private static readonly PrivSpec[] s_table =
    [
        //    protocol                  OID                               key  extension
        new(PrivProtocol.None, "1.3.6.1.6.3.10.1.2.1", 0, PrivKeyExtension.None),
        new(PrivProtocol.Des, "1.3.6.1.6.3.10.1.2.2", 16, PrivKeyExtension.None), // 8 of DES key, 8 of pre-IV
        new(PrivProtocol.Aes128, "1.3.6.1.6.3.10.1.2.4", 16, PrivKeyExtension.None),
        new(PrivProtocol.Aes192, "1.3.6.1.4.1.14832.1.3", 24, PrivKeyExtension.Blumenthal),
        new(PrivProtocol.Aes256, "1.3.6.1.4.1.14832.1.4", 32, PrivKeyExtension.Blumenthal),
        new(PrivProtocol.Aes192Reeder, "1.3.6.1.4.1.9.12.6.1.1", 24, PrivKeyExtension.Reeder),
        new(PrivProtocol.Aes256Reeder, "1.3.6.1.4.1.9.12.6.1.2", 32, PrivKeyExtension.Reeder),
    ];

    /// <summary>
    /// Parses net-snmp's <c>-x</c> names, case-insensitively: DES, AES (AES128, AES-128), AES192 (AES-192), AES256
    /// (AES-256), AES192C, AES256C. Anything else, and null, is false.
    /// </summary>
    public static bool TryParse(string? name, out PrivProtocol protocol)
    {
        protocol = name?.ToUpperInvariant() switch
        {
            "DES" => PrivProtocol.Des,
            "AES" or "AES128" or "AES-128" => PrivProtocol.Aes128,
            "AES192" or "AES-192" => PrivProtocol.Aes192,
            "AES256" or "AES-256" => PrivProtocol.Aes256,
            "AES192C" => PrivProtocol.Aes192Reeder,
            "AES256C" => PrivProtocol.Aes256Reeder,
            _ => PrivProtocol.None,
        };
        return protocol != PrivProtocol.None;
    }

    /// <summary>Like <see cref="TryParse"/>, but an unknown name is an <see cref="ArgumentException"/> that lists the known ones.</summary>
    public static PrivProtocol Parse(string name) =>
        TryParse(name, out PrivProtocol protocol)
            ? protocol
            : throw new ArgumentException($"'{name}' is not an SNMPv3 privacy protocol (DES, AES, AES192, AES256, AES192C, AES256C)", nameof(name));

    /// <summary>How many bytes of (extended) localized key the cipher takes; DES takes 8 for the key and 8 for the pre-IV.</summary>
    public static int KeyLength(this PrivProtocol protocol) => Spec(protocol).KeyLength;

    /// <summary>Which draft's key extension the protocol uses when the localized key is too short.</summary>
    public static PrivKeyExtension KeyExtension(this PrivProtocol protocol) => Spec(protocol).Extension;

    /// <summary>The protocol's OBJECT IDENTIFIER in dotted form (the AES-192/256 ones are net-snmp's and Cisco's enterprise OIDs).</summary>
    public static string ObjectIdentifier(this PrivProtocol protocol) => Spec(protocol).Oid;

    private static PrivSpec Spec(PrivProtocol protocol) =>
        (uint)protocol < (uint)s_table.Length
            ? s_table[(int)protocol]
            : throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not a privacy protocol");

    private sealed record PrivSpec(PrivProtocol Protocol, string Oid, int KeyLength, PrivKeyExtension Extension);
}
