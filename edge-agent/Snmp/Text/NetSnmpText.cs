using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Network.Snmp.Pdus;

namespace Network.Snmp.Text;

/// <summary>
/// Values printed the way net-snmp's tools print them with numeric OIDs and no MIB loaded
/// (<c>snmpget -On</c>, <c>MIBS=""</c>): <c>.1.3.6.1.2.1.1.3.0 = Timeticks: (100) 0:00:01.00</c>.
/// Operators compare our field tool's output with net-snmp's line by line, so this follows it to the byte.
/// </summary>
public static class NetSnmpText
{
    /// <summary>One binding: <c>.OID = TYPE: VALUE</c>.</summary>
    public static string FormatVarBind(in VarBind binding) => $".{binding.Oid} = {FormatValue(binding.Value)}";

    public static string FormatValue(in SnmpValue value) => value.Type switch
    {
        SnmpType.Integer => "INTEGER: " + value.AsInt32().ToString(CultureInfo.InvariantCulture),
        SnmpType.OctetString => FormatOctetString(value.AsBytes().Span),
        SnmpType.Null => "NULL",
        SnmpType.ObjectIdentifier => "OID: ." + value.AsOid(),
        SnmpType.IpAddress => FormatIpAddress(value.AsBytes().Span),
        SnmpType.Counter32 => "Counter32: " + Unsigned(value.AsUInt32()),
        SnmpType.Gauge32 => "Gauge32: " + Unsigned(value.AsUInt32()),
        SnmpType.UInteger32 => "UInteger32: " + Unsigned(value.AsUInt32()),
        SnmpType.TimeTicks => FormatTimeTicks(value.AsUInt32()),
        SnmpType.Counter64 => "Counter64: " + value.AsUInt64().ToString(CultureInfo.InvariantCulture),
        SnmpType.Opaque => FormatOpaque(value.AsBytes().Span),
        SnmpType.NsapAddress => "NsapAddress: " + Hex(value.AsBytes().Span),
        SnmpType.NoSuchObject => "No Such Object available on this agent at this OID",
        SnmpType.NoSuchInstance => "No Such Instance currently exists at this OID",
        SnmpType.EndOfMibView => "No more variables left in this MIB View (It is past the end of the MIB tree)",
        _ => $"Wrong Type (0x{(byte)value.Type:X2})",
    };

    /// <summary>
    /// net-snmp prints an OCTET STRING as a quoted string when every byte is printable or white space in the
    /// C locale, as <c>""</c> when it is empty, and otherwise as hex, 16 bytes a line, each byte followed by a space.
    /// </summary>
    public static string FormatOctetString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return "\"\"";
        }

        foreach (byte b in bytes)
        {
            if (!IsPrintOrSpace(b))
            {
                return "Hex-STRING: " + Hex(bytes);
            }
        }

        var sb = new StringBuilder(bytes.Length + 10).Append("STRING: \"");
        foreach (byte b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                sb.Append('\\');
            }

            sb.Append((char)b);
        }

        return sb.Append('"').ToString();
    }

    /// <summary><c>Timeticks: (8640012) 1 day, 0:00:00.12</c>.</summary>
    public static string FormatTimeTicks(uint ticks)
    {
        uint centis = ticks % 100;
        uint seconds = ticks / 100 % 60;
        uint minutes = ticks / 6000 % 60;
        uint hours = ticks / 360000 % 24;
        uint days = ticks / 8640000;
        string clock = string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{seconds:00}.{centis:00}");
        string prefix = days switch
        {
            0 => "",
            1 => "1 day, ",
            _ => string.Create(CultureInfo.InvariantCulture, $"{days} days, "),
        };
        return string.Create(CultureInfo.InvariantCulture, $"Timeticks: ({ticks}) {prefix}{clock}");
    }

    private static string FormatIpAddress(ReadOnlySpan<byte> bytes) => bytes.Length == 4
        ? string.Create(CultureInfo.InvariantCulture, $"IpAddress: {bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}")
        : "Hex-STRING: " + Hex(bytes);

    /// <summary>
    /// Opaque carries a nested BER value; net-snmp decodes the float and double types of the UCD
    /// opaque encoding (<c>9F 78 04</c> + IEEE 754 single, <c>9F 79 08</c> + double) and prints the rest as hex.
    /// </summary>
    private static string FormatOpaque(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 7 && bytes[0] == 0x9F && bytes[1] == 0x78 && bytes[2] == 4)
        {
            float f = BinaryPrimitives.ReadSingleBigEndian(bytes[3..]);
            return "Opaque: Float: " + f.ToString("F6", CultureInfo.InvariantCulture);
        }

        if (bytes.Length == 11 && bytes[0] == 0x9F && bytes[1] == 0x79 && bytes[2] == 8)
        {
            double d = BinaryPrimitives.ReadDoubleBigEndian(bytes[3..]);
            return "Opaque: Double: " + d.ToString("F6", CultureInfo.InvariantCulture);
        }

        return "OPAQUE: " + Hex(bytes);
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length * 3 + bytes.Length / 16);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && i % 16 == 0)
            {
                sb.Append('\n');
            }

            sb.Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture)).Append(' ');
        }

        return sb.ToString();
    }

    private static string Unsigned(uint value) => value.ToString(CultureInfo.InvariantCulture);

    // isprint() or isspace() in the C locale.
    private static bool IsPrintOrSpace(byte b) => b is >= 0x20 and <= 0x7E or >= 0x09 and <= 0x0D;
}
