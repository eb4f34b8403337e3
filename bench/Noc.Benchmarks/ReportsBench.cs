using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Inventory;
using Network.Noc.Reports;
using Network.Noc.Sla;
using Network.Noc.TimeSeries;
using Network.Noc.Users;
using Network.ServiceDefaults;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The yearly report's data on a NOC store holding two years: the schools as <see cref="SlaBench"/> fills them, and per
/// hotspot 24 months of the portal's figures (totals, peak, a sketch of 50 to 2,000 users) with a down incident a week and
/// a no-data period a month in the alarms. Measures <see cref="ReportsExtensions.ReportAsync"/> for 2026 (hotspots and the
/// SLA programme), several runs (the first apart: cold caches).
/// </summary>
internal static class ReportsBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int hotspots = (int)options.Long("--hotspots", 200);
        int schools = (int)options.Long("--schools", 150);
        int runs = (int)options.Long("--runs", 5);
        var end = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset start = end.AddYears(-2);
        string folder = options.Value("--folder") ?? Path.Combine(Path.GetTempPath(), $"reports-bench-{Environment.ProcessId}");
        bool reuse = Directory.Exists(folder) && options.Flag("--reuse");
        Directory.CreateDirectory(folder);
        var clock = new SlaBench.BenchClock { Now = start };
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
        builder.AddReports();
        await using WebApplication app = builder.Build();
        await app.Services.GetRequiredService<Network.Storage.ServiceDatabase>().MigrateAsync();
        InventoryService inventory = app.Services.GetRequiredService<InventoryService>();
        EmbeddedTimeSeriesStore store = app.Services.GetRequiredService<EmbeddedTimeSeriesStore>();
        AlarmService alarms = app.Services.GetRequiredService<AlarmService>();
        UsageStore usage = app.Services.GetRequiredService<UsageStore>();
        await inventory.LoadAsync(CancellationToken.None);

        List<string> schoolIds = [.. Enumerable.Range(1, schools).Select(i => string.Create(CultureInfo.InvariantCulture, $"fts-bench-{i:000}"))];
        List<string> hotspotIds = [.. Enumerable.Range(1, hotspots).Select(i => string.Create(CultureInfo.InvariantCulture, $"hs-bench-{i:000}"))];
        if (!reuse)
        {
            var fill = Stopwatch.StartNew();
            foreach ((string id, int i) in schoolIds.Select((id, i) => (id, i)))
            {
                await inventory.SaveAsync(new Site(id, $"School {i + 1}", SiteKinds.School, Communes.All[i % Communes.All.Count], "", 50.85, 4.35, Lifecycles.Active,
                    null, new DateOnly(2024, 9, 1), null, 100, [new Device(id, id, DeviceRoles.Uplink, null)]), CancellationToken.None);
            }

            foreach ((string id, int i) in hotspotIds.Select((id, i) => (id, i)))
            {
                await inventory.SaveAsync(new Site(id, $"Hotspot {i + 1}", i % 2 == 0 ? SiteKinds.HotspotOutdoor : SiteKinds.HotspotIndoor,
                    Communes.All[i % Communes.All.Count], "", 50.85, 4.35, Lifecycles.Active, null, new DateOnly(2024, 6, 1), null, null,
                    [new Device(id, id, DeviceRoles.Uplink, null)]), CancellationToken.None);
            }

            clock.Now = end;
            long points = await SlaBench.WriteSeriesAsync(store, schoolIds, start, end);
            int incidents = await SlaBench.WriteAlarmsAsync(alarms, clock, [.. schoolIds, .. hotspotIds], start, end);
            for (DateTimeOffset month = start; month < end; month = month.AddMonths(1))
            {
                string key = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                var totals = new List<MonthTotals>();
                var online = new List<(string, string, long, long)>();
                var sketches = new List<(string, string, UserCountSketch)>();
                foreach ((string id, int i) in hotspotIds.Select((id, i) => (id, i)))
                {
                    uint noise = SlaBench.Hash((uint)i, (uint)month.ToUnixTimeSeconds());
                    int users = 50 + (int)(noise % 1950);
                    var sketch = new UserCountSketch();
                    for (int u = 0; u < users; u++)
                    {
                        sketch.Add(string.Create(CultureInfo.InvariantCulture, $"user-{(i * 7 + u) % 20_000}"));
                    }

                    long at = month.AddDays(20).ToUnixTimeMilliseconds();
                    totals.Add(new MonthTotals(id, key, at, users * 3, users * 2, users / 10, users * 250_000_000L));
                    online.Add((id, key, at, users / 20 + 1));
                    sketches.Add((id, key, sketch));
                }

                await usage.RecordAsync(totals, online, sketches, CancellationToken.None);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {schools} schools ({points:N0} points), {hotspots} hotspots x 24 months, {incidents:N0} alarms, filled in {fill.Elapsed.TotalSeconds:0.0} s"));
        }

        clock.Now = end;
        UsageReports hotspotReports = app.Services.GetRequiredService<UsageReports>();
        SlaReports schoolReports = app.Services.GetRequiredService<SlaReports>();
        var total = new List<double>();
        var cpu = new List<double>();
        var hotspotsOnly = new List<double>();
        PeriodReport? report = null;
        for (int run = 0; run <= runs; run++)
        {
            double before = ProcessCpu.Seconds(Environment.ProcessId);
            var watch = Stopwatch.StartNew();
            report = await ReportsExtensions.ReportAsync("yearly", new SlaMonth(2026, 1), new SlaMonth(2026, 12), hotspotReports, schoolReports, CancellationToken.None);
            total.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add((ProcessCpu.Seconds(Environment.ProcessId) - before) * 1000);
            watch.Restart();
            await hotspotReports.ReportAsync(new SlaMonth(2026, 1), new SlaMonth(2026, 12), CancellationToken.None);
            hotspotsOnly.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"yearly report 2026, {hotspots} hotspots and {schools} schools (network {report!.Hotspots.Network.Users:N0} users, availability {report.Hotspots.Network.AvailabilityPercent:0.000} %): first {total[0]:0} ms, then median {SlaBench.Median(total.Skip(1))} ms (max {total.Skip(1).Max():0}), CPU median {SlaBench.Median(cpu.Skip(1))} ms; the hotspots' part alone median {SlaBench.Median(hotspotsOnly.Skip(1))} ms; load {ProcessCpu.LoadAverage()}"));
        if (!options.Flag("--keep"))
        {
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }
}
