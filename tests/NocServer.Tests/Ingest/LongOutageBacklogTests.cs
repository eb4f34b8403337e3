using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Tests.Ingest;

/// <summary>An agent's backlog after the NOC was unreachable for longer than the raw retention: nothing lost, nothing twice.</summary>
public sealed class LongOutageBacklogTests
{
    private const int PointsPerBatch = 100;

    [Fact]
    public async Task A_72_hour_backlog_lands_in_the_rollups_once_and_a_replay_of_its_batches_changes_nothing()
    {
        // One reading a minute for 72 hours; the first 30 reach the NOC live, the rest after 72 hours of outage.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-73).ToUnixTimeMilliseconds() / 1000 * 1000);
        var time = new FakeTimeProvider(start);
        await using NocHost noc = await NocHost.StartAsync(time);
        EmbeddedTimeSeriesStore store = noc.Factory.Services.GetRequiredService<EmbeddedTimeSeriesStore>();
        Sample[] readings = [.. Enumerable.Range(0, 72 * 60).Select(i => NocHost.Reading("if_in_bps", i, at: start.AddMinutes(i)))];

        time.Advance(TimeSpan.FromMinutes(30));
        SampleBatch live = NocHost.Batch(1, readings[..30]);
        await AcceptedAsync(noc, live);
        await store.FlushAsync(CancellationToken.None);

        // The outage: retention turns the live points' hour into minute buckets before the backlog arrives.
        time.Advance(TimeSpan.FromHours(72));
        await store.CleanupAsync(CancellationToken.None);
        List<SampleBatch> backlog = [.. readings[30..].Chunk(PointsPerBatch).Select((chunk, i) => NocHost.Batch(2 + i, chunk))];
        foreach (SampleBatch batch in backlog)
        {
            await AcceptedAsync(noc, batch);
        }

        await AssertEveryReadingOnceAsync(store, readings, start);
        await store.CleanupAsync(CancellationToken.None);
        await AssertEveryReadingOnceAsync(store, readings, start);

        // The agent did not hear the answers and sends everything again: each batch is a copy (409), stored once.
        foreach (SampleBatch batch in backlog.Prepend(live))
        {
            using HttpResponseMessage again = await noc.IngestAsync(batch);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await AssertEveryReadingOnceAsync(store, readings, start);
        await store.CleanupAsync(CancellationToken.None);
        await AssertEveryReadingOnceAsync(store, readings, start);
    }

    private static async Task AcceptedAsync(NocHost noc, SampleBatch batch)
    {
        using HttpResponseMessage response = await noc.IngestAsync(batch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        IngestAnswer answer = (await response.Content.ReadFromJsonAsync<IngestAnswer>())!;
        Assert.Equal((batch.Samples.Count, 0), (answer.Accepted, answer.Rejected));
    }

    /// <summary>Each minute bucket holds its one reading, each hour bucket its readings, and nothing else is there.</summary>
    private static async Task AssertEveryReadingOnceAsync(EmbeddedTimeSeriesStore store, Sample[] readings, DateTimeOffset start)
    {
        var minutes = await ReadAsync(store, start, SeriesResolution.Minute);
        Assert.Equal(readings.Length, minutes.Count);
        for (int i = 0; i < readings.Length; i++)
        {
            Assert.Equal((readings[i].Timestamp.ToUnixTimeMilliseconds() / 60_000 * 60_000, 1, readings[i].Value), (minutes[i].TimestampMs, minutes[i].Count, minutes[i].Last));
        }

        var hours = await ReadAsync(store, start, SeriesResolution.Hour);
        var expected = readings.GroupBy(r => r.Timestamp.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000)
            .Select(g => (g.Key, (long)g.Count(), g.Min(r => r.Value), g.Max(r => r.Value), g.Sum(r => r.Value)));
        Assert.Equal(expected, hours.Select(b => (b.TimestampMs, b.Count, b.Min, b.Max, Math.Round(b.Mean * b.Count))));
    }

    private static async Task<IReadOnlyList<SeriesBucket>> ReadAsync(EmbeddedTimeSeriesStore store, DateTimeOffset start, SeriesResolution resolution)
    {
        var query = new SeriesQuery(NocHost.Site, "if_in_bps", start.AddHours(-1), start.AddHours(74)) { Resolution = resolution };
        return Assert.Single(await store.ReadAsync(query, CancellationToken.None)).Buckets;
    }
}
