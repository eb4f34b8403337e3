using System.Net;
using System.Net.Sockets;
using Network.Radius.Codec;
using Network.Radius.Packets;

namespace Network.Radius.Dictionary;

/// <summary>
/// Typed access to a packet's attributes through their definitions, standard or vendor-specific:
/// <c>request.GetString(RadiusAttributes.UserName)</c>, <c>reply.SetInteger(RadiusAttributes.WisprBandwidthMaxDown, 2_000_000)</c>.
/// </summary>
/// <remarks>
/// Getters read the first instance and return false (never throw) when it is absent or its octets do not fit the type;
/// an attribute marked <see cref="RadiusAttributeDefinition.Concat"/> (EAP-Message) reads as the concatenation of all its
/// instances in order. Setters replace every instance (<c>Add…</c> appends one more); a concat value longer than one
/// attribute holds is split over several, any other over-long value is an <see cref="ArgumentException"/>. Vendor
/// attributes are written one per Vendor-Specific attribute. Using a getter or setter of the wrong type for the
/// definition is an <see cref="ArgumentException"/>: a programming error, not bad input.
/// </remarks>
public static class RadiusPacketExtensions
{
    /// <summary>The value octets of the first instance (or, for a concat attribute, of all of them joined).</summary>
    public static bool TryGetValue(this RadiusPacket packet, RadiusAttributeDefinition definition, out ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(definition);
        value = default;
        if (!definition.Concat)
        {
            foreach (RadiusAttribute attribute in packet.Attributes)
            {
                if (Match(attribute, definition, out value))
                {
                    return true;
                }
            }

            return false;
        }

        int total = 0;
        int count = 0;
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            if (Match(attribute, definition, out ReadOnlyMemory<byte> part))
            {
                total += part.Length;
                count++;
                value = part;
            }
        }

        if (count <= 1)
        {
            return count == 1;
        }

        byte[] joined = new byte[total];
        int position = 0;
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            if (Match(attribute, definition, out ReadOnlyMemory<byte> part))
            {
                part.Span.CopyTo(joined.AsSpan(position));
                position += part.Length;
            }
        }

        value = joined;
        return true;
    }

    /// <summary>The value octets of every instance, in packet order (Reply-Message, Class, Proxy-State may repeat).</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> GetValues(this RadiusPacket packet, RadiusAttributeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(definition);
        var values = new List<ReadOnlyMemory<byte>>();
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            if (Match(attribute, definition, out ReadOnlyMemory<byte> value))
            {
                values.Add(value);
            }
        }

        return values;
    }

    public static bool Contains(this RadiusPacket packet, RadiusAttributeDefinition definition) => packet.TryGetValue(definition, out _);

    public static bool TryGetString(this RadiusPacket packet, RadiusAttributeDefinition definition, out string value)
    {
        Require(definition, RadiusDataType.Text);
        value = "";
        if (!packet.TryGetValue(definition, out ReadOnlyMemory<byte> raw))
        {
            return false;
        }

        value = RadiusValues.ReadText(raw.Span);
        return true;
    }

    /// <summary>The text of the first instance, or null.</summary>
    public static string? GetString(this RadiusPacket packet, RadiusAttributeDefinition definition) =>
        packet.TryGetString(definition, out string value) ? value : null;

    /// <summary>Every instance as text (several Reply-Messages are shown in order, RFC 2865 section 5.18).</summary>
    public static IReadOnlyList<string> GetStrings(this RadiusPacket packet, RadiusAttributeDefinition definition)
    {
        Require(definition, RadiusDataType.Text);
        var result = new List<string>();
        foreach (ReadOnlyMemory<byte> value in packet.GetValues(definition))
        {
            result.Add(RadiusValues.ReadText(value.Span));
        }

        return result;
    }

    public static bool TryGetOctets(this RadiusPacket packet, RadiusAttributeDefinition definition, out byte[] value)
    {
        Require(definition, RadiusDataType.Octets, RadiusDataType.Text, RadiusDataType.Ifid);
        value = [];
        if (!packet.TryGetValue(definition, out ReadOnlyMemory<byte> raw))
        {
            return false;
        }

        value = raw.ToArray();
        return true;
    }

    /// <summary>An integer or enum attribute's number (also a time attribute's raw seconds).</summary>
    public static bool TryGetInteger(this RadiusPacket packet, RadiusAttributeDefinition definition, out uint value)
    {
        Require(definition, RadiusDataType.Integer, RadiusDataType.Enum, RadiusDataType.Time);
        value = 0;
        return packet.TryGetValue(definition, out ReadOnlyMemory<byte> raw) && RadiusValues.TryReadInteger(raw.Span, out value);
    }

    /// <summary>An enum attribute's value name (Acct-Status-Type → "Interim-Update"); false when absent, malformed or unnamed.</summary>
    public static bool TryGetEnumName(this RadiusPacket packet, RadiusAttributeDefinition definition, out string name)
    {
        Require(definition, RadiusDataType.Enum);
        name = "";
        if (!packet.TryGetInteger(definition, out uint value) || definition.GetValueName(value) is not { } found)
        {
            return false;
        }

        name = found;
        return true;
    }

    public static bool TryGetTime(this RadiusPacket packet, RadiusAttributeDefinition definition, out DateTimeOffset value)
    {
        Require(definition, RadiusDataType.Time);
        value = default;
        return packet.TryGetValue(definition, out ReadOnlyMemory<byte> raw) && RadiusValues.TryReadTime(raw.Span, out value);
    }

    public static bool TryGetIPv4Address(this RadiusPacket packet, RadiusAttributeDefinition definition, out IPAddress value)
    {
        Require(definition, RadiusDataType.Ipv4Addr);
        value = IPAddress.None;
        return packet.TryGetValue(definition, out ReadOnlyMemory<byte> raw) && RadiusValues.TryReadIPv4Address(raw.Span, out value);
    }

    public static bool TryGetIPv6Address(this RadiusPacket packet, RadiusAttributeDefinition definition, out IPAddress value)
    {
        Require(definition, RadiusDataType.Ipv6Addr);
        value = IPAddress.IPv6None;
        return packet.TryGetValue(definition, out ReadOnlyMemory<byte> raw) && RadiusValues.TryReadIPv6Address(raw.Span, out value);
    }

    public static bool TryGetIPv6Prefix(this RadiusPacket packet, RadiusAttributeDefinition definition, out IPNetwork value)
    {
        Require(definition, RadiusDataType.Ipv6Prefix);
        value = default;
        return packet.TryGetValue(definition, out ReadOnlyMemory<byte> raw) && RadiusValues.TryReadIPv6Prefix(raw.Span, out value);
    }

    /// <summary>Replaces every instance with <paramref name="value"/> (split over several attributes for a concat attribute).</summary>
    public static void SetValue(this RadiusPacket packet, RadiusAttributeDefinition definition, ReadOnlySpan<byte> value)
    {
        packet.Remove(definition);
        packet.AddValue(definition, value);
    }

    /// <summary>Appends <paramref name="value"/> as one more instance (several, for a long concat value).</summary>
    public static void AddValue(this RadiusPacket packet, RadiusAttributeDefinition definition, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(definition);
        int max = definition.IsVendorSpecific ? VendorAttribute.MaxValueLength : RadiusAttribute.MaxValueLength;
        if (value.Length > max && !definition.Concat)
        {
            throw new ArgumentException($"{definition.Name} holds at most {max} octets, not {value.Length}", nameof(value));
        }

        do
        {
            ReadOnlySpan<byte> chunk = value[..Math.Min(max, value.Length)];
            packet.Attributes.Add(definition.IsVendorSpecific
                ? VendorSpecific.Create(definition.VendorId, definition.Type, chunk)
                : new RadiusAttribute(definition.Type, chunk));
            value = value[chunk.Length..];
        }
        while (!value.IsEmpty);
    }

    /// <summary>Removes every instance; a Vendor-Specific attribute that also carries other vendor attributes keeps those.</summary>
    public static int Remove(this RadiusPacket packet, RadiusAttributeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(definition);
        if (!definition.IsVendorSpecific)
        {
            return packet.RemoveAttributes(definition.Type);
        }

        int removed = 0;
        for (int i = packet.Attributes.Count - 1; i >= 0; i--)
        {
            RadiusAttribute attribute = packet.Attributes[i];
            if (attribute.Type != VendorSpecific.AttributeType || !VendorSpecific.TryDecode(attribute, out VendorAttribute[] inner)
                || inner.Length == 0 || inner[0].VendorId != definition.VendorId)
            {
                continue;
            }

            var kept = new List<VendorAttribute>(inner.Length);
            foreach (VendorAttribute v in inner)
            {
                if (v.VendorType == definition.Type)
                {
                    removed++;
                }
                else
                {
                    kept.Add(v);
                }
            }

            if (kept.Count == inner.Length)
            {
                continue;
            }

            packet.Attributes.RemoveAt(i);
            for (int k = kept.Count - 1; k >= 0; k--)
            {
                packet.Attributes.Insert(i, VendorSpecific.Create(kept[k]));
            }
        }

        return removed;
    }

    public static void SetString(this RadiusPacket packet, RadiusAttributeDefinition definition, string value)
    {
        Require(definition, RadiusDataType.Text);
        packet.SetValue(definition, RadiusValues.WriteText(value));
    }

    public static void AddString(this RadiusPacket packet, RadiusAttributeDefinition definition, string value)
    {
        Require(definition, RadiusDataType.Text);
        packet.AddValue(definition, RadiusValues.WriteText(value));
    }

    public static void SetOctets(this RadiusPacket packet, RadiusAttributeDefinition definition, ReadOnlySpan<byte> value)
    {
        Require(definition, RadiusDataType.Octets, RadiusDataType.Ifid);
        packet.SetValue(definition, value);
    }

    public static void SetInteger(this RadiusPacket packet, RadiusAttributeDefinition definition, uint value)
    {
        Require(definition, RadiusDataType.Integer, RadiusDataType.Enum, RadiusDataType.Time);
        packet.SetValue(definition, RadiusValues.WriteInteger(value));
    }

    /// <summary>Sets an enum attribute by value name (case-insensitive); an unknown name is an <see cref="ArgumentException"/>.</summary>
    public static void SetEnum(this RadiusPacket packet, RadiusAttributeDefinition definition, string name)
    {
        Require(definition, RadiusDataType.Enum);
        if (!definition.TryGetValue(name, out uint value))
        {
            throw new ArgumentException($"{definition.Name} has no value named '{name}'", nameof(name));
        }

        packet.SetValue(definition, RadiusValues.WriteInteger(value));
    }

    public static void SetTime(this RadiusPacket packet, RadiusAttributeDefinition definition, DateTimeOffset value)
    {
        Require(definition, RadiusDataType.Time);
        packet.SetValue(definition, RadiusValues.WriteTime(value));
    }

    public static void SetIPv4Address(this RadiusPacket packet, RadiusAttributeDefinition definition, IPAddress value)
    {
        Require(definition, RadiusDataType.Ipv4Addr);
        packet.SetValue(definition, RadiusValues.WriteAddress(value, AddressFamily.InterNetwork));
    }

    public static void SetIPv6Address(this RadiusPacket packet, RadiusAttributeDefinition definition, IPAddress value)
    {
        Require(definition, RadiusDataType.Ipv6Addr);
        packet.SetValue(definition, RadiusValues.WriteAddress(value, AddressFamily.InterNetworkV6));
    }

    public static void SetIPv6Prefix(this RadiusPacket packet, RadiusAttributeDefinition definition, IPNetwork value)
    {
        Require(definition, RadiusDataType.Ipv6Prefix);
        packet.SetValue(definition, RadiusValues.WriteIPv6Prefix(value));
    }

    private static bool Match(RadiusAttribute attribute, RadiusAttributeDefinition definition, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (!definition.IsVendorSpecific)
        {
            if (attribute.Type != definition.Type)
            {
                return false;
            }

            value = attribute.Value;
            return true;
        }

        return attribute.Type == VendorSpecific.AttributeType
            && VendorSpecific.TryFind(attribute.Value, definition.VendorId, definition.Type, out value);
    }

    private static void Require(RadiusAttributeDefinition definition, RadiusDataType type, RadiusDataType? or1 = null, RadiusDataType? or2 = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.DataType != type && definition.DataType != or1 && definition.DataType != or2)
        {
            throw new ArgumentException($"{definition.Name} is of type {definition.DataType}, not {type}", nameof(definition));
        }
    }
}
