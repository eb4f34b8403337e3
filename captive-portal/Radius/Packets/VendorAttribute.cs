namespace Network.Radius.Packets;

/// <summary>
/// One vendor attribute carried inside a Vendor-Specific attribute (RFC 2865 section 5.26, in the format the RFC
/// recommends: vendor type, vendor length, value). Equality compares the vendor, the type and the value's bytes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The RFC 2865 name: an attribute of a packet, not a .NET attribute.")]
public readonly struct VendorAttribute : IEquatable<VendorAttribute>
{
    /// <summary>A Vendor-Specific value holds the Vendor-Id (4), the vendor type (1) and length (1): 253 - 6 octets remain.</summary>
    public const int MaxValueLength = RadiusAttribute.MaxValueLength - 6;

    public VendorAttribute(uint vendorId, byte vendorType, ReadOnlyMemory<byte> value)
    {
        VendorId = vendorId;
        VendorType = vendorType;
        Value = value;
    }

    public uint VendorId { get; }

    public byte VendorType { get; }

    public ReadOnlyMemory<byte> Value { get; }

    public static bool operator ==(VendorAttribute left, VendorAttribute right) => left.Equals(right);

    public static bool operator !=(VendorAttribute left, VendorAttribute right) => !left.Equals(right);

    public bool Equals(VendorAttribute other) =>
        VendorId == other.VendorId && VendorType == other.VendorType && Value.Span.SequenceEqual(other.Value.Span);

    public override bool Equals(object? obj) => obj is VendorAttribute other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(VendorId, VendorType, Value.Length);

    public override string ToString() => $"{VendorId}:{VendorType}={Convert.ToHexString(Value.Span)}";
}
