using System.Buffers.Binary;
using Network.Radius.Packets;

namespace Network.Radius.Codec;

/// <summary>
/// The Vendor-Specific attribute (RFC 2865 section 5.26): a Vendor-Id (the vendor's IANA private enterprise number)
/// followed by vendor attributes in the recommended format.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Type (26)    |  Length       |            Vendor-Id
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///      Vendor-Id (cont)           | Vendor type   | Vendor length |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Attribute-Specific...  (Vendor length - 2 octets); then more vendor attributes
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The Vendor-Id's high-order octet is 0 (section 5.26); a value shorter than 5 octets (Length under 7) or whose vendor
/// attributes do not tile it exactly is not in this format: <see cref="TryDecode"/> is false, <see cref="Decode"/>
/// throws <see cref="RadiusDecodeException"/>. Several vendor attributes in one Vendor-Specific are read; the encoder
/// writes one per Vendor-Specific, as FreeRADIUS does.
/// </remarks>
public static class VendorSpecific
{
    /// <summary>RFC 2865 section 5.26: Vendor-Specific is attribute 26.</summary>
    public const byte AttributeType = 26;

    private const int VendorIdLength = 4;

    /// <summary>A Vendor-Specific attribute carrying one vendor attribute (value up to 247 octets).</summary>
    public static RadiusAttribute Create(uint vendorId, byte vendorType, ReadOnlySpan<byte> value)
    {
        if (value.Length > VendorAttribute.MaxValueLength)
        {
            throw new ArgumentException($"a vendor attribute value has at most {VendorAttribute.MaxValueLength} octets, not {value.Length}", nameof(value));
        }

        if (vendorId > 0x00FF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(vendorId), vendorId, "RFC 2865 section 5.26: the Vendor-Id's high-order octet is 0");
        }

        Span<byte> buffer = stackalloc byte[RadiusAttribute.MaxValueLength];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, vendorId);
        buffer[4] = vendorType;
        buffer[5] = (byte)(value.Length + 2);
        value.CopyTo(buffer[6..]);
        return new RadiusAttribute(AttributeType, buffer[..(value.Length + 6)]);
    }

    public static RadiusAttribute Create(VendorAttribute attribute) => Create(attribute.VendorId, attribute.VendorType, attribute.Value.Span);

    /// <summary>The Vendor-Id of a Vendor-Specific value, if it has one (at least 4 octets, high-order octet 0).</summary>
    public static bool TryGetVendorId(ReadOnlySpan<byte> value, out uint vendorId)
    {
        vendorId = 0;
        if (value.Length < VendorIdLength || value[0] != 0)
        {
            return false;
        }

        vendorId = BinaryPrimitives.ReadUInt32BigEndian(value);
        return true;
    }

    /// <summary>The vendor attributes of a Vendor-Specific attribute, or false when its value is not in the recommended format.</summary>
    public static bool TryDecode(RadiusAttribute vendorSpecific, out VendorAttribute[] attributes)
    {
        int count = Walk(vendorSpecific.Value.Span, out _);
        if (vendorSpecific.Type != AttributeType || count < 0)
        {
            attributes = [];
            return false;
        }

        attributes = Collect(vendorSpecific.Value, count);
        return true;
    }

    /// <summary>
    /// The vendor attributes of a Vendor-Specific attribute; throws <see cref="RadiusDecodeException"/>, with the offset
    /// in the packet when the attribute came from one, when its value is not in the recommended format.
    /// </summary>
    public static VendorAttribute[] Decode(RadiusAttribute vendorSpecific)
    {
        int origin = vendorSpecific.Offset >= 0 ? vendorSpecific.Offset + 2 : 0;
        if (vendorSpecific.Type != AttributeType)
        {
            throw new RadiusDecodeException($"attribute {vendorSpecific.Type} is not Vendor-Specific ({AttributeType})", vendorSpecific.Offset);
        }

        int count = Walk(vendorSpecific.Value.Span, out int badAt);
        if (count < 0)
        {
            throw new RadiusDecodeException("a Vendor-Specific value not in the format of RFC 2865 section 5.26", origin + badAt);
        }

        return Collect(vendorSpecific.Value, count);
    }

    /// <summary>
    /// The value of the first vendor attribute (<paramref name="vendorId"/>, <paramref name="vendorType"/>) inside one
    /// Vendor-Specific value, without allocating. False when absent or when the value is not in the recommended format.
    /// </summary>
    public static bool TryFind(ReadOnlyMemory<byte> vendorSpecificValue, uint vendorId, byte vendorType, out ReadOnlyMemory<byte> value)
    {
        value = default;
        ReadOnlySpan<byte> span = vendorSpecificValue.Span;
        if (Walk(span, out _) < 0 || BinaryPrimitives.ReadUInt32BigEndian(span) != vendorId)
        {
            return false;
        }

        int position = VendorIdLength;
        while (position < span.Length)
        {
            int length = span[position + 1];
            if (span[position] == vendorType)
            {
                value = vendorSpecificValue.Slice(position + 2, length - 2);
                return true;
            }

            position += length;
        }

        return false;
    }

    // The number of vendor attributes, or -1 with the offset (in the value) of the first problem.
    private static int Walk(ReadOnlySpan<byte> value, out int badAt)
    {
        badAt = 0;
        if (value.Length < VendorIdLength + 1 || value[0] != 0)
        {
            return -1;
        }

        int count = 0;
        int position = VendorIdLength;
        while (position < value.Length)
        {
            if (position + 2 > value.Length || value[position + 1] < 2 || position + value[position + 1] > value.Length)
            {
                badAt = position;
                return -1;
            }

            count++;
            position += value[position + 1];
        }

        return count;
    }

    private static VendorAttribute[] Collect(ReadOnlyMemory<byte> value, int count)
    {
        ReadOnlySpan<byte> span = value.Span;
        uint vendorId = BinaryPrimitives.ReadUInt32BigEndian(span);
        var result = new VendorAttribute[count];
        int position = VendorIdLength;
        for (int i = 0; i < count; i++)
        {
            int length = span[position + 1];
            result[i] = new VendorAttribute(vendorId, span[position], value.Slice(position + 2, length - 2));
            position += length;
        }

        return result;
    }
}
