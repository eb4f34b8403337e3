namespace Network.Radius.Dictionary;

/// <summary>A named value of an enumerated attribute: Acct-Status-Type Start = 1.</summary>
public readonly record struct RadiusNamedValue(string Name, uint Value);

/// <summary>
/// What an attribute is: its name, where it lives (a standard type, or a vendor's type inside Vendor-Specific), its
/// data type, and for enumerated attributes the names of its values.
/// </summary>
public sealed class RadiusAttributeDefinition
{
    private readonly RadiusNamedValue[] _values;

    public RadiusAttributeDefinition(
        string name, byte type, RadiusDataType dataType, uint vendorId = 0, bool concat = false, IEnumerable<RadiusNamedValue>? values = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vendorId, 0x00FF_FFFFu); // RFC 2865 section 5.26: high-order octet 0
        Name = name;
        Type = type;
        DataType = dataType;
        VendorId = vendorId;
        Concat = concat;
        _values = values is null ? [] : [.. values];
    }

    public string Name { get; }

    /// <summary>The attribute type, or the vendor type when <see cref="VendorId"/> is not 0.</summary>
    public byte Type { get; }

    public RadiusDataType DataType { get; }

    /// <summary>0 for a standard attribute; else the vendor's IANA private enterprise number.</summary>
    public uint VendorId { get; }

    public bool IsVendorSpecific => VendorId != 0;

    /// <summary>
    /// True when a long value is split over several attributes of this type and read back as their concatenation
    /// (EAP-Message, RFC 3579 section 3.1). Other attributes that may repeat (Reply-Message, Class, Proxy-State) carry one
    /// value per attribute.
    /// </summary>
    public bool Concat { get; }

    /// <summary>The named values of an <see cref="RadiusDataType.Enum"/> attribute, in definition order.</summary>
    public IReadOnlyList<RadiusNamedValue> Values => _values;

    /// <summary>The number of a value name (case-insensitive; the first definition wins when two names share a number).</summary>
    public bool TryGetValue(string name, out uint value)
    {
        foreach (RadiusNamedValue named in _values)
        {
            if (string.Equals(named.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = named.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>The name of a value, or null when it has none.</summary>
    public string? GetValueName(uint value)
    {
        foreach (RadiusNamedValue named in _values)
        {
            if (named.Value == value)
            {
                return named.Name;
            }
        }

        return null;
    }

    public override string ToString() => IsVendorSpecific ? $"{Name} ({VendorId}:{Type}, {DataType})" : $"{Name} ({Type}, {DataType})";
}
