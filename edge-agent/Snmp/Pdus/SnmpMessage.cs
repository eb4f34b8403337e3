namespace Network.Snmp.Pdus;

/// <summary>
/// One SNMP message: a <see cref="CommunityMessage"/> (v1, v2c) or an <see cref="SnmpV3Message"/>.
/// Encode and decode with <see cref="SnmpMessageCodec"/>.
/// </summary>
public abstract class SnmpMessage
{
    private protected SnmpMessage()
    {
    }

    public abstract SnmpVersion Version { get; }
}

/// <summary>
/// SNMPv1 (RFC 1157 section 4.1) and SNMPv2c (RFC 1901 section 3) messages: version, community, PDU.
/// </summary>
public sealed class CommunityMessage : SnmpMessage, IEquatable<CommunityMessage>
{
    private readonly SnmpVersion _version;

    public CommunityMessage(SnmpVersion version, ReadOnlyMemory<byte> community, SnmpPdu pdu)
    {
        if (version is not (SnmpVersion.V1 or SnmpVersion.V2c))
        {
            throw new ArgumentException($"{version} is not a community-based version", nameof(version));
        }

        _version = version;
        Community = community;
        Pdu = pdu ?? throw new ArgumentNullException(nameof(pdu));
    }

    public CommunityMessage(SnmpVersion version, string community, SnmpPdu pdu)
        : this(version, System.Text.Encoding.UTF8.GetBytes(community), pdu)
    {
    }

    public override SnmpVersion Version => _version;

    /// <summary>The community as sent; compare it with <c>CryptographicOperations.FixedTimeEquals</c>.</summary>
    public ReadOnlyMemory<byte> Community { get; }

    /// <summary>A <see cref="Pdus.Pdu"/>, or a <see cref="TrapV1Pdu"/> (the decoder accepts it in any community message).</summary>
    public SnmpPdu Pdu { get; }

    public bool Equals(CommunityMessage? other) =>
        other is not null
        && Version == other.Version
        && Community.Span.SequenceEqual(other.Community.Span)
        && Pdu.Equals(other.Pdu);

    public override bool Equals(object? obj) => Equals(obj as CommunityMessage);

    public override int GetHashCode() => HashCode.Combine(Version, Community.Length, Pdu);
}

/// <summary>msgFlags of RFC 3412 section 6.4.</summary>
[Flags]
public enum SnmpV3FlagBits : byte
{
    None = 0,
    Auth = 0x01,
    Priv = 0x02,
    Reportable = 0x04,
}

/// <summary>
/// The ScopedPDU of RFC 3412 section 6.8: the unit the USM encrypts.
/// <code>
/// ScopedPDU ::= SEQUENCE {
///     contextEngineID  OCTET STRING,
///     contextName      OCTET STRING,
///     data             ANY -- e.g., PDUs as defined in [RFC3416]
/// }
/// </code>
/// </summary>
public sealed class ScopedPdu : IEquatable<ScopedPdu>
{
    public ScopedPdu(ReadOnlyMemory<byte> contextEngineId, ReadOnlyMemory<byte> contextName, Pdu pdu)
    {
        ContextEngineId = contextEngineId;
        ContextName = contextName;
        Pdu = pdu ?? throw new ArgumentNullException(nameof(pdu));
    }

    public ReadOnlyMemory<byte> ContextEngineId { get; }

    public ReadOnlyMemory<byte> ContextName { get; }

    public Pdu Pdu { get; }

    public bool Equals(ScopedPdu? other) =>
        other is not null
        && ContextEngineId.Span.SequenceEqual(other.ContextEngineId.Span)
        && ContextName.Span.SequenceEqual(other.ContextName.Span)
        && Pdu.Equals(other.Pdu);

    public override bool Equals(object? obj) => Equals(obj as ScopedPdu);

    public override int GetHashCode() => HashCode.Combine(ContextEngineId.Length, ContextName.Length, Pdu);
}

/// <summary>
/// UsmSecurityParameters of RFC 3414 section 2.4, carried BER-encoded inside msgSecurityParameters.
/// The decoder keeps the numbers as sent; the USM checks their ranges (RFC 3414 section 3.2).
/// </summary>
public sealed class UsmSecurityParameters : IEquatable<UsmSecurityParameters>
{
    public UsmSecurityParameters(
        ReadOnlyMemory<byte> authoritativeEngineId,
        int authoritativeEngineBoots,
        int authoritativeEngineTime,
        ReadOnlyMemory<byte> userName,
        ReadOnlyMemory<byte> authenticationParameters,
        ReadOnlyMemory<byte> privacyParameters)
    {
        AuthoritativeEngineId = authoritativeEngineId;
        AuthoritativeEngineBoots = authoritativeEngineBoots;
        AuthoritativeEngineTime = authoritativeEngineTime;
        UserName = userName;
        AuthenticationParameters = authenticationParameters;
        PrivacyParameters = privacyParameters;
    }

    public ReadOnlyMemory<byte> AuthoritativeEngineId { get; }

    public int AuthoritativeEngineBoots { get; }

    public int AuthoritativeEngineTime { get; }

    public ReadOnlyMemory<byte> UserName { get; }

    /// <summary>The HMAC, or before signing a placeholder of zeros of the digest's length (RFC 3414 section 6.3.1, 7.3.1).</summary>
    public ReadOnlyMemory<byte> AuthenticationParameters { get; }

    /// <summary>The salt of the privacy protocol (RFC 3414 section 8.1.1.1, RFC 3826 section 3.1.2.1).</summary>
    public ReadOnlyMemory<byte> PrivacyParameters { get; }

    public bool Equals(UsmSecurityParameters? other) =>
        other is not null
        && AuthoritativeEngineId.Span.SequenceEqual(other.AuthoritativeEngineId.Span)
        && AuthoritativeEngineBoots == other.AuthoritativeEngineBoots
        && AuthoritativeEngineTime == other.AuthoritativeEngineTime
        && UserName.Span.SequenceEqual(other.UserName.Span)
        && AuthenticationParameters.Span.SequenceEqual(other.AuthenticationParameters.Span)
        && PrivacyParameters.Span.SequenceEqual(other.PrivacyParameters.Span);

    public override bool Equals(object? obj) => Equals(obj as UsmSecurityParameters);

    public override int GetHashCode() => HashCode.Combine(AuthoritativeEngineBoots, AuthoritativeEngineTime, UserName.Length);
}

/// <summary>
/// The SNMPv3 message of RFC 3412 section 6. msgData is either a plaintext <see cref="ScopedPdu"/> or,
/// when privacy is in use, the encrypted ScopedPDU (<see cref="EncryptedPdu"/>).
/// </summary>
/// <remarks>
/// Built with an object initializer. When <see cref="SecurityModel"/> is 3 (USM) the security parameters are
/// <see cref="Usm"/>; for any other model they stay the raw <see cref="RawSecurityParameters"/>.
/// <see cref="AuthenticationParametersOffset"/> is filled in by the decoder and is not part of equality.
/// </remarks>
public sealed class SnmpV3Message : SnmpMessage, IEquatable<SnmpV3Message>
{
    /// <summary>msgSecurityModel of the User-based Security Model (RFC 3411 section 5, SnmpSecurityModel).</summary>
    public const int UsmSecurityModel = 3;

    public override SnmpVersion Version => SnmpVersion.V3;

    /// <summary>msgID (RFC 3412 section 6.2).</summary>
    public int MessageId { get; init; }

    /// <summary>msgMaxSize (RFC 3412 section 6.3): at least 484.</summary>
    public int MaxSize { get; init; } = 65507;

    /// <summary>msgFlags (RFC 3412 section 6.4), kept as the byte sent.</summary>
    public SnmpV3FlagBits Flags { get; init; }

    /// <summary>msgSecurityModel (RFC 3412 section 6.5).</summary>
    public int SecurityModel { get; init; } = UsmSecurityModel;

    /// <summary>The USM parameters when <see cref="SecurityModel"/> is 3.</summary>
    public UsmSecurityParameters? Usm { get; init; }

    /// <summary>The content of msgSecurityParameters for other security models.</summary>
    public ReadOnlyMemory<byte> RawSecurityParameters { get; init; }

    /// <summary>The plaintext ScopedPDU, or null when msgData is encrypted.</summary>
    public ScopedPdu? ScopedPdu { get; init; }

    /// <summary>The encryptedPDU OCTET STRING's content when <see cref="ScopedPdu"/> is null.</summary>
    public ReadOnlyMemory<byte> EncryptedPdu { get; init; }

    /// <summary>
    /// Set by the decoder: the offset in the message of the first content octet of msgAuthenticationParameters
    /// (its length is <c>Usm.AuthenticationParameters.Length</c>), or -1 when the model is not USM.
    /// </summary>
    public int AuthenticationParametersOffset { get; init; } = -1;

    public bool Equals(SnmpV3Message? other) =>
        other is not null
        && MessageId == other.MessageId
        && MaxSize == other.MaxSize
        && Flags == other.Flags
        && SecurityModel == other.SecurityModel
        && Equals(Usm, other.Usm)
        && (Usm is not null || RawSecurityParameters.Span.SequenceEqual(other.RawSecurityParameters.Span))
        && Equals(ScopedPdu, other.ScopedPdu)
        && (ScopedPdu is not null || EncryptedPdu.Span.SequenceEqual(other.EncryptedPdu.Span));

    public override bool Equals(object? obj) => Equals(obj as SnmpV3Message);

    public override int GetHashCode() => HashCode.Combine(MessageId, MaxSize, Flags, SecurityModel);
}
