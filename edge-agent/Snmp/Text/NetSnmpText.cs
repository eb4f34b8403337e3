using System.Buffers;
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
/// <remarks>
/// The text is written once, as bytes (<see cref="WriteLine(in VarBind, IBufferWriter{byte})"/>,
/// <see cref="WriteValue(in SnmpValue, IBufferWriter{byte})"/>, and the same for a binding read in place): the field tool
/// puts them straight into its stdout buffer, with no string and no object per line. It is always ASCII: anything else in an OCTET STRING
/// makes it print as hex. The string forms are the same bytes, read back.
/// </remarks>
public static class NetSnmpText
{
    private static readonly byte[] s_hexDigits = "0123456789ABCDEF"u8.ToArray();

    /// <summary>
    /// net-snmp's words for each error-status of RFC 3416 (its snmp_errstring), as its tools print them after
    /// <c>Reason: </c>; a value beyond the RFC's is <c>Unknown Error</c>.
    /// </summary>
    private static readonly string[] s_errorStatus =
    [
        "(noError) No Error",
        "(tooBig) Response message would have been too large.",
        "(noSuchName) There is no such variable name in this MIB.",
        "(badValue) The value given has the wrong type or length.",
        "(readOnly) The two parties used do not have access to use the specified SNMP PDU.",
        "(genError) A general failure occured",
        "noAccess",
        "wrongType (The set datatype does not match the data type the agent expects)",
        "wrongLength (The set value has an illegal length from what the agent expects)",
        "wrongEncoding",
        "wrongValue (The set value is illegal or unsupported in some way)",
        "noCreation (That table does not support row creation or that object can not ever be created)",
        "inconsistentValue (The set value is illegal or unsupported in some way)",
        "resourceUnavailable (This is likely a out-of-memory failure within the agent)",
        "commitFailed",
        "undoFailed",
        "authorizationError (access denied to that object)",
        "notWritable (That object does not support modification)",
        "inconsistentName (That object can not currently be created)",
    ];

    /// <summary>An error-status as net-snmp words it: <c>(noSuchName) There is no such variable name in this MIB.</c></summary>
    public static string ErrorStatusText(ErrorStatus status) =>
        (int)status >= 0 && (int)status < s_errorStatus.Length ? s_errorStatus[(int)status] : "Unknown Error";

    /// <summary>The part after <c> = </c>: <c>TYPE: VALUE</c>.</summary>
    public static string FormatValue(in SnmpValue value)
    {
        var text = new ArrayBufferWriter<byte>(64);
        WriteValue(value, text);
        return Encoding.ASCII.GetString(text.WrittenSpan);
    }

    /// <summary>One binding and a line feed, as net-snmp prints it: <c>.OID = TYPE: VALUE\n</c>.</summary>
    public static void WriteLine(in VarBind binding, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteOid(binding.Oid, output);
        output.Write(" = "u8);
        WriteValue(binding.Value, output);
        output.Write("\n"u8);
    }

    /// <summary>
    /// One binding read in place (a walk's <see cref="Client.IVarBindVisitor"/>), with no allocation: the same bytes as
    /// <see cref="WriteLine(in VarBind, IBufferWriter{byte})"/> for <see cref="VarBindView.ToVarBind"/>.
    /// </summary>
    public static void WriteLine(VarBindView binding, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteOid(binding.Oid, output);
        output.Write(" = "u8);
        WriteValue(binding.Value, output);
        output.Write("\n"u8);
    }

    /// <summary><c>.1.3.6.1.2.1.1.3.0</c>: each sub-identifier after a dot.</summary>
    public static void WriteOid(Oid oid, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(oid);
        WriteOid(oid.Arcs, output);
    }

    /// <summary><c>.1.3.6.1.2.1.1.3.0</c> from the sub-identifiers.</summary>
    public static void WriteOid(ReadOnlySpan<uint> arcs, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (uint arc in arcs)
        {
            output.Write("."u8);
            WriteNumber(arc, output);
        }
    }

    /// <summary><c>TYPE: VALUE</c>, as net-snmp prints the value of a binding.</summary>
    public static void WriteValue(in SnmpValue value, IBufferWriter<byte> output) =>
        WriteValue(value.Type, value.RawNumber, value.Type is SnmpType.OctetString or SnmpType.IpAddress or SnmpType.Opaque or SnmpType.NsapAddress
            ? value.AsBytes().Span
            : default, value.Type == SnmpType.ObjectIdentifier ? value.AsOid().Arcs : default, output);

    /// <summary><c>TYPE: VALUE</c> for a value read in place.</summary>
    public static void WriteValue(SnmpValueView value, IBufferWriter<byte> output)
    {
        Span<uint> arcs = value.Type == SnmpType.ObjectIdentifier ? stackalloc uint[Oid.MaxLength] : default;
        int arcCount = value.Type == SnmpType.ObjectIdentifier ? value.ReadOid(arcs) : 0;
        ulong number = value.Type switch
        {
            SnmpType.Integer => unchecked((ulong)value.AsInt32()),
            SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.UInteger32 or SnmpType.TimeTicks or SnmpType.Counter64 => value.AsUInt64(),
            _ => 0,
        };
        WriteValue(value.Type, number, value.Content, arcs[..arcCount], output);
    }

    /// <summary>
    /// The one formatter of values: <paramref name="number"/> holds INTEGER (sign-extended) and the unsigned types,
    /// <paramref name="bytes"/> the octet types' content, <paramref name="arcs"/> an OBJECT IDENTIFIER's.
    /// </summary>
    private static void WriteValue(SnmpType type, ulong number, ReadOnlySpan<byte> bytes, ReadOnlySpan<uint> arcs, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (type)
        {
            case SnmpType.Integer:
                output.Write("INTEGER: "u8);
                WriteNumber(unchecked((int)number), output);
                break;
            case SnmpType.OctetString:
                WriteOctetString(bytes, output);
                break;
            case SnmpType.Null:
                output.Write("NULL"u8);
                break;
            case SnmpType.ObjectIdentifier:
                output.Write("OID: "u8);
                WriteOid(arcs, output);
                break;
            case SnmpType.IpAddress:
                WriteIpAddress(bytes, output);
                break;
            case SnmpType.Counter32:
                output.Write("Counter32: "u8);
                WriteNumber((uint)number, output);
                break;
            case SnmpType.Gauge32:
                output.Write("Gauge32: "u8);
                WriteNumber((uint)number, output);
                break;
            case SnmpType.UInteger32:
                output.Write("UInteger32: "u8);
                WriteNumber((uint)number, output);
                break;
            case SnmpType.TimeTicks:
                WriteTimeTicks((uint)number, output);
                break;
            case SnmpType.Counter64:
                output.Write("Counter64: "u8);
                WriteNumber(number, output);
                break;
            case SnmpType.Opaque:
                WriteOpaque(bytes, output);
                break;
            case SnmpType.NsapAddress:
                output.Write("NsapAddress: "u8);
                WriteHex(bytes, output);
                break;
            case SnmpType.NoSuchObject:
                output.Write("No Such Object available on this agent at this OID"u8);
                break;
            case SnmpType.NoSuchInstance:
                output.Write("No Such Instance currently exists at this OID"u8);
                break;
            case SnmpType.EndOfMibView:
                output.Write("No more variables left in this MIB View (It is past the end of the MIB tree)"u8);
                break;
            default:
                output.Write("Wrong Type (0x"u8);
                WriteNumber((byte)type, output, "X2");
                output.Write(")"u8);
                break;
        }
    }

    /// <summary>
    /// net-snmp prints an OCTET STRING as a quoted string when every byte is printable or white space in the
    /// C locale, as <c>""</c> when it is empty, and otherwise as hex, 16 bytes a line, each byte followed by a space.
    /// </summary>
    private static void WriteOctetString(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (bytes.IsEmpty)
        {
            output.Write("\"\""u8);
            return;
        }

        foreach (byte b in bytes)
        {
            if (!IsPrintOrSpace(b))
            {
                output.Write("Hex-STRING: "u8);
                WriteHex(bytes, output);
                return;
            }
        }

        output.Write("STRING: \""u8);
        Span<byte> span = output.GetSpan(2 * bytes.Length + 1);
        int n = 0;
        foreach (byte b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                span[n++] = (byte)'\\';
            }

            span[n++] = b;
        }

        span[n++] = (byte)'"';
        output.Advance(n);
    }

    /// <summary><c>Timeticks: (8640012) 1 day, 0:00:00.12</c>.</summary>
    private static void WriteTimeTicks(uint ticks, IBufferWriter<byte> output)
    {
        uint days = ticks / 8640000;
        output.Write("Timeticks: ("u8);
        WriteNumber(ticks, output);
        output.Write(") "u8);
        if (days == 1)
        {
            output.Write("1 day, "u8);
        }
        else if (days > 1)
        {
            WriteNumber(days, output);
            output.Write(" days, "u8);
        }

        WriteNumber(ticks / 360000 % 24, output);
        output.Write(":"u8);
        WriteNumber(ticks / 6000 % 60, output, "00");
        output.Write(":"u8);
        WriteNumber(ticks / 100 % 60, output, "00");
        output.Write("."u8);
        WriteNumber(ticks % 100, output, "00");
    }

    private static void WriteIpAddress(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (bytes.Length != 4)
        {
            output.Write("Hex-STRING: "u8);
            WriteHex(bytes, output);
            return;
        }

        output.Write("IpAddress: "u8);
        for (int i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                output.Write("."u8);
            }

            WriteNumber(bytes[i], output);
        }
    }

    /// <summary>
    /// Opaque carries a nested BER value. net-snmp decodes its "opaque special types" (the UCD encoding: tag 9F 76
    /// Counter64, 9F 78 Float, 9F 79 Double, 9F 7A Int64, 9F 7B UInt64) and prints the rest as hex. It labels a double
    /// "Float" too (its sprint_realloc_double writes "Opaque: Float: "), and so do we. A special type it cannot read
    /// (a wrong length, a number over 64 bits) makes net-snmp drop the whole reply; we print such a value as hex.
    /// </summary>
    private static void WriteOpaque(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (TryReadOpaqueSpecial(bytes, out byte tag, out ReadOnlySpan<byte> content))
        {
            switch (tag)
            {
                case 0x78 when content.Length == 4:
                    output.Write("Opaque: Float: "u8);
                    WriteCDouble(BinaryPrimitives.ReadSingleBigEndian(content), output);
                    return;
                case 0x79 when content.Length == 8:
                    output.Write("Opaque: Float: "u8);
                    WriteCDouble(BinaryPrimitives.ReadDoubleBigEndian(content), output);
                    return;
                case 0x7A when TryReadInteger64(content, signed: true, out ulong value):
                    output.Write("Opaque: Int64: "u8);
                    WriteNumber(unchecked((long)value), output);
                    return;
                case 0x7B when TryReadInteger64(content, signed: false, out ulong value):
                    output.Write("Opaque: UInt64: "u8);
                    WriteNumber(value, output);
                    return;
                case 0x76 when TryReadInteger64(content, signed: false, out ulong value):
                    output.Write("Opaque: Counter64: "u8);
                    WriteNumber(value, output);
                    return;
            }
        }

        output.Write("OPAQUE: "u8);
        WriteHex(bytes, output);
    }

    /// <summary>The nested value of an opaque special type: 9F, its tag, a BER length that covers the rest exactly.</summary>
    private static bool TryReadOpaqueSpecial(ReadOnlySpan<byte> bytes, out byte tag, out ReadOnlySpan<byte> content)
    {
        tag = 0;
        content = default;
        if (bytes.Length < 3 || bytes[0] != 0x9F || bytes[1] is not (0x76 or 0x78 or 0x79 or 0x7A or 0x7B))
        {
            return false;
        }

        tag = bytes[1];
        int length = bytes[2];
        int start = 3;
        if (length > 0x80 && length <= 0x82)
        {
            int octets = length & 0x7F;
            if (bytes.Length < start + octets)
            {
                return false;
            }

            length = octets == 1 ? bytes[3] : (bytes[3] << 8) | bytes[4];
            start += octets;
        }
        else if (length >= 0x80)
        {
            return false;
        }

        if (bytes.Length - start != length)
        {
            return false;
        }

        content = bytes[start..];
        return true;
    }

    /// <summary>
    /// A two's-complement (Int64) or unsigned (UInt64, Counter64) integer of at most 64 bits, as net-snmp reads it: up
    /// to 9 octets, a ninth only as a leading zero; no octets is 0.
    /// </summary>
    private static bool TryReadInteger64(ReadOnlySpan<byte> content, bool signed, out ulong value)
    {
        value = signed && content.Length > 0 && (content[0] & 0x80) != 0 ? ulong.MaxValue : 0;
        if (content.Length > 9 || (content.Length == 9 && content[0] != 0))
        {
            return false;
        }

        foreach (byte b in content)
        {
            value = (value << 8) | b;
        }

        return true;
    }

    /// <summary>C's <c>printf("%f")</c> as net-snmp prints a float or double: six decimals, <c>nan</c> and <c>inf</c>, cut at 127 characters (its buffer).</summary>
    private static void WriteCDouble(double value, IBufferWriter<byte> output)
    {
        if (!double.IsFinite(value))
        {
            output.Write(double.IsNegative(value) ? "-"u8 : ""u8);
            output.Write(double.IsNaN(value) ? "nan"u8 : "inf"u8);
            return;
        }

        Span<byte> text = stackalloc byte[512];
        if (!value.TryFormat(text, out int written, "F6", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{value} does not fit in 512 bytes");
        }

        output.Write(text[..Math.Min(written, 127)]);
    }

    /// <summary><c>0A 1B </c>: each byte in upper-case hex and a space, a line feed before every 17th.</summary>
    private static void WriteHex(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        Span<byte> span = output.GetSpan(4 * bytes.Length);
        int n = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && i % 16 == 0)
            {
                span[n++] = (byte)'\n';
            }

            span[n++] = s_hexDigits[bytes[i] >> 4];
            span[n++] = s_hexDigits[bytes[i] & 0xF];
            span[n++] = (byte)' ';
        }

        output.Advance(n);
    }

    private static void WriteNumber<T>(T number, IBufferWriter<byte> output, string? format = null)
        where T : IUtf8SpanFormattable
    {
        // Integers only: the longest, a 64-bit one with its sign, takes 20 bytes.
        Span<byte> span = output.GetSpan(64);
        if (!number.TryFormat(span, out int written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{number} does not fit in 64 bytes");
        }

        output.Advance(written);
    }

    // isprint() or isspace() in the C locale.
    private static bool IsPrintOrSpace(byte b) => b is >= 0x20 and <= 0x7E or >= 0x09 and <= 0x0D;
}
