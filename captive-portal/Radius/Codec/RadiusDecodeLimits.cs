namespace Network.Radius.Codec;

/// <summary>
/// Bounds the decoder enforces on untrusted input. Passed in, never read from configuration here: the policy that
/// picks them lives with the server or the client.
/// </summary>
public sealed record RadiusDecodeLimits
{
    /// <summary>RFC 2865 section 3: "The minimum length is 20 and maximum length is 4096."</summary>
    public const int MaxPacketLength = 4096;

    /// <summary>RFC 2865 section 3: the header (Code, Identifier, Length, Authenticator) is 20 octets.</summary>
    public const int MinPacketLength = 20;

    public static RadiusDecodeLimits Default { get; } = new();

    /// <summary>
    /// The most attributes one packet may carry. A 4096-octet packet holds at most 2038 empty attributes; real ones
    /// carry a few dozen, an EAP exchange a few more.
    /// </summary>
    public int MaxAttributes { get; init; } = 512;
}
