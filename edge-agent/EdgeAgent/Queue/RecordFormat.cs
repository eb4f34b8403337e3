using System.Buffers.Binary;

namespace Network.EdgeAgent.Queue;

/// <summary>
/// One record of a segment file, little-endian:
/// <code>
///  0          4          8                     16
///  +----------+----------+---------------------+--------------------+
///  | length   | crc32    | id                  | payload (length)   |
///  +----------+----------+---------------------+--------------------+
/// </code>
/// <c>crc32</c> covers the id and the payload, so a torn write, a zeroed tail (a file extended but its data never
/// written, as after power loss) or a flipped bit shows. Ids rise by one from record to record.
/// </summary>
public static class RecordFormat
{
    public const int HeaderSize = 16;

    /// <summary>No record is longer: a larger length field is corruption, never trusted.</summary>
    public const int MaxPayload = 16 << 20;

    public enum Status
    {
        Ok,

        /// <summary>The span ends inside the record: at the end of a file, a torn tail.</summary>
        Incomplete,

        /// <summary>The length is out of bounds or the CRC does not match.</summary>
        Corrupt,
    }

    public static int SizeOf(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes one record into <paramref name="destination"/> (at least <see cref="SizeOf"/> bytes).</summary>
    public static int Write(Span<byte> destination, ulong id, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], id);
        payload.CopyTo(destination[HeaderSize..]);
        uint crc = Crc32.Compute(destination.Slice(8, 8 + payload.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], crc);
        return HeaderSize + payload.Length;
    }

    /// <summary>Reads the record at the start of <paramref name="source"/>; the payload is <c>source.Slice(HeaderSize, payloadLength)</c>.</summary>
    public static Status TryRead(ReadOnlySpan<byte> source, out ulong id, out int payloadLength, out int consumed)
    {
        id = 0;
        payloadLength = 0;
        consumed = 0;
        if (source.Length < HeaderSize)
        {
            return Status.Incomplete;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(source);
        if (length is < 0 or > MaxPayload)
        {
            return Status.Corrupt;
        }

        if (source.Length < HeaderSize + length)
        {
            return Status.Incomplete;
        }

        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        if (Crc32.Compute(source.Slice(8, 8 + length)) != crc)
        {
            return Status.Corrupt;
        }

        id = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        payloadLength = length;
        consumed = HeaderSize + length;
        return Status.Ok;
    }
}
