namespace Network.Snmp.Ber;

/// <summary>
/// Bounds the decoders enforce on untrusted input. Passed in, never read from configuration here:
/// the policy that picks them lives with the manager or the responder.
/// </summary>
public sealed record SnmpDecodeLimits
{
    /// <summary>An SNMPv3 variable binding sits five constructed levels deep; eight leaves room and no more.</summary>
    public const int DefaultMaxDepth = 8;

    public static SnmpDecodeLimits Default { get; } = new();

    /// <summary>How many constructed encodings (SEQUENCE, PDU, encapsulating OCTET STRING) may nest.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>The most variable bindings one PDU may carry (RFC 3416 section 3, max-bindings is 2147483647; we bound it).</summary>
    public int MaxVarBinds { get; init; } = 2048;

    /// <summary>The largest message accepted: a UDP datagram over IPv4 carries at most 65507 bytes.</summary>
    public int MaxMessageSize { get; init; } = 65507;
}
