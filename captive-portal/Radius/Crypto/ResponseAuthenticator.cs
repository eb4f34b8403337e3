using System.Security.Cryptography;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>
/// The Response Authenticator of every reply (RFC 2865 section 3; RFC 2866 section 3 for Accounting-Response; RFC 5176
/// section 2.3 for the ACKs and NAKs of Disconnect and CoA):
/// <code>
///   ResponseAuth = MD5(Code + ID + Length + RequestAuth + Attributes + Secret)
/// </code>
/// RequestAuth is the Authenticator of the request being answered.
/// </summary>
public static class ResponseAuthenticator
{
    /// <summary>
    /// Computes the Response Authenticator of an encoded reply into <paramref name="destination"/> (16 octets). The
    /// reply's own Authenticator field is not read. Throws <see cref="ArgumentException"/> when the reply is not framed
    /// (under 20 octets, or its Length field disagrees).
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> response, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret, Span<byte> destination)
    {
        UserPassword.RequireAuthenticator(requestAuthenticator);
        if (!RadiusHash.TryFrame(response, out ReadOnlySpan<byte> packet))
        {
            throw new ArgumentException("not a framed RADIUS packet", nameof(response));
        }

        RadiusHash.Md5(packet[..4], requestAuthenticator, packet[RadiusPacket.HeaderLength..], secret, destination);
    }

    /// <summary>Writes the Response Authenticator into an encoded reply's Authenticator field (do it last: it covers every other octet).</summary>
    public static void Sign(Span<byte> response, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        Span<byte> authenticator = stackalloc byte[RadiusPacket.AuthenticatorLength];
        Compute(response, requestAuthenticator, secret, authenticator);
        authenticator.CopyTo(response[4..]);
    }

    /// <summary>
    /// True when a received reply's Authenticator is right for the request it answers. Compared in constant time; an
    /// unframed reply (or a request authenticator that is not 16 octets) is false, never an exception.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> response, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        if (requestAuthenticator.Length != RadiusPacket.AuthenticatorLength || !RadiusHash.TryFrame(response, out ReadOnlySpan<byte> packet))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[RadiusPacket.AuthenticatorLength];
        RadiusHash.Md5(packet[..4], requestAuthenticator, packet[RadiusPacket.HeaderLength..], secret, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(4, RadiusPacket.AuthenticatorLength));
    }
}
