using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Network.Radius.Dictionary;

/// <summary>
/// Attribute values of each data type (RFC 8044 section 3) to and from octets. Readers are <c>Try…</c> and never throw
/// on the octets; writers throw <see cref="ArgumentException"/> for a value the type cannot hold.
/// </summary>
public static class RadiusValues
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>RFC 8044 section 3.4 text: UTF-8. Invalid UTF-8 (which some NASes send in User-Name) reads with U+FFFD.</summary>
    public static string ReadText(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);

    /// <summary>UTF-8 octets of <paramref name="value"/>; a lone surrogate is an <see cref="ArgumentException"/>.</summary>
    public static byte[] WriteText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return s_strictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("the text is not valid UTF-16 (a lone surrogate)", nameof(value), e);
        }
    }

    /// <summary>RFC 8044 section 3.1 integer (and 3.2 enum): exactly 4 octets, network byte order.</summary>
    public static bool TryReadInteger(ReadOnlySpan<byte> value, out uint result)
    {
        result = 0;
        if (value.Length != 4)
        {
            return false;
        }

        result = BinaryPrimitives.ReadUInt32BigEndian(value);
        return true;
    }

    public static byte[] WriteInteger(uint value)
    {
        byte[] result = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(result, value);
        return result;
    }

    /// <summary>RFC 8044 section 3.3 time: 4 octets, seconds since 1970-01-01T00:00:00Z.</summary>
    public static bool TryReadTime(ReadOnlySpan<byte> value, out DateTimeOffset result)
    {
        result = default;
        if (!TryReadInteger(value, out uint seconds))
        {
            return false;
        }

        result = DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        return true;
    }

    /// <summary>Whole seconds since the epoch; a time before 1970 or after 2106-02-07 is an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static byte[] WriteTime(DateTimeOffset value)
    {
        long seconds = value.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(value));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, uint.MaxValue, nameof(value));
        return WriteInteger((uint)seconds);
    }

    /// <summary>RFC 8044 section 3.8 ipv4addr: exactly 4 octets.</summary>
    public static bool TryReadIPv4Address(ReadOnlySpan<byte> value, out IPAddress result)
    {
        result = IPAddress.None;
        if (value.Length != 4)
        {
            return false;
        }

        result = new IPAddress(value);
        return true;
    }

    /// <summary>RFC 8044 section 3.9 ipv6addr: exactly 16 octets.</summary>
    public static bool TryReadIPv6Address(ReadOnlySpan<byte> value, out IPAddress result)
    {
        result = IPAddress.IPv6None;
        if (value.Length != 16)
        {
            return false;
        }

        result = new IPAddress(value);
        return true;
    }

    /// <summary>The 4 or 16 octets of an address of the family <paramref name="family"/> requires.</summary>
    public static byte[] WriteAddress(IPAddress value, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AddressFamily != family)
        {
            throw new ArgumentException($"expected an {family} address, not {value}", nameof(value));
        }

        return value.GetAddressBytes();
    }

    /// <summary>
    /// RFC 8044 section 3.10 ipv6prefix (RFC 3162 section 2.3): Reserved (1), Prefix-Length (1, 0 to 128), Prefix (up to
    /// 16 octets). Accepted leniently: a Reserved octet that is not 0, a Prefix field longer than the prefix needs, and
    /// set bits past Prefix-Length (cleared). Rejected: under 2 octets, over 18, Prefix-Length over 128 or longer than
    /// the Prefix field holds.
    /// </summary>
    public static bool TryReadIPv6Prefix(ReadOnlySpan<byte> value, out IPNetwork result)
    {
        result = default;
        if (value.Length < 2 || value.Length > 18)
        {
            return false;
        }

        int prefixLength = value[1];
        ReadOnlySpan<byte> prefix = value[2..];
        if (prefixLength > 128 || prefix.Length * 8 < prefixLength)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        address.Clear();
        prefix.CopyTo(address);
        ClearHostBits(address, prefixLength);
        result = new IPNetwork(new IPAddress(address), prefixLength);
        return true;
    }

    /// <summary>Reserved 0, the prefix length, and the fewest octets that hold the prefix.</summary>
    public static byte[] WriteIPv6Prefix(IPNetwork value)
    {
        if (value.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"expected an IPv6 prefix, not {value}", nameof(value));
        }

        int octets = (value.PrefixLength + 7) / 8;
        byte[] result = new byte[2 + octets];
        result[1] = (byte)value.PrefixLength;
        value.BaseAddress.GetAddressBytes().AsSpan(0, octets).CopyTo(result.AsSpan(2));
        return result;
    }

    /// <summary>The value as text for <paramref name="definition"/>'s type; hex when it does not parse or the type is unknown.</summary>
    public static string Format(RadiusAttributeDefinition? definition, ReadOnlySpan<byte> value)
    {
        switch (definition?.DataType)
        {
            case RadiusDataType.Text:
                return "\"" + ReadText(value) + "\"";
            case RadiusDataType.Integer when TryReadInteger(value, out uint integer):
                return integer.ToString(CultureInfo.InvariantCulture);
            case RadiusDataType.Enum when TryReadInteger(value, out uint integer):
                return definition.GetValueName(integer) ?? integer.ToString(CultureInfo.InvariantCulture);
            case RadiusDataType.Time when TryReadTime(value, out DateTimeOffset time):
                return time.ToString("u", CultureInfo.InvariantCulture);
            case RadiusDataType.Ipv4Addr when TryReadIPv4Address(value, out IPAddress? v4):
                return v4.ToString();
            case RadiusDataType.Ipv6Addr when TryReadIPv6Address(value, out IPAddress? v6):
                return v6.ToString();
            case RadiusDataType.Ipv6Prefix when TryReadIPv6Prefix(value, out IPNetwork prefix):
                return prefix.ToString();
            default:
                return "0x" + Convert.ToHexStringLower(value);
        }
    }

    private static void ClearHostBits(Span<byte> address, int prefixLength)
    {
        for (int bit = prefixLength; bit < 128; bit++)
        {
            address[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
    }
}
