using System.Buffers.Binary;
using Network.EdgeAgent.Queue;

namespace Network.EdgeAgent.Forwarding;

/// <summary>Which part of the queue a batch carries: the backlog (oldest first) or the fresh records sent ahead of it.</summary>
public enum BatchKind : byte
{
    Backlog = 1,
    Fresh = 2,
}

/// <summary>A batch handed to the NOC and not yet acknowledged: resent with the same sequence number until it is.</summary>
public readonly record struct InFlightBatch(long Sequence, BatchKind Kind, ulong FromId, ulong ThroughId);

/// <summary>
/// The forwarder's durable state, in the queue folder: the next sequence number and the batch in flight. Written
/// (atomically, fsynced) before each batch is sent, so after a crash the same records go again under the same
/// sequence number and the NOC drops the copy; and a number once used is never used again.
/// </summary>
public sealed class ForwardingState
{
    private const uint Magic = 0x46514145; // "EAQF"
    private const int Size = 4 + 8 + 1 + 8 + 8 + 8 + 4;
    private readonly string _path;

    private ForwardingState(string path, long nextSequence, InFlightBatch? inFlight)
    {
        _path = path;
        NextSequence = nextSequence;
        InFlight = inFlight;
    }

    public long NextSequence { get; private set; }

    public InFlightBatch? InFlight { get; private set; }

    /// <summary>True when the file was damaged and the sequence restarted from the clock (still above any used before).</summary>
    public bool Recovered { get; private set; }

    public static ForwardingState Load(string folder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        string path = Path.Combine(folder, "forwarding");
        if (!File.Exists(path))
        {
            return new ForwardingState(path, 1, null);
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == Size && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Magic
            && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Size - 4)) == Crc32.Compute(bytes.AsSpan(0, Size - 4)))
        {
            long next = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(4));
            var kind = (BatchKind)bytes[12];
            InFlightBatch? inFlight = kind is BatchKind.Backlog or BatchKind.Fresh
                ? new InFlightBatch(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(13)), kind,
                    BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(21)), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(29)))
                : null;
            return new ForwardingState(path, next, inFlight);
        }

        // Damaged: microseconds since 1970 are above any count of batches an agent sends, so the order holds.
        return new ForwardingState(path, time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, null) { Recovered = true };
    }

    /// <summary>Takes the next sequence number for a batch of records and persists both before the batch leaves.</summary>
    public InFlightBatch Begin(BatchKind kind, ulong fromId, ulong throughId)
    {
        var batch = new InFlightBatch(NextSequence, kind, fromId, throughId);
        Save(NextSequence + 1, batch);
        return batch;
    }

    /// <summary>Narrows the batch in flight (the NOC found it too large); it keeps its sequence number.</summary>
    public InFlightBatch Narrow(ulong throughId)
    {
        InFlightBatch batch = InFlight ?? throw new InvalidOperationException("no batch in flight");
        batch = batch with { ThroughId = throughId };
        Save(NextSequence, batch);
        return batch;
    }

    /// <summary>The batch in flight is acknowledged (the queue's own file records that); nothing to write.</summary>
    public void Complete() => InFlight = null;

    private void Save(long next, InFlightBatch? inFlight)
    {
        byte[] bytes = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), next);
        if (inFlight is InFlightBatch b)
        {
            bytes[12] = (byte)b.Kind;
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(13), b.Sequence);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(21), b.FromId);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(29), b.ThroughId);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Size - 4), Crc32.Compute(bytes.AsSpan(0, Size - 4)));
        DurableFiles.ReplaceAtomically(_path, bytes);
        NextSequence = next;
        InFlight = inFlight;
    }
}
