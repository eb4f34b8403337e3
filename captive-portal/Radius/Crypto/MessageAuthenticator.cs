using System.Security.Cryptography;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>What <see cref="MessageAuthenticator.Verify"/> found.</summary>
public enum MessageAuthenticatorStatus
{
    /// <summary>No Message-Authenticator attribute: the policy decides (BlastRADIUS: reject Access-Requests without one).</summary>
    Missing,

    /// <summary>Exactly one, 16 octets, with the right HMAC.</summary>
    Valid,

    /// <summary>A wrong HMAC, a value that is not 16 octets, more than one of them, or a packet that is not framed.</summary>
    Invalid,
}

/// <summary>
/// Message-Authenticator (RFC 3579 section 3.2), attribute 80, 16 octets:
/// <code>
///   Message-Authenticator = HMAC-MD5(Type, Identifier, Length, Request Authenticator, Attributes)
/// </code>
/// keyed with the shared secret, computed with the attribute's own value as 16 zero octets. The Authenticator field
/// holds, while computing:
/// <list type="bullet">
/// <item>Access-Request and Status-Server (RFC 5997 section 3): the packet's own random Request Authenticator;</item>
/// <item>Accounting-Request, Disconnect-Request, CoA-Request (RFC 5176 section 3.3): 16 zero octets; the hashed Request
/// Authenticator is computed afterwards over the finished Message-Authenticator;</item>
/// <item>every reply (RFC 3579 section 3.2): the Request Authenticator of the request it answers; the Response
/// Authenticator is computed afterwards.</item>
/// </list>
/// BlastRADIUS (CVE-2024-3596): replies carry it as their first attribute, and servers require it in Access-Requests.
/// </summary>
public static class MessageAuthenticator
{
    /// <summary>RFC 3579 section 3.2: Message-Authenticator is attribute 80.</summary>
    public const byte AttributeType = 80;

    /// <summary>RFC 3579 section 3.2: the value is 16 octets (Length 18).</summary>
    public const int ValueLength = 16;

    /// <summary>True for request codes; the replies are every other code.</summary>
    public static bool IsRequest(RadiusCode code) =>
        code is RadiusCode.AccessRequest or RadiusCode.StatusServer or RadiusCode.AccountingRequest
            or RadiusCode.DisconnectRequest or RadiusCode.CoaRequest or RadiusCode.StatusClient;

    /// <summary>A Message-Authenticator attribute of 16 zero octets: the placeholder <see cref="Sign"/> fills.</summary>
    public static RadiusAttribute CreatePlaceholder() => new(AttributeType, stackalloc byte[ValueLength]);

    /// <summary>
    /// Fills the Message-Authenticator of an encoded packet in place. For a reply pass the Request Authenticator of the
    /// request it answers; for a request leave it empty. Throws <see cref="ArgumentException"/> when the packet is not
    /// framed, has no Message-Authenticator of 16 octets, or is a reply and no request authenticator is given.
    /// </summary>
    public static void Sign(Span<byte> packet, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator = default)
    {
        if (!RadiusHash.TryFrame(packet, out ReadOnlySpan<byte> framed))
        {
            throw new ArgumentException("not a framed RADIUS packet", nameof(packet));
        }

        int valueOffset = FindValue(framed, out int count);
        if (count != 1 || valueOffset < 0)
        {
            throw new ArgumentException("the packet needs exactly one Message-Authenticator of 16 octets", nameof(packet));
        }

        Span<byte> field = stackalloc byte[RadiusPacket.AuthenticatorLength];
        AuthenticatorField((RadiusCode)framed[0], framed, requestAuthenticator, field);
        Span<byte> mac = stackalloc byte[ValueLength];
        RadiusHash.HmacMd5(secret, framed, field, valueOffset, mac);
        mac.CopyTo(packet[valueOffset..]);
    }

    /// <summary>
    /// Checks the Message-Authenticator of a received packet (bytes as received; padding after Length is ignored). For a
    /// reply pass the Request Authenticator of the request it answers (without one a reply is <see cref="MessageAuthenticatorStatus.Invalid"/>).
    /// Constant-time. Never throws.
    /// </summary>
    public static MessageAuthenticatorStatus Verify(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator = default)
    {
        if (!RadiusHash.TryFrame(packet, out ReadOnlySpan<byte> framed))
        {
            return MessageAuthenticatorStatus.Invalid;
        }

        int valueOffset = FindValue(framed, out int count);
        if (count == 0)
        {
            return MessageAuthenticatorStatus.Missing;
        }

        if (count > 1 || valueOffset < 0)
        {
            return MessageAuthenticatorStatus.Invalid;
        }

        var code = (RadiusCode)framed[0];
        if (!IsRequest(code) && requestAuthenticator.Length != RadiusPacket.AuthenticatorLength)
        {
            // A reply (or a request whose Code was altered into a reply's) cannot be checked without the request.
            return MessageAuthenticatorStatus.Invalid;
        }

        Span<byte> field = stackalloc byte[RadiusPacket.AuthenticatorLength];
        AuthenticatorField(code, framed, requestAuthenticator, field);
        Span<byte> mac = stackalloc byte[ValueLength];
        RadiusHash.HmacMd5(secret, framed, field, valueOffset, mac);
        return CryptographicOperations.FixedTimeEquals(mac, framed.Slice(valueOffset, ValueLength))
            ? MessageAuthenticatorStatus.Valid
            : MessageAuthenticatorStatus.Invalid;
    }

    private static void AuthenticatorField(RadiusCode code, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> requestAuthenticator, Span<byte> field)
    {
        if (code is RadiusCode.AccessRequest or RadiusCode.StatusServer or RadiusCode.StatusClient)
        {
            packet.Slice(4, RadiusPacket.AuthenticatorLength).CopyTo(field);
        }
        else if (RequestAuthenticator.IsHashed(code))
        {
            field.Clear();
        }
        else
        {
            UserPassword.RequireAuthenticator(requestAuthenticator);
            requestAuthenticator.CopyTo(field);
        }
    }

    // The offset of the (first) Message-Authenticator value, -1 if none or if it is not 16 octets or the framing is
    // broken; count is how many there are (broken framing counts as 2, which reads as invalid).
    private static int FindValue(ReadOnlySpan<byte> packet, out int count)
    {
        count = 0;
        int valueOffset = -1;
        int position = RadiusPacket.HeaderLength;
        while (position < packet.Length)
        {
            if (position + 2 > packet.Length || packet[position + 1] < 2 || position + packet[position + 1] > packet.Length)
            {
                count = 2;
                return -1;
            }

            if (packet[position] == AttributeType)
            {
                if (++count == 1 && packet[position + 1] == ValueLength + 2)
                {
                    valueOffset = position + 2;
                }
            }

            position += packet[position + 1];
        }

        return valueOffset;
    }
}
