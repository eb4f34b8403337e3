using CsCheck;
using Network.Noc.TimeSeries;
using static Network.Noc.Tests.TimeSeries.Points;

namespace Network.Noc.Tests.TimeSeries;

public sealed class PendingPointsTests
{
    /// <summary>The grouped points as (id, [(timestamp, value)]) lists.</summary>
    private static List<(int Id, List<(long, double)> Points)> Grouped(PendingPoints pending, int seriesCount)
    {
        long[] ts = new long[pending.Count];
        double[] values = new double[pending.Count];
        return [.. pending.BySeries(seriesCount, ts, values).Select(s => (s.Id, ts.AsSpan(s.Start, s.Count).ToArray().Zip(values.AsSpan(s.Start, s.Count).ToArray()).ToList()))];
    }

    [Fact]
    public void Points_over_several_chunks_come_back_grouped_by_series_in_ascending_id_and_in_arrival_order()
    {
        using var pending = new PendingPoints();
        int total = (PendingPoints.ChunkPoints * 2) + 123;
        var expected = new Dictionary<int, List<(long, double)>>();
        for (int i = 0; i < total; i++)
        {
            // Ids out of order, timestamps falling within a series: nothing may be sorted before the flush asks.
            int id = 1 + ((i * 7) % 13);
            long ts = 1_000_000 - i;
            pending.Add(id, ts, i * 0.5);
            expected.TryAdd(id, []);
            expected[id].Add((ts, i * 0.5));
        }

        Assert.Equal(total, pending.Count);
        Assert.Equal(3, pending.ChunksAllocated);
        List<(int Id, List<(long, double)> Points)> bySeries = Grouped(pending, 14);
        Assert.Equal(expected.Keys.Order(), bySeries.Select(s => s.Id));
        foreach ((int id, List<(long, double)> points) in bySeries)
        {
            Assert.Equal(expected[id], points);
        }
    }

    [Fact]
    public void A_copy_holds_only_the_wanted_series_and_the_range_asked()
    {
        using var pending = new PendingPoints();
        for (int i = 0; i < 1000; i++)
        {
            pending.Add(1 + (i % 5), 10_000 + i, i);
        }

        Dictionary<int, PointBuffer> copy = pending.Copy([2, 4, 40], 10_100, 10_200);
        Assert.Equal([2, 4], copy.Keys.Order());
        Assert.Equal(Enumerable.Range(100, 100).Where(i => 1 + (i % 5) == 2).Select(i => 10_000L + i), copy[2].Timestamps.ToArray());
        Assert.Equal(Enumerable.Range(100, 100).Where(i => 1 + (i % 5) == 4).Select(i => (double)i), copy[4].Values.ToArray());
        Assert.Empty(pending.Copy([], 0, long.MaxValue));
    }

    [Fact]
    public void Clear_forgets_the_points_and_keeps_only_the_chunks_that_were_in_use_for_the_next_ones()
    {
        using var pending = new PendingPoints();
        for (int i = 0; i < (PendingPoints.ChunkPoints * 3) + 1; i++)
        {
            pending.Add(1, i, i);
        }

        pending.Clear();
        Assert.Equal(0, pending.Count);
        Assert.Empty(Grouped(pending, 2));
        Assert.Equal(4, pending.ChunksAllocated);

        // A smaller round reuses chunks (none allocated) and shows none of the old points.
        pending.Add(1, 7, 70);
        pending.Add(1, 8, 80);
        Assert.Equal(4, pending.ChunksAllocated);
        (int id, List<(long, double)> points) = Assert.Single(Grouped(pending, 2));
        Assert.Equal(1, id);
        Assert.Equal([(7L, 70.0), (8L, 80.0)], points);

        // After it, only the one chunk that round used is kept.
        pending.Clear();
        Assert.Equal(1, pending.ChunksAllocated);
    }

    [Fact]
    public void After_dispose_adding_is_refused()
    {
        var pending = new PendingPoints();
        pending.Add(1, 1, 1);
        pending.Dispose();
        Assert.Equal(0, pending.ChunksAllocated);
        Assert.Throws<ObjectDisposedException>(() => pending.Add(1, 2, 2));
    }

    [Fact]
    public void Grouping_by_series_is_a_stable_group_by_of_whatever_was_added()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Long[0, 50], Gen.Double).Array[0, 3 * PendingPoints.ChunkPoints / 2].Sample(points =>
        {
            using var pending = new PendingPoints();
            foreach ((int id, long ts, double value) in points)
            {
                pending.Add(id, ts, value);
            }

            var expected = points.GroupBy(p => p.Item1).OrderBy(g => g.Key).Select(g => (g.Key, g.Select(p => (p.Item2, p.Item3)).ToArray())).ToArray();
            var actual = Grouped(pending, 21).Select(s => (s.Id, s.Points.ToArray())).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i].Key, actual[i].Id);
                Assert.Equal(expected[i].Item2, actual[i].Item2);
            }
        }, iter: 20, threads: 1);
    }

    [Fact]
    public async Task Keys_equal_in_value_but_not_the_same_strings_are_one_series_within_a_write_and_across_writes()
    {
        using var h = new StoreHarness();
        SeriesKey key = Key();
        SeriesKey copy = new(new string(key.Site), new string(key.Device), new string(key.Metric), new string(key.Labels));
        Assert.False(ReferenceEquals(key.Site, copy.Site));
        long t0 = h.NowMs - 60_000;
        await h.Store.WriteAsync([new SeriesPoint(key, t0, 1), new SeriesPoint(copy, t0 + 1, 2), new SeriesPoint(key, t0 + 2, 3)], default);
        await h.Store.WriteAsync([new SeriesPoint(copy, t0 + 3, 4)], default);

        Assert.Equal(1, h.Store.SeriesCount);
        SeriesData data = Assert.Single(await h.Store.ReadAsync(Query(t0, t0 + 10, SeriesResolution.Raw), default));
        Assert.Equal([1.0, 2.0, 3.0, 4.0], data.Buckets.Select(b => b.Last));
    }
}
