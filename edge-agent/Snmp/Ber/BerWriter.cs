using System.Buffers;
using System.Runtime.CompilerServices;
using Network.Snmp.Pdus;

namespace Network.Snmp.Ber;

/// <summary>
/// Writes the BER subset of SNMP the way RFC 3417 section 8 asks: definite lengths in their shortest form,
/// minimal INTEGER contents, primitive strings. The output is what <c>AsnWriter</c> writes in BER mode.
/// </summary>
/// <remarks>
/// Writes forwards into a growable buffer. <see cref="Push"/> reserves one length octet; <see cref="Pop"/>
/// fills it in, and when the content reached 128 bytes or more moves the content right to make room for the
/// long form. Bookmarks (<see cref="AddBookmark"/>) follow those moves, which is how the message encoder
/// reports where msgAuthenticationParameters ended up. Not thread-safe; reuse one per thread with <see cref="Reset"/>.
/// </remarks>
public sealed class BerWriter
{
    /// <summary>How deep <see cref="Push"/> may nest, and how many bookmarks one encoding may hold.</summary>
    public const int MaxNesting = 16;

    private byte[] _buffer;
    private int _length;
    private Positions _open;
    private int _openCount;
    private Positions _bookmarks;
    private int _bookmarkCount;

    public BerWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(initialCapacity, 16)];

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The buffer's size; the codec drops a cached writer that grew too large.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>The encoding so far; complete once every <see cref="Push"/> has had its <see cref="Pop"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Empties the writer, keeping its buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _openCount = 0;
        _bookmarkCount = 0;
    }

    public byte[] ToArray()
    {
        ThrowIfOpen();
        return WrittenSpan.ToArray();
    }

    public void CopyTo(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfOpen();
        destination.Write(WrittenSpan);
    }

    /// <summary>Opens a constructed encoding (SEQUENCE, a PDU) or an encapsulating OCTET STRING; close it with <see cref="Pop"/>.</summary>
    public void Push(SnmpType tag)
    {
        if (_openCount == MaxNesting)
        {
            throw new InvalidOperationException($"encodings nest deeper than {MaxNesting} levels");
        }

        Span<byte> span = Grow(2);
        span[0] = (byte)tag;
        span[1] = 0;
        _open[_openCount++] = _length;
    }

    /// <summary>Closes the innermost <see cref="Push"/> and writes its length, in the short form when it fits (X.690 8.1.3.4).</summary>
    public void Pop()
    {
        if (_openCount == 0)
        {
            throw new InvalidOperationException("Pop without a Push");
        }

        int contentStart = _open[--_openCount];
        int length = _length - contentStart;
        if (length < 0x80)
        {
            _buffer[contentStart - 1] = (byte)length;
            return;
        }

        // X.690 8.1.3.5: long form; one octet was reserved, the length needs 1 + extra.
        int extra = LengthOfLength(length);
        Grow(extra);
        _buffer.AsSpan(contentStart, length).CopyTo(_buffer.AsSpan(contentStart + extra));
        WriteLongLength(_buffer.AsSpan(contentStart - 1, 1 + extra), length, extra);

        for (int i = 0; i < _bookmarkCount; i++)
        {
            if (_bookmarks[i] >= contentStart)
            {
                _bookmarks[i] += extra;
            }
        }
    }

    /// <summary>Remembers the current offset; <see cref="GetBookmark"/> returns it wherever later length octets moved it.</summary>
    public int AddBookmark()
    {
        if (_bookmarkCount == MaxNesting)
        {
            throw new InvalidOperationException($"more than {MaxNesting} bookmarks");
        }

        _bookmarks[_bookmarkCount] = _length;
        return _bookmarkCount++;
    }

    public int GetBookmark(int bookmark)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bookmark);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bookmark, _bookmarkCount);
        return _bookmarks[bookmark];
    }

    /// <summary>INTEGER (X.690 8.3) in the fewest octets of two's complement.</summary>
    public void WriteInteger(int value, SnmpType tag = SnmpType.Integer)
    {
        int count = 1;
        while (count < 4 && (value >> ((count * 8) - 1)) is not 0 and not -1)
        {
            count++;
        }

        Span<byte> span = Grow(2 + count);
        span[0] = (byte)tag;
        span[1] = (byte)count;
        for (int i = 0; i < count; i++)
        {
            span[1 + count - i] = (byte)(value >> (i * 8));
        }
    }

    /// <summary>An unsigned type (Counter32, Gauge32, TimeTicks, UInteger32, Counter64): minimal, with a leading zero when the top bit is set.</summary>
    public void WriteUnsigned(ulong value, SnmpType tag)
    {
        int significant = value == 0 ? 1 : ((64 - (int)ulong.LeadingZeroCount(value)) + 7) / 8;
        int count = ((value >> ((significant * 8) - 1)) & 1) == 1 ? significant + 1 : significant;
        Span<byte> span = Grow(2 + count);
        span[0] = (byte)tag;
        span[1] = (byte)count;
        for (int i = 0; i < count; i++)
        {
            span[1 + count - i] = i < 8 ? (byte)(value >> (i * 8)) : (byte)0;
        }
    }

    /// <summary>OCTET STRING and the octet application types, primitive (RFC 3417 section 8).</summary>
    public void WriteOctetString(ReadOnlySpan<byte> value, SnmpType tag = SnmpType.OctetString)
    {
        WriteHeader(tag, value.Length);
        value.CopyTo(Grow(value.Length));
    }

    /// <summary>Bytes as they are, after a <see cref="WriteHeader"/> or for an encoding made elsewhere.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    /// <summary>NULL, or an exception value (RFC 3416 section 3: [0..2] IMPLICIT NULL).</summary>
    public void WriteNull(SnmpType tag = SnmpType.Null)
    {
        Span<byte> span = Grow(2);
        span[0] = (byte)tag;
        span[1] = 0;
    }

    public void WriteOid(Oid oid)
    {
        ArgumentNullException.ThrowIfNull(oid);
        WriteOid(oid.Arcs);
    }

    /// <summary>
    /// OBJECT IDENTIFIER (X.690 8.19): at least two arcs, the first 0, 1 or 2, the second under 40 unless
    /// the first is 2, and the combined first sub-identifier 40*X+Y within 2^32-1.
    /// </summary>
    public void WriteOid(ReadOnlySpan<uint> arcs)
    {
        if (arcs.Length < 2)
        {
            throw new ArgumentException("an OBJECT IDENTIFIER has at least two arcs (X.690 8.19.4)", nameof(arcs));
        }

        if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) || arcs[1] > uint.MaxValue - 80)
        {
            throw new ArgumentException($"{arcs[0]}.{arcs[1]} cannot start an OBJECT IDENTIFIER (X.690 8.19.4)", nameof(arcs));
        }

        uint first = (arcs[0] * 40) + arcs[1];
        int length = Base128Length(first);
        for (int i = 2; i < arcs.Length; i++)
        {
            length += Base128Length(arcs[i]);
        }

        WriteHeader(SnmpType.ObjectIdentifier, length);
        Span<byte> span = Grow(length);
        int pos = WriteBase128(span, first);
        for (int i = 2; i < arcs.Length; i++)
        {
            pos += WriteBase128(span[pos..], arcs[i]);
        }
    }

    /// <summary>Any variable-binding value, with the tag of its type.</summary>
    public void WriteValue(in SnmpValue value)
    {
        switch (value.Type)
        {
            case SnmpType.Integer:
                WriteInteger(value.AsInt32());
                break;
            case SnmpType.OctetString:
            case SnmpType.IpAddress:
            case SnmpType.Opaque:
            case SnmpType.NsapAddress:
                WriteOctetString(value.AsBytes().Span, value.Type);
                break;
            case SnmpType.Null:
            case SnmpType.NoSuchObject:
            case SnmpType.NoSuchInstance:
            case SnmpType.EndOfMibView:
                WriteNull(value.Type);
                break;
            case SnmpType.ObjectIdentifier:
                WriteOid(value.AsOid());
                break;
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.UInteger32:
            case SnmpType.Counter64:
                WriteUnsigned(value.AsUInt64(), value.Type);
                break;
            default:
                throw new ArgumentException($"{value.Type} is not a value type", nameof(value));
        }
    }

    /// <summary>A tag and a minimal definite length (X.690 8.1.3.4 and 8.1.3.5).</summary>
    public void WriteHeader(SnmpType tag, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length < 0x80)
        {
            Span<byte> span = Grow(2);
            span[0] = (byte)tag;
            span[1] = (byte)length;
        }
        else
        {
            int extra = LengthOfLength(length);
            Span<byte> span = Grow(2 + extra);
            span[0] = (byte)tag;
            WriteLongLength(span[1..], length, extra);
        }
    }

    private static int LengthOfLength(int length) => length switch
    {
        <= 0xFF => 1,
        <= 0xFFFF => 2,
        <= 0xFFFFFF => 3,
        _ => 4,
    };

    private static void WriteLongLength(Span<byte> destination, int length, int extra)
    {
        destination[0] = (byte)(0x80 | extra);
        for (int i = 0; i < extra; i++)
        {
            destination[extra - i] = (byte)(length >> (i * 8));
        }
    }

    private static int Base128Length(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    private static int WriteBase128(Span<byte> destination, uint value)
    {
        int count = Base128Length(value);
        for (int i = count - 1; i >= 0; i--)
        {
            destination[i] = (byte)((value & 0x7F) | (i == count - 1 ? 0u : 0x80u));
            value >>= 7;
        }

        return count;
    }

    /// <summary>Appends <paramref name="count"/> bytes to the written length and returns them to fill.</summary>
    private Span<byte> Grow(int count)
    {
        int needed = _length + count;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        _length = needed;
        return span;
    }

    private void ThrowIfOpen()
    {
        if (_openCount != 0)
        {
            throw new InvalidOperationException($"{_openCount} encodings are still open");
        }
    }

    [InlineArray(MaxNesting)]
    private struct Positions
    {
        private int _element0;
    }
}
