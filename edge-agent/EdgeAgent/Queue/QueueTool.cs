using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Network.EdgeAgent.Queue;

/// <summary>
/// <c>edge-agent queue-tool write|bench</c>: the queue on its own, for the crash tests and the benchmarks (not for operators).
/// <list type="bullet">
/// <item><c>write FOLDER BATCH PAYLOAD [ACK_EVERY]</c>: appends batches of BATCH records forever; after each fsync prints
/// <c>synced FIRST LAST</c>, and every ACK_EVERY batches acknowledges the oldest records and prints <c>acked THROUGH</c>.
/// Each payload starts with its own record id, so a reader can check id and content agree.</item>
/// <item><c>bench FOLDER RECORDS PAYLOAD BATCH</c>: appends RECORDS records BATCH at a time (one fsync each), then reads
/// them all back and acknowledges them, and prints both rates in records per second.</item>
/// </list>
/// </summary>
public static class QueueTool
{
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            return args switch
            {
                ["write", var folder, var batch, var payload, .. var rest] => Write(folder, Int(batch), Int(payload), rest.Length > 0 ? Int(rest[0]) : 0, output),
                ["bench", var folder, var records, var payload, var batch] => Bench(folder, Int(records), Int(payload), Int(batch), output),
                _ => Usage(output),
            };
        }
        catch (FormatException ex)
        {
            output.WriteLine(ex.Message);
            return 64;
        }
    }

    /// <summary>A payload of <paramref name="size"/> bytes (at least 8) that starts with <paramref name="id"/>.</summary>
    public static byte[] Payload(ulong id, int size)
    {
        byte[] payload = new byte[Math.Max(8, size)];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, id);
        for (int i = 8; i < payload.Length; i++)
        {
            payload[i] = (byte)(id + (ulong)i);
        }

        return payload;
    }

    private static int Write(string folder, int batch, int size, int ackEvery, TextWriter output)
    {
        using SegmentStore queue = SegmentStore.Open(new SegmentStoreSettings(folder, 1L << 30, 64 * 1024), NullLogger.Instance);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"opened next={queue.NextId} acked={queue.Acks.Through}"));
        for (long round = 1; ; round++)
        {
            ulong next = queue.NextId;
            var payloads = new ReadOnlyMemory<byte>[batch];
            for (int i = 0; i < batch; i++)
            {
                payloads[i] = Payload(next + (ulong)i, size);
            }

            (ulong first, ulong last) = queue.Append(payloads);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"synced {first} {last}"));
            if (ackEvery > 0 && round % ackEvery == 0)
            {
                AckState acks = queue.Acks;
                IReadOnlyList<QueueRecord> oldest = queue.Read(acks.Through, ulong.MaxValue, batch, int.MaxValue);
                if (oldest.Count > 0)
                {
                    queue.Acknowledge(acks.WithBacklogThrough(oldest[^1].Id));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acked {oldest[^1].Id}"));
                }
            }
        }
    }

    private static int Bench(string folder, int records, int size, int batch, TextWriter output)
    {
        using SegmentStore queue = SegmentStore.Open(new SegmentStoreSettings(folder, 1L << 34, 1L << 20), NullLogger.Instance);
        byte[] payload = Payload(1, size);
        var payloads = Enumerable.Repeat((ReadOnlyMemory<byte>)payload, batch).ToArray();
        long start = Stopwatch.GetTimestamp();
        for (int written = 0; written < records; written += batch)
        {
            queue.Append(payloads);
        }

        double writeSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        start = Stopwatch.GetTimestamp();
        long read = 0;
        while (true)
        {
            AckState acks = queue.Acks;
            IReadOnlyList<QueueRecord> chunk = queue.Read(acks.Through, ulong.MaxValue, 500, 4 << 20);
            if (chunk.Count == 0)
            {
                break;
            }

            read += chunk.Count;
            queue.Acknowledge(acks.WithBacklogThrough(chunk[^1].Id));
        }

        double readSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int total = (records + batch - 1) / batch * batch;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"write {total} records of {size} bytes, {batch} per fsync: {total / writeSeconds:0} records/s ({writeSeconds:0.000} s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay {read} records, 500 per acknowledgement (fsync): {read / readSeconds:0} records/s ({readSeconds:0.000} s)"));
        return 0;
    }

    private static int Usage(TextWriter output)
    {
        output.WriteLine("usage: edge-agent queue-tool write FOLDER BATCH PAYLOAD [ACK_EVERY] | bench FOLDER RECORDS PAYLOAD BATCH");
        return 64;
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
