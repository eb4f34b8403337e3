using System.Buffers.Binary;
using Network.Radius.Codec;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>
/// Encodes and signs whole packets in the order the RFCs require: Message-Authenticator first (the BlastRADIUS
/// mitigation, CVE-2024-3596: an attacker's chosen-prefix collision needs attributes before it), then the Authenticator
/// field, which covers the finished Message-Authenticator. Any Message-Authenticator in the model is dropped and
/// replaced by the computed one.
/// </summary>
public static class PacketSigner
{
    private const int MessageAuthenticatorAttributeLength = MessageAuthenticator.ValueLength + 2;

    /// <summary>
    /// A reply (Access-Accept/Reject/Challenge, Accounting-Response, Disconnect/CoA ACK or NAK) to the request whose
    /// Authenticator is <paramref name="requestAuthenticator"/>: Message-Authenticator first (RFC 3579 section 3.2),
    /// then the Response Authenticator (RFC 2865 section 3). <paramref name="response"/>'s Authenticator is ignored.
    /// A server answering a request uses the overload that takes the request, which also copies its Proxy-States.
    /// </summary>
    public static byte[] EncodeResponse(
        RadiusPacket response, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret, bool addMessageAuthenticator = true)
    {
        byte[] result = new byte[EncodedLength(response, addMessageAuthenticator, null)];
        WriteResponse(response, requestAuthenticator, secret, result, addMessageAuthenticator);
        return result;
    }

    /// <summary><see cref="EncodeResponse(RadiusPacket, ReadOnlySpan{byte}, ReadOnlySpan{byte}, bool)"/> into <paramref name="destination"/>; returns the octets written.</summary>
    public static int WriteResponse(
        RadiusPacket response, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret, Span<byte> destination, bool addMessageAuthenticator = true) =>
        Sign(response, null, requestAuthenticator, secret, destination, addMessageAuthenticator);

    /// <summary>
    /// The reply to <paramref name="request"/>, as <see cref="EncodeResponse(RadiusPacket, ReadOnlySpan{byte}, ReadOnlySpan{byte}, bool)"/>
    /// makes it, with every Proxy-State of the request copied, in order and unchanged, after the reply's own attributes
    /// (RFC 2865 section 5.33, RFC 2866 section 5.15, RFC 5176 section 3.5); any Proxy-State in <paramref name="response"/>
    /// is left out. The authenticators are computed over the reply with them in it.
    /// </summary>
    public static byte[] EncodeResponse(RadiusPacket response, RadiusPacket request, ReadOnlySpan<byte> secret, bool addMessageAuthenticator = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] result = new byte[EncodedLength(response, addMessageAuthenticator, request)];
        Sign(response, request, request.Authenticator.Span, secret, result, addMessageAuthenticator);
        return result;
    }

    private static int Sign(
        RadiusPacket response, RadiusPacket? request, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret, Span<byte> destination,
        bool addMessageAuthenticator)
    {
        UserPassword.RequireAuthenticator(requestAuthenticator);
        int length = WriteUnsigned(response, addMessageAuthenticator, request, destination);
        Span<byte> packet = destination[..length];
        if (addMessageAuthenticator)
        {
            MessageAuthenticator.Sign(packet, secret, requestAuthenticator);
        }

        ResponseAuthenticator.Sign(packet, requestAuthenticator, secret);
        return length;
    }

    /// <summary>
    /// A request. Access-Request and Status-Server keep <paramref name="request"/>'s Authenticator (make it with
    /// <see cref="RequestAuthenticator.CreateRandom"/>, and hide User-Password with it) and get a Message-Authenticator
    /// first; Status-Server always gets one (RFC 5997 section 3). Accounting, Disconnect and CoA requests get the
    /// Message-Authenticator when asked (computed over a zero Authenticator, RFC 5176 section 3.3) and then the hashed
    /// Request Authenticator (RFC 2866 section 3, RFC 5176 section 2.3).
    /// </summary>
    public static byte[] EncodeRequest(RadiusPacket request, ReadOnlySpan<byte> secret, bool addMessageAuthenticator = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        addMessageAuthenticator |= request.Code == RadiusCode.StatusServer;
        byte[] result = new byte[EncodedLength(request, addMessageAuthenticator, null)];
        WriteUnsigned(request, addMessageAuthenticator, null, result);
        bool hashed = RequestAuthenticator.IsHashed(request.Code);
        if (hashed)
        {
            result.AsSpan(4, RadiusPacket.AuthenticatorLength).Clear();
        }

        if (addMessageAuthenticator)
        {
            MessageAuthenticator.Sign(result, secret);
        }

        if (hashed)
        {
            RequestAuthenticator.Sign(result, secret);
        }

        return result;
    }

    /// <summary>Whether <paramref name="attribute"/> of the packet is written: not a Message-Authenticator that is replaced, not a Proxy-State that is.</summary>
    private static bool Kept(in RadiusAttribute attribute, bool addMessageAuthenticator, RadiusPacket? echoProxyStatesOf) =>
        !(addMessageAuthenticator && attribute.Type == MessageAuthenticator.AttributeType)
        && !(echoProxyStatesOf is not null && attribute.Type == RadiusAttributes.ProxyState.Type);

    private static int EncodedLength(RadiusPacket packet, bool addMessageAuthenticator, RadiusPacket? echoProxyStatesOf)
    {
        ArgumentNullException.ThrowIfNull(packet);
        int length = RadiusPacket.HeaderLength + (addMessageAuthenticator ? MessageAuthenticatorAttributeLength : 0);
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            if (Kept(attribute, addMessageAuthenticator, echoProxyStatesOf))
            {
                length += attribute.EncodedLength;
            }
        }

        if (echoProxyStatesOf is not null)
        {
            foreach (RadiusAttribute attribute in echoProxyStatesOf.Attributes)
            {
                if (attribute.Type == RadiusAttributes.ProxyState.Type)
                {
                    length += attribute.EncodedLength;
                }
            }
        }

        if (length > RadiusDecodeLimits.MaxPacketLength)
        {
            throw new ArgumentException(
                $"the packet would be {length} octets; RFC 2865 section 3 allows {RadiusDecodeLimits.MaxPacketLength}", nameof(packet));
        }

        return length;
    }

    private static int WriteUnsigned(RadiusPacket packet, bool addMessageAuthenticator, RadiusPacket? echoProxyStatesOf, Span<byte> destination)
    {
        int length = EncodedLength(packet, addMessageAuthenticator, echoProxyStatesOf);
        if (destination.Length < length)
        {
            throw new ArgumentException($"the packet needs {length} octets, the destination has {destination.Length}", nameof(destination));
        }

        destination[0] = (byte)packet.Code;
        destination[1] = packet.Identifier;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        packet.Authenticator.Span.CopyTo(destination[4..]);
        int position = RadiusPacket.HeaderLength;
        if (addMessageAuthenticator)
        {
            position += RadiusCodec.WriteAttribute(MessageAuthenticator.AttributeType, stackalloc byte[MessageAuthenticator.ValueLength], destination[position..]);
        }

        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            if (Kept(attribute, addMessageAuthenticator, echoProxyStatesOf))
            {
                position += RadiusCodec.WriteAttribute(attribute.Type, attribute.Value.Span, destination[position..]);
            }
        }

        if (echoProxyStatesOf is not null)
        {
            foreach (RadiusAttribute attribute in echoProxyStatesOf.Attributes)
            {
                if (attribute.Type == RadiusAttributes.ProxyState.Type)
                {
                    position += RadiusCodec.WriteAttribute(attribute.Type, attribute.Value.Span, destination[position..]);
                }
            }
        }

        return length;
    }
}
