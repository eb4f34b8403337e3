using System.Buffers;
using System.Buffers.Binary;
using Network.Radius.Packets;

namespace Network.Radius.Codec;

/// <summary>
/// The wire format of RADIUS packets (RFC 2865 sections 3 and 5). Pure span functions: no sockets, no secrets, no
/// policy. The decoders throw <see cref="RadiusDecodeException"/> and nothing else on any input; the encoders throw
/// <see cref="ArgumentException"/> for a packet that has no encoding (over 4096 octets).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Code      |  Identifier   |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                         Authenticator                         |
/// |                          (16 octets)                          |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Attributes: Type (1) | Length (1, counts Type and Length) | Value ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <para>Accepted: octets after Length (RFC 2865 section 3: "Octets outside the range of the Length field MUST be
/// treated as padding and ignored"); any Code octet (unknown codes are the policy's to discard, section 3); a
/// Vendor-Specific value of any layout (it is read by <see cref="VendorSpecific"/> on demand).</para>
/// <para>Rejected: fewer than 20 octets, a Length under 20 or over 4096 (section 3), a Length beyond the datagram
/// ("the packet MUST be silently discarded"), an attribute Length under 2 or past the end of the packet (section 5),
/// more attributes than <see cref="RadiusDecodeLimits.MaxAttributes"/>.</para>
/// </remarks>
public static class RadiusCodec
{
    private const int CodeOffset = 0;
    private const int IdentifierOffset = 1;
    private const int LengthOffset = 2;
    private const int AuthenticatorOffset = 4;

    /// <summary>
    /// Reads the packet at the start of <paramref name="input"/>. False when the input is shorter than the header or than
    /// the Length field says (a UDP server discards such a datagram, RFC 2865 section 3; a stream reader waits for more).
    /// <paramref name="consumed"/> is the Length field: what follows it is padding.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> input, out RadiusPacket? packet, out int consumed, RadiusDecodeLimits? limits = null)
    {
        packet = null;
        consumed = 0;
        if (input.Length < RadiusPacket.HeaderLength)
        {
            return false;
        }

        int length = ReadLength(input);
        if (length > input.Length)
        {
            return false;
        }

        packet = ReadPacket(input[..length], limits ?? RadiusDecodeLimits.Default);
        consumed = length;
        return true;
    }

    /// <summary>Decodes one datagram; padding after the Length field is ignored, a truncated packet is an error.</summary>
    public static RadiusPacket Decode(ReadOnlySpan<byte> datagram, RadiusDecodeLimits? limits = null)
    {
        if (datagram.Length < RadiusPacket.HeaderLength)
        {
            throw new RadiusDecodeException($"a packet of {datagram.Length} octets is shorter than the {RadiusPacket.HeaderLength}-octet header", datagram.Length);
        }

        int length = ReadLength(datagram);
        if (length > datagram.Length)
        {
            throw new RadiusDecodeException($"the Length field says {length} octets, the datagram has {datagram.Length}", LengthOffset);
        }

        return ReadPacket(datagram[..length], limits ?? RadiusDecodeLimits.Default);
    }

    /// <summary>
    /// Checks a packet's framing without allocating: the Length field and every attribute header. Returns the Length
    /// field (the packet's size, padding excluded). Throws <see cref="RadiusDecodeException"/> like <see cref="Decode"/>.
    /// </summary>
    public static int Validate(ReadOnlySpan<byte> datagram, RadiusDecodeLimits? limits = null)
    {
        if (datagram.Length < RadiusPacket.HeaderLength)
        {
            throw new RadiusDecodeException($"a packet of {datagram.Length} octets is shorter than the {RadiusPacket.HeaderLength}-octet header", datagram.Length);
        }

        int length = ReadLength(datagram);
        if (length > datagram.Length)
        {
            throw new RadiusDecodeException($"the Length field says {length} octets, the datagram has {datagram.Length}", LengthOffset);
        }

        CountAttributes(datagram[..length], (limits ?? RadiusDecodeLimits.Default).MaxAttributes);
        return length;
    }

    /// <summary>The number of octets <see cref="Write(RadiusPacket, Span{byte})"/> writes for <paramref name="packet"/>.</summary>
    public static int GetEncodedLength(RadiusPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        int length = RadiusPacket.HeaderLength;
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            length += attribute.EncodedLength;
        }

        return length;
    }

    /// <summary>Encodes a packet into a new array.</summary>
    public static byte[] Encode(RadiusPacket packet)
    {
        byte[] result = new byte[CheckedLength(packet)];
        Write(packet, result);
        return result;
    }

    /// <summary>Encodes a packet into <paramref name="writer"/>; returns the number of octets written.</summary>
    public static int Write(RadiusPacket packet, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = CheckedLength(packet);
        Span<byte> destination = writer.GetSpan(length);
        Write(packet, destination);
        writer.Advance(length);
        return length;
    }

    /// <summary>Encodes a packet at the start of <paramref name="destination"/>; returns the number of octets written.</summary>
    public static int Write(RadiusPacket packet, Span<byte> destination)
    {
        int length = CheckedLength(packet);
        if (destination.Length < length)
        {
            throw new ArgumentException($"the packet needs {length} octets, the destination has {destination.Length}", nameof(destination));
        }

        destination[CodeOffset] = (byte)packet.Code;
        destination[IdentifierOffset] = packet.Identifier;
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], (ushort)length);
        packet.Authenticator.Span.CopyTo(destination[AuthenticatorOffset..]);
        int position = RadiusPacket.HeaderLength;
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            position += WriteAttribute(attribute.Type, attribute.Value.Span, destination[position..]);
        }

        return length;
    }

    /// <summary>Writes one Type-Length-Value; returns the octets written (2 + the value's length).</summary>
    public static int WriteAttribute(byte type, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        if (value.Length > RadiusAttribute.MaxValueLength)
        {
            throw new ArgumentException($"an attribute value has at most {RadiusAttribute.MaxValueLength} octets, not {value.Length}", nameof(value));
        }

        destination[0] = type;
        destination[1] = (byte)(value.Length + 2);
        value.CopyTo(destination[2..]);
        return value.Length + 2;
    }

    private static int CheckedLength(RadiusPacket packet)
    {
        int length = GetEncodedLength(packet);
        if (length > RadiusDecodeLimits.MaxPacketLength)
        {
            throw new ArgumentException(
                $"the packet would be {length} octets; RFC 2865 section 3 allows {RadiusDecodeLimits.MaxPacketLength}", nameof(packet));
        }

        return length;
    }

    // RFC 2865 section 3, Length: "The minimum length is 20 and maximum length is 4096."
    private static int ReadLength(ReadOnlySpan<byte> input)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(input[LengthOffset..]);
        if (length < RadiusDecodeLimits.MinPacketLength || length > RadiusDecodeLimits.MaxPacketLength)
        {
            throw new RadiusDecodeException(
                $"the Length field says {length}; RFC 2865 section 3 allows {RadiusDecodeLimits.MinPacketLength} to {RadiusDecodeLimits.MaxPacketLength}",
                LengthOffset);
        }

        return length;
    }

    private static RadiusPacket ReadPacket(ReadOnlySpan<byte> packet, RadiusDecodeLimits limits)
    {
        int count = CountAttributes(packet, limits.MaxAttributes);
        byte[] raw = packet.ToArray();
        var attributes = new List<RadiusAttribute>(count);
        int position = RadiusPacket.HeaderLength;
        while (position < raw.Length)
        {
            int attributeLength = raw[position + 1];
            attributes.Add(new RadiusAttribute(raw[position], raw.AsMemory(position + 2, attributeLength - 2), position));
            position += attributeLength;
        }

        return RadiusPacket.FromDecoded((RadiusCode)raw[CodeOffset], raw[IdentifierOffset], raw, attributes);
    }

    // RFC 2865 section 5: "If an Attribute is received in an Access-Request but with an invalid Length, an
    // Access-Reject SHOULD be transmitted"; the codec reports it, the policy answers or discards.
    private static int CountAttributes(ReadOnlySpan<byte> packet, int maxAttributes)
    {
        int count = 0;
        int position = RadiusPacket.HeaderLength;
        while (position < packet.Length)
        {
            if (position + 2 > packet.Length)
            {
                throw new RadiusDecodeException("an attribute header is cut off by the end of the packet", position);
            }

            int attributeLength = packet[position + 1];
            if (attributeLength < 2)
            {
                throw new RadiusDecodeException($"an attribute Length of {attributeLength} (the minimum is 2, RFC 2865 section 5)", position + 1);
            }

            if (position + attributeLength > packet.Length)
            {
                throw new RadiusDecodeException(
                    $"an attribute of {attributeLength} octets runs {position + attributeLength - packet.Length} octets past the end of the packet", position + 1);
            }

            if (++count > maxAttributes)
            {
                throw new RadiusDecodeException($"more than {maxAttributes} attributes", position);
            }

            position += attributeLength;
        }

        return count;
    }
}
