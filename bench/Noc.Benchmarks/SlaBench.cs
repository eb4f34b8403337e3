using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Inventory;
using Network.Noc.Sla;
using Network.Noc.TimeSeries;
using Network.Noc.Users;
using Network.ServiceDefaults;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The SLA reports on a NOC store holding two years of a programme: per school an hourly reading of the uplink probes
/// (latency, loss), the router's reachability and traffic, a nightly throughput test both ways, a down incident a week and
/// a no-data period a month in the alarms. Measures the programme over twelve months and one school's month, each run
/// several times (the first run apart: cold caches).
/// </summary>
internal static class SlaBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int schools = (int)options.Long("--schools", 140);
        int runs = (int)options.Long("--runs", 5);
        var end = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset start = end.AddYears(-2);
        string folder = options.Value("--folder") ?? Path.Combine(Path.GetTempPath(), $"sla-bench-{Environment.ProcessId}");
        bool reuse = Directory.Exists(folder) && options.Flag("--reuse");
        Directory.CreateDirectory(folder);
        var clock = new BenchClock { Now = start };
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Configuration["Storage:DataDirectory"] = folder;
        builder.Configuration["TimeSeries:RawRetention"] = "800.00:00:00";
        builder.Configuration["TimeSeries:MinuteRetention"] = "800.00:00:00";
        builder.Configuration["TimeSeries:HourRetention"] = "800.00:00:00";
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddServiceDefaults();
        builder.AddUsers();
        builder.AddInventory();
        builder.AddTimeSeries();
        builder.AddAlarms();
        builder.AddSla();
        await using WebApplication app = builder.Build();
        InventoryService inventory = app.Services.GetRequiredService<InventoryService>();
        EmbeddedTimeSeriesStore store = app.Services.GetRequiredService<EmbeddedTimeSeriesStore>();
        AlarmService alarms = app.Services.GetRequiredService<AlarmService>();
        SlaReports reports = app.Services.GetRequiredService<SlaReports>();
        await inventory.LoadAsync(CancellationToken.None);

        List<string> ids = [.. Enumerable.Range(1, schools).Select(i => string.Create(CultureInfo.InvariantCulture, $"fts-bench-{i:000}"))];
        if (!reuse)
        {
            var fill = Stopwatch.StartNew();
            foreach ((string id, int i) in ids.Select((id, i) => (id, i)))
            {
                await inventory.SaveAsync(new Site(id, $"School {i + 1}", SiteKinds.School, Communes.All[i % Communes.All.Count], "", 50.85, 4.35, Lifecycles.Active,
                    null, new DateOnly(2024, 9, 1), null, 100, [new Device(id, id, DeviceRoles.Uplink, null)]), CancellationToken.None);
            }

            clock.Now = end; // the store takes points up to its retention back from now
            long points = await WriteSeriesAsync(store, ids, start, end);
            int incidents = await WriteAlarmsAsync(alarms, clock, ids, start, end);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {schools} schools, {points:N0} points ({points / schools / 2:N0} a school a year), {incidents:N0} alarms, filled in {fill.Elapsed.TotalSeconds:0.0} s"));
        }

        clock.Now = end;
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
        var parts = Stopwatch.StartNew();
        int alarmRows = (await alarms.QueryAsync(new AlarmFilter("all", Since: new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero), Limit: int.MaxValue),
            CancellationToken.None)).Count;
        double alarmMs = parts.Elapsed.TotalMilliseconds;
        EmbeddedTimeSeriesStore reader = store;
        parts.Restart();
        long buckets = 0;
        foreach (string id in ids)
        {
            foreach (string metric in new[] { MetricNames.ThroughputDownloadMbps, MetricNames.ThroughputUploadMbps })
            {
                buckets += (await reader.ReadAsync(new SeriesQuery(id, metric, new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero), end) { Resolution = SeriesResolution.Hour },
                    CancellationToken.None)).Sum(d => d.Buckets.Count);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parts: alarm history {alarmRows:N0} rows in {alarmMs:0} ms; throughput series {buckets:N0} hour buckets in {parts.Elapsed.TotalMilliseconds:0} ms (one after the other)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"programme, {schools} schools x 12 months ({report!.Rows.Count} rows, availability {report.AvailabilityPercent:0.000} %): first {programme[0]:0} ms, then median {Median(programme.Skip(1))} ms (min {programme.Skip(1).Min():0}, max {programme.Skip(1).Max():0}), CPU median {Median(programmeCpu.Skip(1))} ms, load {ProcessCpu.LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one school's month: first {month[0]:0.0} ms, then median {Median(month.Skip(12)):0.0} ms (max {month.Skip(12).Max():0.0}) over {month.Count - 12} reports"));
        Console.WriteLine($"(school {school}, store in {folder})");
        if (!options.Flag("--keep"))
        {
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    internal static string Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2].ToString("0.0", CultureInfo.InvariantCulture);
    }

    internal static async Task<long> WriteSeriesAsync(EmbeddedTimeSeriesStore store, List<string> ids, DateTimeOffset start, DateTimeOffset end)
    {
        long written = 0;
        var batch = new List<SeriesPoint>(200_000);
        for (long hour = start.ToUnixTimeMilliseconds(); hour < end.ToUnixTimeMilliseconds(); hour += 3_600_000)
        {
            for (int s = 0; s < ids.Count; s++)
            {
                string id = ids[s];
                long at = hour + 60_000 + s * 100;
                uint noise = Hash((uint)s, (uint)(hour / 3_600_000));
                batch.Add(new SeriesPoint(SeriesKey.Create(id, DeviceNames.UplinkProbe, MetricNames.ProbeRttMs, null), at, 6 + s % 7 + noise % 40 / 4.0));
                batch.Add(new SeriesPoint(SeriesKey.Create(id, DeviceNames.UplinkProbe, MetricNames.ProbeLossRatio, null), at, noise % 50 == 0 ? 0.2 : 0));
                batch.Add(new SeriesPoint(SeriesKey.Create(id, id, MetricNames.DeviceReachable, null), at, 1));
                batch.Add(new SeriesPoint(SeriesKey.Create(id, id, MetricNames.IfInBps, null), at, noise % 100_000_000));
                if (hour / 3_600_000 % 24 == 1)
                {
                    batch.Add(new SeriesPoint(SeriesKey.Create(id, id, MetricNames.ThroughputDownloadMbps, null), at, 80 + noise % 30));
                    batch.Add(new SeriesPoint(SeriesKey.Create(id, id, MetricNames.ThroughputUploadMbps, null), at, 85 + noise % 25));
                }
            }

            if (batch.Count >= 190_000)
            {
                await store.WriteAsync(batch, CancellationToken.None);
                written += batch.Count;
                batch = new List<SeriesPoint>(200_000);
            }
        }

        await store.WriteAsync(batch, CancellationToken.None);
        written += batch.Count;
        await store.FlushAsync(CancellationToken.None);
        return written;
    }

    // A down incident a week at each school (20 to 110 minutes, on a day and hour of its own) and a no-data period a month.
    internal static async Task<int> WriteAlarmsAsync(AlarmService alarms, BenchClock clock, List<string> ids, DateTimeOffset start, DateTimeOffset end)
    {
        var events = new List<(DateTimeOffset At, AlarmSignal Signal)>();
        for (DateTimeOffset week = start; week < end; week = week.AddDays(7))
        {
            for (int s = 0; s < ids.Count; s++)
            {
                uint noise = Hash((uint)s, (uint)week.ToUnixTimeSeconds());
                DateTimeOffset down = week.AddHours(noise % (7 * 24)).AddMinutes(s % 7 * 5);
                events.Add((down, new AlarmSignal(true, ids[s], ids[s], AlarmKinds.Down, AlarmKinds.Critical, "uplink down", null)));
                events.Add((down.AddMinutes(20 + noise % 90), new AlarmSignal(false, ids[s], ids[s], AlarmKinds.Down, "", "", null)));
                if (week.Day <= 7)
                {
                    DateTimeOffset silent = down.AddDays(2);
                    events.Add((silent, new AlarmSignal(true, ids[s], ids[s], AlarmKinds.NoData, AlarmKinds.Major, "no data", null)));
                    events.Add((silent.AddMinutes(30 + noise % 120), new AlarmSignal(false, ids[s], ids[s], AlarmKinds.NoData, "", "", null)));
                }
            }
        }

        // Signals at the same five minutes go together, as the status engine sends them.
        foreach (IGrouping<long, (DateTimeOffset At, AlarmSignal Signal)> step in events.GroupBy(e => e.At.ToUnixTimeMilliseconds() / 300_000).OrderBy(g => g.Key))
        {
            clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(step.Key * 300_000);
            await alarms.ApplyAsync([.. step.Select(e => e.Signal)], CancellationToken.None);
        }

        return events.Count / 2;
    }

    internal static uint Hash(uint a, uint b)
    {
        uint h = a * 0x9E3779B1u ^ b * 0x85EBCA77u;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        return h ^ (h >> 12);
    }

    internal sealed class BenchClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
