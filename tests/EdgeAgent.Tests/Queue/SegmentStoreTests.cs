using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Network.EdgeAgent.Queue;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Queue;

public sealed class SegmentStoreTests : IDisposable
{
    private readonly TempFolder _folder = new("agent-queue");

    private SegmentStore Open(long maxBytes = 1L << 30, long segmentBytes = 4096) =>
        SegmentStore.Open(new SegmentStoreSettings(_folder.FullPath, maxBytes, segmentBytes), NullLogger.Instance);

    private static ReadOnlyMemory<byte>[] Payloads(ulong firstId, int count, int size = 100) =>
        [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)QueueTool.Payload(firstId + (ulong)i, size))];

    private static void AssertContiguous(IReadOnlyList<QueueRecord> records, ulong first, ulong last)
    {
        Assert.Equal(Enumerable.Range(0, (int)(last - first + 1)).Select(i => first + (ulong)i), records.Select(r => r.Id));
        Assert.All(records, r => Assert.Equal(r.Id, BinaryPrimitives.ReadUInt64LittleEndian(r.Payload.Span)));
    }

    [Theory]
    [InlineData("check value of CRC-32/ISO-HDLC", "123456789", 0xCBF43926u)]
    [InlineData("empty", "", 0u)]
    public void Crc32_matches_the_catalogue(string description, string text, uint expected)
    {
        Assert.True(Crc32.Compute(System.Text.Encoding.ASCII.GetBytes(text)) == expected, description);
    }

    [Fact]
    public void Records_come_back_in_order_across_segments_and_a_reopen_and_acknowledged_segments_go()
    {
        using (SegmentStore store = Open())
        {
            for (int batch = 0; batch < 10; batch++)
            {
                store.Append(Payloads(store.NextId, 10));
            }

            AssertContiguous(store.Read(0, ulong.MaxValue, int.MaxValue, int.MaxValue), 1, 100);
            store.Acknowledge(store.Acks.WithBacklogThrough(60));
        }

        int segmentsBefore = Directory.GetFiles(_folder.FullPath, "*.seg").Length;
        using SegmentStore reopened = Open();
        Assert.Equal(60UL, reopened.Acks.Through);
        Assert.Equal(101UL, reopened.NextId);
        Assert.Equal(40, reopened.PendingRecords);
        AssertContiguous(reopened.Read(60, ulong.MaxValue, int.MaxValue, int.MaxValue), 61, 100);
        AssertContiguous(reopened.Read(70, 80, int.MaxValue, int.MaxValue), 71, 80);
        Assert.True(segmentsBefore < 40, "segments were rolled and the acknowledged ones deleted");
    }

    [Theory]
    [InlineData("a torn last record (cut in its payload)", -30)]
    [InlineData("a torn last header", -110)]
    [InlineData("zeros appended (file extended, data never written)", 4096)]
    [InlineData("garbage appended", 7)]
    [InlineData("a flipped bit in the last record", 0)]
    public void A_corrupt_tail_is_truncated_never_fatal_and_appending_goes_on(string description, int damage)
    {
        using (SegmentStore store = Open(segmentBytes: 1 << 20))
        {
            store.Append(Payloads(1, 10));
        }

        string segment = Directory.GetFiles(_folder.FullPath, "*.seg").Single();
        byte[] bytes = File.ReadAllBytes(segment);
        if (damage < 0)
        {
            bytes = bytes[..(bytes.Length + damage)];
        }
        else if (damage == 0)
        {
            bytes[^5] ^= 0x10;
        }
        else
        {
            bytes = [.. bytes, .. damage == 7 ? "garbage"u8.ToArray() : new byte[damage]];
        }

        File.WriteAllBytes(segment, bytes);

        using SegmentStore reopened = Open(segmentBytes: 1 << 20);
        ulong last = damage is 7 or 4096 ? 10UL : 9UL;
        Assert.True(reopened.TruncatedBytes > 0, description);
        Assert.Equal(last + 1, reopened.NextId);
        reopened.Append(Payloads(last + 1, 5));
        AssertContiguous(reopened.Read(0, ulong.MaxValue, int.MaxValue, int.MaxValue), 1, last + 5);
    }

    [Fact]
    public void A_damaged_acknowledgement_file_replays_from_the_oldest_record()
    {
        using (SegmentStore store = Open())
        {
            store.Append(Payloads(1, 5));
            store.Acknowledge(store.Acks.WithBacklogThrough(3));
        }

        File.WriteAllBytes(Path.Combine(_folder.FullPath, "acked"), [1, 2, 3]);

        using SegmentStore reopened = Open();
        Assert.Equal(0UL, reopened.Acks.Through);
        AssertContiguous(reopened.Read(0, ulong.MaxValue, int.MaxValue, int.MaxValue), 1, 5);
    }

    [Fact]
    public void When_full_the_oldest_segment_goes_and_exactly_its_unsent_records_are_counted_as_lost()
    {
        long reported = 0;
        using SegmentStore store = Open(maxBytes: 64 * 1024, segmentBytes: 4096);
        store.Dropped += lost => reported += lost;
        store.Append(Payloads(1, 20));
        store.Acknowledge(store.Acks.WithBacklogThrough(5)); // 5 delivered: not lost when their segment goes
        const int total = 2000;
        while (store.NextId <= total)
        {
            store.Append(Payloads(store.NextId, 20));
        }

        IReadOnlyList<QueueRecord> left = store.Read(0, ulong.MaxValue, int.MaxValue, int.MaxValue);
        Assert.True(store.Bytes <= 64 * 1024, $"{store.Bytes} bytes on disk");
        Assert.True(store.DroppedRecords > 0);
        Assert.Equal(store.DroppedRecords, reported);
        Assert.Equal(total - 5, store.DroppedRecords + left.Count);
        AssertContiguous(left, left[0].Id, total);
        Assert.Equal(left.Count, store.PendingRecords);
    }

    public void Dispose() => _folder.Dispose();
}
