using Network.Snmp.Pdus;

namespace Network.Snmp.Ber;

/// <summary>
/// A lenient BER decoder for the subset of X.690 that SNMP uses (RFC 3417 section 8): one-octet tags,
/// definite lengths, primitive encodings of every value type. Reads forwards over a span and throws
/// <see cref="SnmpDecodeException"/>, with the absolute offset in the original input, on anything else.
/// </summary>
/// <remarks>
/// <para>Deliberately accepted (habit 3: accept known-bad input, never write it):</para>
/// <list type="bullet">
/// <item>long-form lengths that are not minimal (<c>81 05</c>, <c>82 00 05</c>), as net-snmp and others send;</item>
/// <item>INTEGER with redundant leading sign octets, as long as the value fits 32 bits
/// (<c>02 05 FF FB 6A 65 17</c>, sharpsnmplib issue 700);</item>
/// <item>Counter32, Gauge32, TimeTicks, UInteger32 and Counter64 read as unsigned magnitudes: the leading
/// zero octet may be missing (<c>41 02 80 E8</c> is 33000, mini-snmpd issue 8) or redundant (<c>41 05 00 FF FF FF FF</c>);</item>
/// <item>IpAddress content of any length, kept as sent.</item>
/// </list>
/// <para>Rejected: indefinite lengths (X.690 8.1.3.6, forbidden by RFC 3417 section 8), a length-of-length over
/// four octets, lengths past the end of the enclosing encoding, high-tag-number identifiers (X.690 8.1.2.4, unused
/// by SNMP), empty INTEGER or OBJECT IDENTIFIER contents, NULL or exception values with content, and in OBJECT
/// IDENTIFIER a sub-identifier that starts with the octet 0x80 (not minimal, X.690 8.19.2: no SNMP agent is known
/// to send it, and rejecting it keeps one encoding per OID), a sub-identifier over 2^32-1 or more than 128 of
/// them (RFC 2578 sections 3.5 and 7.1.3).</para>
/// </remarks>
public ref struct BerReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _origin;
    private readonly int _depth;
    private readonly int _maxDepth;
    private int _position;

    /// <summary>A reader over a whole input; offsets in exceptions count from its first byte.</summary>
    public BerReader(ReadOnlySpan<byte> data, int maxDepth = SnmpDecodeLimits.DefaultMaxDepth)
        : this(data, 0, 0, maxDepth)
    {
    }

    private BerReader(ReadOnlySpan<byte> data, int origin, int depth, int maxDepth)
    {
        _data = data;
        _origin = origin;
        _depth = depth;
        _maxDepth = maxDepth;
        _position = 0;
    }

    /// <summary>The absolute offset of the next byte, counted from the start of the outermost input.</summary>
    public readonly int Offset => _origin + _position;

    /// <summary>True while bytes are left in this encoding.</summary>
    public readonly bool HasData => _position < _data.Length;

    /// <summary>The tag of the next encoding, without consuming it.</summary>
    public readonly byte PeekTag()
    {
        if (_position >= _data.Length)
        {
            throw new SnmpDecodeException("expected a tag, found the end of the encoding", Offset);
        }

        return _data[_position];
    }

    /// <summary>Throws unless every byte of this encoding has been read.</summary>
    public readonly void ThrowIfNotEnd(string what)
    {
        if (_position != _data.Length)
        {
            throw new SnmpDecodeException($"{_data.Length - _position} unexpected bytes after {what}", Offset);
        }
    }

    /// <summary>
    /// Reads one tag-length-value and returns its content octets.
    /// </summary>
    /// <remarks>
    /// <code>
    /// +--------+----------------------------+---------------------+
    /// | tag    | length                     | content             |
    /// | 1 byte | 0LLLLLLL  or  1nnnnnnn L*n | length bytes        |
    /// +--------+----------------------------+---------------------+
    /// </code>
    /// X.690 8.1.2 (identifier), 8.1.3.4 (short form), 8.1.3.5 (long form), 8.1.3.6 (indefinite, rejected).
    /// </remarks>
    public ReadOnlySpan<byte> ReadTlv(out byte tag, out int contentOffset)
    {
        int start = _position;
        if (start >= _data.Length)
        {
            throw new SnmpDecodeException("expected a tag, found the end of the encoding", _origin + start);
        }

        tag = _data[start];

        // X.690 8.1.2.4: the high-tag-number form; every SNMP tag fits in one octet.
        if ((tag & 0x1F) == 0x1F)
        {
            throw new SnmpDecodeException($"tag 0x{tag:X2} uses the high-tag-number form, which SNMP never uses", _origin + start);
        }

        int pos = start + 1;
        if (pos >= _data.Length)
        {
            throw new SnmpDecodeException("the length octets are missing", _origin + pos);
        }

        int first = _data[pos++];
        uint length;
        if (first < 0x80)
        {
            // X.690 8.1.3.4: short form.
            length = (uint)first;
        }
        else if (first == 0x80)
        {
            // X.690 8.1.3.6: indefinite form; RFC 3417 section 8 requires definite lengths.
            throw new SnmpDecodeException("indefinite length (RFC 3417 section 8 allows definite lengths only)", _origin + pos - 1);
        }
        else
        {
            // X.690 8.1.3.5: long form. Non-minimal forms are accepted; more than four octets are not.
            int count = first & 0x7F;
            if (count > 4)
            {
                throw new SnmpDecodeException($"a length of {count} octets (at most 4 are accepted)", _origin + pos - 1);
            }

            if (count > _data.Length - pos)
            {
                throw new SnmpDecodeException("the long-form length runs past the end of the encoding", _origin + pos);
            }

            length = 0;
            for (int i = 0; i < count; i++)
            {
                length = (length << 8) | _data[pos++];
            }
        }

        if (length > (uint)(_data.Length - pos))
        {
            throw new SnmpDecodeException(
                $"a length of {length} runs past the end of the encoding ({_data.Length - pos} bytes left)", _origin + start);
        }

        contentOffset = _origin + pos;
        _position = pos + (int)length;
        return _data.Slice(pos, (int)length);
    }

    /// <summary>Reads one encoding that must carry <paramref name="expected"/> and returns its content.</summary>
    public ReadOnlySpan<byte> ReadPrimitive(SnmpType expected) => ReadPrimitive(expected, out _);

    /// <summary>Reads one encoding that must carry <paramref name="expected"/>; the content's absolute offset comes back too.</summary>
    public ReadOnlySpan<byte> ReadPrimitive(SnmpType expected, out int contentOffset)
    {
        ExpectTag(expected);
        return ReadTlv(out _, out contentOffset);
    }

    /// <summary>
    /// Reads one encoding that must carry <paramref name="expected"/> and returns a reader over its content,
    /// one level deeper: a SEQUENCE, a PDU, or an OCTET STRING that encapsulates an encoding (msgSecurityParameters).
    /// </summary>
    public BerReader ReadNested(SnmpType expected)
    {
        ExpectTag(expected);
        return ReadNested(out _);
    }

    /// <summary>Reads one encoding of any tag and returns a reader over its content, one level deeper.</summary>
    public BerReader ReadNested(out byte tag)
    {
        if (_depth + 1 > _maxDepth)
        {
            throw new SnmpDecodeException($"encodings nest deeper than {_maxDepth} levels", Offset);
        }

        ReadOnlySpan<byte> content = ReadTlv(out tag, out int contentOffset);
        return new BerReader(content, contentOffset, _depth + 1, _maxDepth);
    }

    /// <summary>Reads a SEQUENCE (tag 0x30) and returns a reader over its content.</summary>
    public BerReader ReadSequence() => ReadNested(SnmpType.Sequence);

    /// <summary>Skips one encoding of any tag.</summary>
    public void Skip() => ReadTlv(out _, out _);

    /// <summary>INTEGER (X.690 8.3), or an application type of the same form, as a 32-bit signed value (RFC 2578 section 7.1.1).</summary>
    public int ReadInteger32(SnmpType tag = SnmpType.Integer)
    {
        int at = Offset;
        return DecodeInt32(ReadPrimitive(tag), at);
    }

    /// <summary>Counter32, Gauge32, TimeTicks or UInteger32: a 32-bit unsigned value (RFC 2578 sections 7.1.6 to 7.1.8).</summary>
    public uint ReadUnsigned32(SnmpType tag)
    {
        int at = Offset;
        return (uint)DecodeUnsigned(ReadPrimitive(tag), 4, at);
    }

    /// <summary>OCTET STRING or another octet type (X.690 8.7, primitive form only as RFC 3417 section 8 requires).</summary>
    public ReadOnlySpan<byte> ReadOctetString(SnmpType tag = SnmpType.OctetString) => ReadPrimitive(tag);

    /// <summary>OBJECT IDENTIFIER (X.690 8.19).</summary>
    public Oid ReadOid()
    {
        ReadOnlySpan<byte> content = ReadPrimitive(SnmpType.ObjectIdentifier, out int contentOffset);
        return DecodeOid(content, contentOffset);
    }

    /// <summary>OBJECT IDENTIFIER (X.690 8.19) into <paramref name="arcs"/>, with no allocation; returns the arc count.</summary>
    public int ReadOid(scoped Span<uint> arcs)
    {
        ReadOnlySpan<byte> content = ReadPrimitive(SnmpType.ObjectIdentifier, out int contentOffset);
        return DecodeOid(content, contentOffset, arcs);
    }

    /// <summary>
    /// The value of a variable binding (RFC 3416 section 3):
    /// <code>
    /// VarBind ::= SEQUENCE {
    ///     name ObjectName,
    ///     CHOICE {
    ///         value          ObjectSyntax,
    ///         unSpecified    NULL,
    ///         noSuchObject   [0] IMPLICIT NULL,
    ///         noSuchInstance [1] IMPLICIT NULL,
    ///         endOfMibView   [2] IMPLICIT NULL } }
    /// </code>
    /// </summary>
    public SnmpValue ReadValue() => ReadValueView().ToSnmpValue();

    /// <summary>
    /// The value of a variable binding read in place (see <see cref="ReadValue"/>): every check of the decoder is made,
    /// numbers are decoded, and octet and OBJECT IDENTIFIER contents stay in the input, so nothing is allocated.
    /// </summary>
    public SnmpValueView ReadValueView()
    {
        int at = Offset;
        ReadOnlySpan<byte> content = ReadTlv(out byte tag, out int contentOffset);
        switch ((SnmpType)tag)
        {
            case SnmpType.Integer:
                return new SnmpValueView(SnmpType.Integer, unchecked((ulong)DecodeInt32(content, at)), content);
            case SnmpType.OctetString:
            case SnmpType.Opaque:
            case SnmpType.NsapAddress:
            case SnmpType.IpAddress:
                // RFC 2578 section 7.1.5: an IpAddress is four octets; agents that send otherwise are kept as they are.
                return new SnmpValueView((SnmpType)tag, 0, content);
            case SnmpType.Null:
            case SnmpType.NoSuchObject:
            case SnmpType.NoSuchInstance:
            case SnmpType.EndOfMibView:
                if (!content.IsEmpty)
                {
                    throw new SnmpDecodeException($"{(SnmpType)tag} with {content.Length} content octets (X.690 8.8.2: none)", at);
                }

                return new SnmpValueView((SnmpType)tag, 0, content);
            case SnmpType.ObjectIdentifier:
                // Checked now, decoded when asked for: the arcs go into a buffer the reader of the value provides.
                DecodeOid(content, contentOffset, stackalloc uint[Oid.MaxLength]);
                return new SnmpValueView(SnmpType.ObjectIdentifier, 0, content);
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.UInteger32:
                return new SnmpValueView((SnmpType)tag, DecodeUnsigned(content, 4, at), content);
            case SnmpType.Counter64:
                return new SnmpValueView(SnmpType.Counter64, DecodeUnsigned(content, 8, at), content);
            default:
                throw new SnmpDecodeException($"tag 0x{tag:X2} is not an SNMP value type", at);
        }
    }

    /// <summary>
    /// X.690 8.3: two's complement, big-endian. Lenient: redundant leading 0x00/0xFF octets are accepted
    /// when the value still fits 32 bits (sharpsnmplib issue 700).
    /// </summary>
    public static int DecodeInt32(ReadOnlySpan<byte> content, int offset)
    {
        if (content.IsEmpty)
        {
            throw new SnmpDecodeException("INTEGER with no content octets (X.690 8.3.1)", offset);
        }

        if (content.Length > 4)
        {
            byte sign = (content[^4] & 0x80) != 0 ? (byte)0xFF : (byte)0x00;
            foreach (byte b in content[..^4])
            {
                if (b != sign)
                {
                    throw new SnmpDecodeException("INTEGER does not fit 32 bits (RFC 2578 section 7.1.1)", offset);
                }
            }

            content = content[^4..];
        }

        int value = (sbyte)content[0];
        for (int i = 1; i < content.Length; i++)
        {
            value = (value << 8) | content[i];
        }

        return value;
    }

    /// <summary>
    /// The unsigned application types, read as a big-endian magnitude of at most <paramref name="maxBytes"/>
    /// significant octets: a missing leading zero (mini-snmpd issue 8) and redundant leading zeros are accepted.
    /// </summary>
    public static ulong DecodeUnsigned(ReadOnlySpan<byte> content, int maxBytes, int offset)
    {
        if (content.IsEmpty)
        {
            throw new SnmpDecodeException("an integer type with no content octets (X.690 8.3.1)", offset);
        }

        if (content.Length > maxBytes)
        {
            foreach (byte b in content[..^maxBytes])
            {
                if (b != 0)
                {
                    throw new SnmpDecodeException($"an unsigned value over {maxBytes * 8} bits (RFC 2578 section 7.1)", offset);
                }
            }

            content = content[^maxBytes..];
        }

        ulong value = 0;
        foreach (byte b in content)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>
    /// X.690 8.19: sub-identifiers in base 128, high bit set on every octet but the last; the first one is
    /// 40*X+Y (8.19.4), X in 0..2, Y under 40 unless X is 2.
    /// </summary>
    public static Oid DecodeOid(ReadOnlySpan<byte> content, int offset)
    {
        Span<uint> arcs = stackalloc uint[Oid.MaxLength];
        return new Oid(arcs[..DecodeOid(content, offset, arcs)]);
    }

    /// <summary>
    /// <see cref="DecodeOid(ReadOnlySpan{byte}, int)"/> into <paramref name="arcs"/> (room for <see cref="Oid.MaxLength"/>
    /// sub-identifiers), with no allocation; returns how many arcs were written.
    /// </summary>
    public static int DecodeOid(ReadOnlySpan<byte> content, int offset, scoped Span<uint> arcs)
    {
        if (arcs.Length < Oid.MaxLength)
        {
            throw new ArgumentException($"room for {Oid.MaxLength} sub-identifiers is needed", nameof(arcs));
        }

        if (content.IsEmpty)
        {
            throw new SnmpDecodeException("OBJECT IDENTIFIER with no content octets (X.690 8.19.2)", offset);
        }

        int count = 0;
        int i = 0;
        while (i < content.Length)
        {
            int subidStart = i;

            // X.690 8.19.2: "the leading octet ... shall not have the value 0x80".
            if (content[i] == 0x80)
            {
                throw new SnmpDecodeException("a sub-identifier with a leading 0x80 octet (X.690 8.19.2)", offset + i);
            }

            ulong subid = 0;
            byte b;
            do
            {
                if (i >= content.Length)
                {
                    throw new SnmpDecodeException("the last sub-identifier is cut short", offset + subidStart);
                }

                b = content[i++];
                subid = (subid << 7) | (uint)(b & 0x7F);
                if (subid > uint.MaxValue)
                {
                    throw new SnmpDecodeException("a sub-identifier over 2^32-1 (RFC 2578 section 7.1.3)", offset + subidStart);
                }
            }
            while ((b & 0x80) != 0);

            if (count == 0)
            {
                // X.690 8.19.4: the first two arcs share one sub-identifier.
                (arcs[0], arcs[1]) = subid switch
                {
                    < 40 => (0u, (uint)subid),
                    < 80 => (1u, (uint)subid - 40),
                    _ => (2u, (uint)(subid - 80)),
                };
                count = 2;
            }
            else
            {
                if (count == Oid.MaxLength)
                {
                    throw new SnmpDecodeException($"more than {Oid.MaxLength} sub-identifiers (RFC 2578 section 3.5)", offset + subidStart);
                }

                arcs[count++] = (uint)subid;
            }
        }

        return count;
    }

    private readonly void ExpectTag(SnmpType expected)
    {
        if (_position >= _data.Length)
        {
            throw new SnmpDecodeException($"expected {expected}, found the end of the encoding", Offset);
        }

        byte tag = _data[_position];
        if (tag != (byte)expected)
        {
            throw new SnmpDecodeException($"expected {expected} (0x{(byte)expected:X2}), found tag 0x{tag:X2}", Offset);
        }
    }
}
