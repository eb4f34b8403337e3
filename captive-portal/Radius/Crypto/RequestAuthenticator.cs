using System.Security.Cryptography;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>
/// Request Authenticators. An Access-Request or Status-Server carries 16 random octets (RFC 2865 section 3: "SHOULD
/// exhibit global and temporal uniqueness"; RFC 5997 section 3). Accounting-Request (RFC 2866 section 3),
/// Disconnect-Request and CoA-Request (RFC 5176 section 2.3) carry a hash instead:
/// <code>
///   RequestAuth = MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret)
/// </code>
/// </summary>
public static class RequestAuthenticator
{
    /// <summary>16 octets from the system's cryptographic random generator, for an Access-Request or Status-Server.</summary>
    public static byte[] CreateRandom()
    {
        byte[] authenticator = new byte[RadiusPacket.AuthenticatorLength];
        RandomNumberGenerator.Fill(authenticator);
        return authenticator;
    }

    /// <summary>True for the codes whose Request Authenticator is the hash above rather than random.</summary>
    public static bool IsHashed(RadiusCode code) =>
        code is RadiusCode.AccountingRequest or RadiusCode.DisconnectRequest or RadiusCode.CoaRequest;

    /// <summary>
    /// Computes the hashed Request Authenticator of an encoded request into <paramref name="destination"/> (16 octets);
    /// the request's own Authenticator field is read as zeros. Throws <see cref="ArgumentException"/> for an unframed packet.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> request, ReadOnlySpan<byte> secret, Span<byte> destination)
    {
        if (!RadiusHash.TryFrame(request, out ReadOnlySpan<byte> packet))
        {
            throw new ArgumentException("not a framed RADIUS packet", nameof(request));
        }

        ReadOnlySpan<byte> zeros = stackalloc byte[RadiusPacket.AuthenticatorLength];
        RadiusHash.Md5(packet[..4], zeros, packet[RadiusPacket.HeaderLength..], secret, destination);
    }

    /// <summary>Writes the hashed Request Authenticator into an encoded Accounting, Disconnect or CoA request (last: it covers every octet).</summary>
    public static void Sign(Span<byte> request, ReadOnlySpan<byte> secret)
    {
        Span<byte> authenticator = stackalloc byte[RadiusPacket.AuthenticatorLength];
        Compute(request, secret, authenticator);
        authenticator.CopyTo(request[4..]);
    }

    /// <summary>
    /// True when a received Accounting, Disconnect or CoA request carries the right hashed Request Authenticator.
    /// Constant-time; an unframed packet is false, never an exception.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> request, ReadOnlySpan<byte> secret)
    {
        if (!RadiusHash.TryFrame(request, out ReadOnlySpan<byte> packet))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[RadiusPacket.AuthenticatorLength];
        ReadOnlySpan<byte> zeros = stackalloc byte[RadiusPacket.AuthenticatorLength];
        RadiusHash.Md5(packet[..4], zeros, packet[RadiusPacket.HeaderLength..], secret, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(4, RadiusPacket.AuthenticatorLength));
    }
}
