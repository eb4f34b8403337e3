namespace Network.Radius.Packets;

/// <summary>
/// One attribute of a packet (RFC 2865 section 5): a type and a value of 0 to 253 octets. A Vendor-Specific attribute
/// (type 26) keeps its whole value here, Vendor-Id included; <see cref="Codec.VendorSpecific"/> reads and builds it.
/// </summary>
/// <remarks>
/// A decoded attribute's <see cref="Value"/> is a slice of <see cref="RadiusPacket.Raw"/> and <see cref="Offset"/> is
/// where its Type octet sits there, so the raw bytes of every attribute stay available. Equality compares the type
/// and the value's bytes, never the offset.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The RFC 2865 name: an attribute of a packet, not a .NET attribute.")]
public readonly struct RadiusAttribute : IEquatable<RadiusAttribute>
{
    /// <summary>RFC 2865 section 5: the Length octet counts Type, Length and Value, so a value has at most 253 octets.</summary>
    public const int MaxValueLength = 253;

    /// <summary>An attribute with a value of its own (copied), not tied to any packet.</summary>
    public RadiusAttribute(byte type, ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxValueLength)
        {
            throw new ArgumentException($"an attribute value has at most {MaxValueLength} octets, not {value.Length}", nameof(value));
        }

        Type = type;
        Value = value.ToArray();
        Offset = -1;
    }

    /// <summary>An attribute over bytes the caller owns: the decoder's constructor, no copy.</summary>
    internal RadiusAttribute(byte type, ReadOnlyMemory<byte> value, int offset)
    {
        Type = type;
        Value = value;
        Offset = offset;
    }

    public byte Type { get; }

    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Where the Type octet is in the decoded packet's <see cref="RadiusPacket.Raw"/>, or -1 for a built attribute.</summary>
    public int Offset { get; }

    /// <summary>The encoded size: Type, Length and Value.</summary>
    public int EncodedLength => 2 + Value.Length;

    public static bool operator ==(RadiusAttribute left, RadiusAttribute right) => left.Equals(right);

    public static bool operator !=(RadiusAttribute left, RadiusAttribute right) => !left.Equals(right);

    public bool Equals(RadiusAttribute other) => Type == other.Type && Value.Span.SequenceEqual(other.Value.Span);

    public override bool Equals(object? obj) => obj is RadiusAttribute other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(Value.Span);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Type}={Convert.ToHexString(Value.Span)}";
}
