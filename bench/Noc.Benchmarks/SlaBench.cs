using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Sla;
using Network.Noc.TimeSeries;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The SLA reports on a NOC store holding two years of a programme (<see cref="BenchStore"/>: per school an hourly
/// reading of the uplink probes, the router's reachability and traffic, a nightly throughput test both ways, a down
/// incident a week and a no-data period a month in the alarms). Measures the programme over twelve months and one
/// school's month, each run several times (the first run apart: cold caches).
/// </summary>
internal static class SlaBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int schools = (int)options.Long("--schools", 140);
        int runs = (int)options.Long("--runs", 5);
        await using BenchStore bench = await BenchStore.OpenAsync(options, "sla-bench");
        List<string> ids = BenchStore.Ids("fts-bench", schools);
        if (!bench.Reused)
        {
            var fill = Stopwatch.StartNew();
            await bench.SaveSchoolsAsync(ids);
            bench.Clock.Now = BenchStore.End; // the store takes points up to its retention back from now
            long points = await bench.WriteSeriesAsync(ids);
            int incidents = await bench.WriteAlarmsAsync(ids);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {schools} schools, {points:N0} points ({points / schools / 2:N0} a school a year), {incidents:N0} alarms, filled in {fill.Elapsed.TotalSeconds:0.0} s"));
        }

        bench.Clock.Now = BenchStore.End;
        SlaReports reports = bench.App.Services.GetRequiredService<SlaReports>();
        string school = ids[schools / 2];
        var programme = new List<double>();
        var programmeCpu = new List<double>();
        var month = new List<double>();
        ProgrammeReport? report = null;
        for (int run = 0; run <= runs; run++)
        {
            double cpu = ProcessCpu.Seconds(Environment.ProcessId);
            var watch = Stopwatch.StartNew();
            report = await reports.ProgrammeAsync(new SlaMonth(2026, 1), new SlaMonth(2026, 12), CancellationToken.None);
            programme.Add(watch.Elapsed.TotalMilliseconds);
            programmeCpu.Add((ProcessCpu.Seconds(Environment.ProcessId) - cpu) * 1000);
            for (int m = 1; m <= 12; m++)
            {
                watch.Restart();
                await reports.SchoolMonthAsync(ids[(run * 12 + m) % schools], new SlaMonth(2026, m), CancellationToken.None);
                month.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        // Where the programme's time goes: the alarm history it reads, and the throughput series of every school.
        AlarmService alarms = bench.App.Services.GetRequiredService<AlarmService>();
        EmbeddedTimeSeriesStore reader = bench.App.Services.GetRequiredService<EmbeddedTimeSeriesStore>();
        var parts = Stopwatch.StartNew();
        int alarmRows = (await alarms.QueryAsync(new AlarmFilter("all", Since: new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero), Limit: int.MaxValue),
            CancellationToken.None)).Count;
        double alarmMs = parts.Elapsed.TotalMilliseconds;
        parts.Restart();
        long buckets = 0;
        foreach (string id in ids)
        {
            foreach (string metric in new[] { MetricNames.ThroughputDownloadMbps, MetricNames.ThroughputUploadMbps })
            {
                buckets += (await reader.ReadAsync(new SeriesQuery(id, metric, new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero), BenchStore.End)
                {
                    Resolution = SeriesResolution.Hour,
                }, CancellationToken.None)).Sum(d => d.Buckets.Count);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parts: alarm history {alarmRows:N0} rows in {alarmMs:0} ms; throughput series {buckets:N0} hour buckets in {parts.Elapsed.TotalMilliseconds:0} ms (one after the other)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"programme, {schools} schools x 12 months ({report!.Rows.Count} rows, availability {report.AvailabilityPercent:0.000} %): first {programme[0]:0} ms, then median {BenchStore.Median(programme.Skip(1))} ms (min {programme.Skip(1).Min():0}, max {programme.Skip(1).Max():0}), CPU median {BenchStore.Median(programmeCpu.Skip(1))} ms, load {ProcessCpu.LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one school's month: first {month[0]:0.0} ms, then median {BenchStore.Median(month.Skip(12))} ms (max {month.Skip(12).Max():0.0}) over {month.Count - 12} reports"));
        Console.WriteLine($"(school {school}, store in {bench.Folder})");
        return 0;
    }
}
