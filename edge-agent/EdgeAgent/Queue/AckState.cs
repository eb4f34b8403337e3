using System.Buffers.Binary;

namespace Network.EdgeAgent.Queue;

/// <summary>
/// Which records the NOC has: every id up to <see cref="Through"/>, and while a backlog is replayed, also the fresh
/// range from <see cref="FreshFrom"/> to <see cref="FreshThrough"/> (sent ahead so live data is never starved).
/// <see cref="FreshFrom"/> is 0 when there is no fresh range. When the backlog reaches the fresh range, the two merge.
/// </summary>
public readonly record struct AckState(ulong Through, ulong FreshFrom, ulong FreshThrough)
{
    private const uint Magic = 0x41514145; // "EAQA"
    private const int Size = 32;

    public bool HasFreshRange => FreshFrom != 0;

    public bool Contains(ulong id) => id <= Through || (HasFreshRange && id >= FreshFrom && id <= FreshThrough);

    /// <summary>The backlog acknowledged through <paramref name="id"/>; merges with the fresh range when they meet.</summary>
    public AckState WithBacklogThrough(ulong id)
    {
        ulong through = Math.Max(Through, id);
        return HasFreshRange && through + 1 >= FreshFrom
            ? new AckState(Math.Max(through, FreshThrough), 0, 0)
            : this with { Through = through };
    }

    /// <summary>The fresh range acknowledged through <paramref name="id"/>, starting it at <paramref name="from"/> if there is none.</summary>
    public AckState WithFreshThrough(ulong from, ulong id)
    {
        AckState next = HasFreshRange ? this with { FreshThrough = Math.Max(FreshThrough, id) } : new AckState(Through, from, id);
        return next.Through + 1 >= next.FreshFrom ? new AckState(Math.Max(next.Through, next.FreshThrough), 0, 0) : next;
    }

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(4), Through);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(12), FreshFrom);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(20), FreshThrough);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), Crc32.Compute(bytes.AsSpan(0, 28)));
        return bytes;
    }

    public static bool TryParse(ReadOnlySpan<byte> bytes, out AckState state)
    {
        state = default;
        if (bytes.Length != Size || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]) != Crc32.Compute(bytes[..28]))
        {
            return false;
        }

        state = new AckState(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[20..]));
        return true;
    }
}
