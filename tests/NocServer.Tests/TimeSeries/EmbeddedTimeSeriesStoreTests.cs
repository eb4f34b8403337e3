using System.Diagnostics.Metrics;
using CsCheck;
using Network.Noc.TimeSeries;
using static Network.Noc.Tests.TimeSeries.Points;

namespace Network.Noc.Tests.TimeSeries;

public sealed class EmbeddedTimeSeriesStoreTests : IDisposable
{
    private const long Minute = 60_000;
    private const long Hour = 3_600_000;
    private readonly StoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    private long HourStart => _h.NowMs - (_h.NowMs % Hour);

    [Fact]
    public async Task Points_read_back_raw_oldest_first_before_and_after_a_flush()
    {
        long t0 = HourStart - (2 * Hour) + 1234;
        SeriesKey key = Key();
        SeriesPoint[] points = [.. Enumerable.Range(0, 500).Reverse().Select(i => new SeriesPoint(key, t0 + (i * 30_000L), i * 1.5))];
        await _h.Store.WriteAsync(points, default);

        await AssertRaw();
        Assert.True(_h.Store.PendingPoints > 0);
        await _h.Store.FlushAsync(default);
        Assert.Equal(0, _h.Store.PendingPoints);
        await AssertRaw();

        async Task AssertRaw()
        {
            IReadOnlyList<SeriesData> read = await _h.Store.ReadAsync(Query(t0, t0 + (500 * 30_000L), SeriesResolution.Raw), default);
            SeriesData data = Assert.Single(read);
            Assert.Equal(key, data.Key);
            Assert.Equal(SeriesResolution.Raw, data.Resolution);
            Assert.Equal(Enumerable.Range(0, 500).Select(i => t0 + (i * 30_000L)), data.Buckets.Select(b => b.TimestampMs));
            Assert.Equal(Enumerable.Range(0, 500).Select(i => i * 1.5), data.Buckets.Select(b => b.Last));
            Assert.All(data.Buckets, b => Assert.True(b.Count == 1 && b.Min == b.Last && b.Max == b.Last && b.Mean == b.Last));
        }
    }

    [Fact]
    public async Task Writing_the_same_points_again_keeps_the_first_and_counts_once()
    {
        long t0 = HourStart - Hour;
        SeriesKey key = Key();
        SeriesPoint[] first = [.. Enumerable.Range(0, 120).Select(i => new SeriesPoint(key, t0 + (i * 30_000L), i))];
        SeriesPoint[] replay = [.. first.Select(p => p with { Value = p.Value + 1000 })];

        await _h.Store.WriteAsync(first, default);
        await _h.Store.WriteAsync(replay, default);
        await AssertOnce();
        await _h.Store.FlushAsync(default);
        await AssertOnce();
        await _h.Store.WriteAsync(replay, default);
        await AssertOnce();
        await _h.Store.FlushAsync(default);
        await AssertOnce();

        async Task AssertOnce()
        {
            SeriesData raw = Assert.Single(await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Raw), default));
            Assert.Equal(first.Select(p => p.Value), raw.Buckets.Select(b => b.Last));
            SeriesData hour = Assert.Single(await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Hour), default));
            SeriesBucket bucket = Assert.Single(hour.Buckets);
            Assert.Equal(new SeriesBucket(t0, first.Average(p => p.Value), 0, 119, 119, 120), bucket);
            SeriesData minutes = Assert.Single(await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Minute), default));
            Assert.Equal(60, minutes.Buckets.Count);
            Assert.All(minutes.Buckets, b => Assert.Equal(2, b.Count));
        }
    }

    [Fact]
    public async Task Rollups_stay_exact_with_late_out_of_order_and_repeated_points()
    {
        // Three series over three hours, points every 15 s at most; written in random chunks (so in any order, with
        // repeats carrying other values), flushed at random, then the whole lot replayed as an agent would after an outage.
        SeriesKey[] keys = [Key("ap1", iface: "eth0"), Key("ap1", iface: "eth1"), Key("ap2", iface: null)];
        var gen = Gen.Select(
            Gen.Select(Gen.Int[0, keys.Length - 1], Gen.Int[0, (3 * 240) - 1], Gen.Double[-1e6, 1e6]).List[1, 400],
            Gen.Int[1, 60],
            Gen.Bool.List[20]);
        await gen.SampleAsync(async t =>
        {
            (List<(int Series, int Step, double Value)> raw, int chunk, List<bool> flushes) = t;
            using var h = new StoreHarness();
            long start = h.NowMs - (h.NowMs % Hour) - (2 * Hour);
            SeriesPoint[] points = [.. raw.Select(p => new SeriesPoint(keys[p.Series], start + (p.Step * 15_000L), p.Value))];
            for (int i = 0, c = 0; i < points.Length; i += chunk, c++)
            {
                await h.Store.WriteAsync(points[i..Math.Min(points.Length, i + chunk)], default);
                if (flushes[c % flushes.Count])
                {
                    await h.Store.FlushAsync(default);
                }
            }

            await h.Store.WriteAsync(points, default);
            await AssertExact(h, points, start);
            await h.Store.FlushAsync(default);
            await AssertExact(h, points, start);
        }, iter: 60, threads: 1);

        static async Task AssertExact(StoreHarness h, SeriesPoint[] written, long start)
        {
            // Naive: the first value written at each timestamp of each series, then buckets summed in time order.
            Dictionary<SeriesKey, List<SeriesPoint>> kept = written.GroupBy(p => (p.Key, p.TimestampMs)).Select(g => g.First())
                .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.OrderBy(p => p.TimestampMs).ToList());
            foreach ((SeriesResolution resolution, long width) in new[] { (SeriesResolution.Raw, 1L), (SeriesResolution.Minute, Minute), (SeriesResolution.Hour, Hour) })
            {
                IReadOnlyList<SeriesData> read = await h.Store.ReadAsync(Query(start, start + (3 * Hour), resolution), default);
                Assert.Equal(kept.Count, read.Count);
                foreach (SeriesData data in read)
                {
                    SeriesBucket[] expected = [.. kept[data.Key].GroupBy(p => p.TimestampMs - (p.TimestampMs % width)).Select(g =>
                    {
                        double sum = 0;
                        foreach (SeriesPoint p in g)
                        {
                            sum += p.Value;
                        }

                        return new SeriesBucket(g.Key, sum / g.Count(), g.Min(p => p.Value), g.Max(p => p.Value), g.Last().Value, g.Count());
                    })];
                    Assert.Equal(expected, data.Buckets);
                }
            }
        }
    }

    [Fact]
    public async Task Retention_drops_raw_points_then_minutes_then_hours()
    {
        _h.Options.RawRetention = TimeSpan.FromHours(48);
        _h.Options.MinuteRetention = TimeSpan.FromDays(35);
        _h.Options.HourRetention = TimeSpan.FromDays(730);
        long hourStart = HourStart;
        long t0 = hourStart - Hour;
        SeriesKey key = Key();
        await _h.Store.WriteAsync([.. Enumerable.Range(0, 60).Select(i => new SeriesPoint(key, t0 + (i * Minute), i))], default);

        Assert.Equal(new RetentionResult(0, 0, 0), await _h.Store.CleanupAsync(default));
        Assert.Equal(0, _h.Store.PendingPoints);

        // The hour [t0, hourStart) goes when all of it is older than 48 hours: not a millisecond before.
        _h.Time.Advance(TimeSpan.FromMilliseconds(hourStart + (48 * Hour) - _h.NowMs - 1));
        Assert.Equal(new RetentionResult(0, 0, 0), await _h.Store.CleanupAsync(default));
        Assert.Equal(60, await Count(SeriesResolution.Raw));
        _h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new RetentionResult(1, 0, 0), await _h.Store.CleanupAsync(default));
        Assert.Equal(0, await Count(SeriesResolution.Raw));
        Assert.Equal(60, await Count(SeriesResolution.Minute));
        Assert.Equal(60, await Count(SeriesResolution.Hour));

        // A late point for that hour (a backlog after a long outage) is added to its rollups, seen before and after the merge.
        await _h.Store.WriteAsync([new SeriesPoint(key, t0 + 1, 1e9)], default);
        Assert.Equal(1, _h.Store.PendingPoints);
        Assert.Equal(61, await Count(SeriesResolution.Minute));
        Assert.Equal(61, await Count(SeriesResolution.Hour));
        await _h.Store.FlushAsync(default);
        Assert.Equal(0, await Count(SeriesResolution.Raw));
        Assert.Equal(61, await Count(SeriesResolution.Minute));
        SeriesBucket hourBucket = Assert.Single(Assert.Single(await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Hour), default)).Buckets);
        Assert.Equal((1e9 + Enumerable.Range(0, 60).Sum()) / 61, hourBucket.Mean);
        Assert.Equal(1e9, hourBucket.Max);
        Assert.Equal(0, hourBucket.Min);

        _h.Time.Advance(TimeSpan.FromDays(35));
        Assert.Equal(new RetentionResult(0, 1, 0), await _h.Store.CleanupAsync(default));
        Assert.Equal(0, await Count(SeriesResolution.Minute));
        Assert.Equal(61, await Count(SeriesResolution.Hour));

        _h.Time.Advance(TimeSpan.FromDays(730 - 35));
        Assert.Equal(new RetentionResult(0, 0, 1), await _h.Store.CleanupAsync(default));
        Assert.Equal(0, await Count(SeriesResolution.Hour));

        async Task<int> Count(SeriesResolution resolution) =>
            (await _h.Store.ReadAsync(Query(t0, t0 + Hour, resolution), default)).Sum(d => d.Buckets.Sum(b => (int)b.Count));
    }

    [Fact]
    public async Task The_maintenance_tick_flushes_after_the_flush_interval_and_cleans_up_after_the_cleanup_interval()
    {
        _h.Options.FlushInterval = TimeSpan.FromMinutes(1);
        _h.Options.CleanupInterval = TimeSpan.FromMinutes(10);
        await _h.Store.MaintainAsync(default); // the first tick cleans up
        await _h.Store.WriteAsync([new SeriesPoint(Key(), _h.NowMs - 1000, 1)], default);

        _h.Time.Advance(TimeSpan.FromSeconds(59));
        await _h.Store.MaintainAsync(default);
        Assert.Equal(1, _h.Store.PendingPoints);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.Store.MaintainAsync(default);
        Assert.Equal(0, _h.Store.PendingPoints);

        // Ten minutes after the last clean-up, the tick cleans up (a flush first): retention removes the raw hour.
        _h.Options.RawRetention = TimeSpan.FromHours(1);
        await _h.Store.WriteAsync([new SeriesPoint(Key(), _h.NowMs - 1000, 2)], default);
        _h.Time.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromHours(2));
        await _h.Store.MaintainAsync(default);
        Assert.Equal(0, _h.Store.PendingPoints);
        Assert.Empty(await _h.Store.ReadAsync(Query(_h.NowMs - (3 * Hour), _h.NowMs, SeriesResolution.Raw), default));
        Assert.Single(await _h.Store.ReadAsync(Query(_h.NowMs - (3 * Hour), _h.NowMs, SeriesResolution.Hour), default));
    }

    [Fact]
    public async Task Device_and_label_filters_pick_the_series_and_MaxSeries_caps_them()
    {
        long t = _h.NowMs - 60_000;
        SeriesKey[] keys = [Key("ap1", iface: "eth0"), Key("ap1", iface: "eth1"), Key("ap2", iface: "eth1"), Key("ap2", metric: "if_out_bps"),
            SeriesKey.Create("flageyplein", "ap3", "if_in_bps", new Dictionary<string, string> { ["if"] = "eth1", ["vlan"] = "10" })];
        await _h.Store.WriteAsync([.. keys.Select((k, i) => new SeriesPoint(k, t, i))], default);

        SeriesQuery all = Query(t - Hour, t + 1, SeriesResolution.Raw);
        Assert.Equal([keys[0], keys[1], keys[2], keys[4]], (await _h.Store.ReadAsync(all, default)).Select(d => d.Key));
        Assert.Equal([keys[1], keys[2], keys[4]], (await _h.Store.ReadAsync(all with { Labels = new Dictionary<string, string> { ["if"] = "eth1" } }, default)).Select(d => d.Key));
        Assert.Equal([keys[4]], (await _h.Store.ReadAsync(all with { Labels = new Dictionary<string, string> { ["if"] = "eth1", ["vlan"] = "10" } }, default)).Select(d => d.Key));
        Assert.Equal([keys[2]], (await _h.Store.ReadAsync(all with { Device = "ap2" }, default)).Select(d => d.Key));
        Assert.Equal([keys[0], keys[1]], (await _h.Store.ReadAsync(all with { MaxSeries = 2 }, default)).Select(d => d.Key));
        Assert.Empty(await _h.Store.ReadAsync(all with { Site = "beursplein" }, default));
        Assert.Empty(await _h.Store.ReadAsync(all with { Labels = new Dictionary<string, string> { ["if"] = "eth9" } }, default));
    }

    [Theory]
    [InlineData(0, 1, SeriesResolution.Raw)]
    [InlineData(0, 6, SeriesResolution.Raw)]
    [InlineData(0, 7, SeriesResolution.Minute)]
    [InlineData(0, 7 * 24, SeriesResolution.Minute)]
    [InlineData(0, (7 * 24) + 1, SeriesResolution.Hour)]
    [InlineData(47, 1, SeriesResolution.Raw)]
    [InlineData(49, 1, SeriesResolution.Minute)]
    [InlineData(36 * 24, 1, SeriesResolution.Hour)]
    public void Auto_resolution_follows_the_range_and_what_retention_still_has(int hoursBeforeNow, int spanHours, SeriesResolution expected)
    {
        DateTimeOffset now = _h.Time.GetUtcNow();
        DateTimeOffset from = now - TimeSpan.FromHours(hoursBeforeNow);
        var query = new SeriesQuery("s", "m", from, from + TimeSpan.FromHours(spanHours));
        Assert.Equal(expected, SeriesReads.Resolve(query, now, _h.Options));
        Assert.Equal(SeriesResolution.Hour, SeriesReads.Resolve(query with { Resolution = SeriesResolution.Hour }, now, _h.Options));
    }

    [Fact]
    public async Task Auto_reads_answer_with_the_resolution_they_picked()
    {
        long t = _h.NowMs - 1000;
        await _h.Store.WriteAsync([new SeriesPoint(Key(), t, 7)], default);
        SeriesData day = Assert.Single(await _h.Store.ReadAsync(Query(t - (24 * Hour), t + 1, SeriesResolution.Auto), default));
        Assert.Equal(SeriesResolution.Minute, day.Resolution);
        Assert.Equal(t - (t % Minute), Assert.Single(day.Buckets).TimestampMs);
    }

    [Fact]
    public async Task The_store_survives_reopening_with_points_flushed_and_points_only_in_the_log()
    {
        long t0 = HourStart - Hour;
        SeriesKey a = Key("ap1"), b = Key("ap2");
        await _h.Store.WriteAsync([.. Enumerable.Range(0, 60).Select(i => new SeriesPoint(a, t0 + (i * Minute), i))], default);
        await _h.Store.FlushAsync(default);
        await _h.Store.WriteAsync([.. Enumerable.Range(0, 60).Select(i => new SeriesPoint(b, t0 + (i * Minute), -i))], default);
        // A torn last record, as a crash in the middle of a write leaves it: ignored.
        string log = Assert.Single(Directory.GetFiles(_h.Store.LogFolder, "*.log"));
        await File.AppendAllBytesAsync(log, [0x54, 0x53, 0x4C, 0x31, 0xFF, 0, 0, 0, 1, 2, 3]);

        _h.Reopen();

        IReadOnlyList<SeriesData> read = await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Raw), default);
        Assert.Equal(2, _h.Store.SeriesCount);
        Assert.Equal([a, b], read.Select(d => d.Key));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (double)i), read[0].Buckets.Select(x => x.Last));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (double)-i), read[1].Buckets.Select(x => x.Last));
        Assert.Empty(Directory.GetFiles(_h.Store.LogFolder, "*.log"));
        SeriesData hour = Assert.Single(await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Hour) with { Device = "ap2" }, default));
        Assert.Equal(new SeriesBucket(t0, -29.5, -59, 0, -59, 60), Assert.Single(hour.Buckets));

        // Series ids keep counting from the stored catalogue.
        SeriesKey c = Key("ap3");
        await _h.Store.WriteAsync([new SeriesPoint(c, t0, 1)], default);
        Assert.Equal(3, _h.Store.SeriesCount);
        _h.Reopen();
        Assert.Equal([a, b, c], (await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Raw), default)).Select(d => d.Key));
    }

    [Fact]
    public async Task Bad_points_are_dropped_and_counted_and_the_rest_is_stored()
    {
        var dropped = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == _h.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string name = instrument.Name + (tags.Length > 0 ? "/" + tags[0].Value : "");
            lock (dropped)
            {
                dropped[name] = dropped.GetValueOrDefault(name) + value;
            }
        });
        listener.Start();

        _h.Options.MaxSeries = 2;
        long now = _h.NowMs;
        await _h.Store.WriteAsync(
        [
            new SeriesPoint(Key("ap1"), now - 1000, 1),
            new SeriesPoint(Key("ap1"), now - 2000, double.NaN),
            new SeriesPoint(Key("ap1"), now - 3000, double.PositiveInfinity),
            new SeriesPoint(Key("ap1"), now - (731 * 24 * Hour), 2),
            new SeriesPoint(Key("ap1"), now + (25 * Hour), 3),
            new SeriesPoint(new SeriesKey(null!, "ap1", "m", ""), now, 4),
            new SeriesPoint(Key("ap2"), now - 1000, 5),
            new SeriesPoint(Key("ap3"), now - 1000, 6),
        ], default);

        Assert.Equal(2, _h.Store.SeriesCount);
        Assert.Equal(2, _h.Store.PendingPoints);
        Assert.Equal(3, dropped[$"{NocMetricNames.TimeSeriesPointsDropped}/invalid"]);
        Assert.Equal(1, dropped[$"{NocMetricNames.TimeSeriesPointsDropped}/too_old"]);
        Assert.Equal(1, dropped[$"{NocMetricNames.TimeSeriesPointsDropped}/future"]);
        Assert.Equal(1, dropped[$"{NocMetricNames.TimeSeriesPointsDropped}/series_limit"]);
        Assert.Equal(8, dropped[$"{NocMetricNames.TimeSeriesPointsWritten}/embedded"]);
        Assert.Equal(2, dropped[NocMetricNames.TimeSeriesSeries]);
        await Assert.ThrowsAsync<ArgumentException>(() => _h.Store.ReadAsync(Query(now, now, SeriesResolution.Raw), default));
    }

    [Fact]
    public async Task Readers_never_miss_a_written_point_while_flushes_move_points_into_SQLite()
    {
        // The writer adds a point a batch and flushes every few batches; every read must see at least what was written
        // before it started, exactly once per timestamp, whether the points are buffered, mid-flush or stored.
        SeriesKey key = Key();
        long t0 = HourStart - Hour;
        long written = 0;
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < 300; i++)
            {
                await _h.Store.WriteAsync([new SeriesPoint(key, t0 + (i * 1000L), i), new SeriesPoint(key, t0 + (i * 1000L), -1)], default);
                Interlocked.Exchange(ref written, i + 1);
                if (i % 7 == 0)
                {
                    await _h.Store.FlushAsync(default);
                }
            }
        });

        // Until the writer is done (or has failed: awaiting it below rethrows); a minute at most.
        int reads = 0;
        DateTime deadline = DateTime.UtcNow.AddMinutes(1);
        while ((!writer.IsCompleted || reads == 0) && DateTime.UtcNow < deadline)
        {
            long before = Interlocked.Read(ref written);
            IReadOnlyList<SeriesData> read = await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Raw), default);
            IReadOnlyList<SeriesBucket> buckets = read.Count == 0 ? [] : read[0].Buckets;
            Assert.True(buckets.Count >= before, $"read {buckets.Count} points after {before} were written");
            Assert.Equal(buckets.Select((_, i) => (double)i), buckets.Select(b => b.Last));
            reads++;
        }

        await writer;
        Assert.Equal(300, Assert.Single(Assert.Single(await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Hour), default)).Buckets).Count);
    }

    [Fact]
    public async Task Past_MaxPendingPoints_a_write_merges_at_once()
    {
        _h.Options.MaxPendingPoints = 1000;
        SeriesKey key = Key();
        long t0 = HourStart - Hour;
        await _h.Store.WriteAsync([.. Enumerable.Range(0, 999).Select(i => new SeriesPoint(key, t0 + i, i))], default);
        Assert.Equal(999, _h.Store.PendingPoints);
        await _h.Store.WriteAsync([new SeriesPoint(key, t0 + 999, 999)], default);
        Assert.Equal(0, _h.Store.PendingPoints);
        Assert.Equal(1000, Assert.Single(Assert.Single(await _h.Store.ReadAsync(Query(t0, t0 + Hour, SeriesResolution.Hour), default)).Buckets).Count);
    }
}
