using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.Inventory;
using Network.Noc.Reports;
using Network.Noc.Sla;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The yearly report's data on a NOC store holding two years (<see cref="BenchStore"/>): the schools as the SLA benchmark
/// fills them, and per hotspot 24 months of the portal's figures (totals, peak, a sketch of 50 to 2,000 users) with a down
/// incident a week and a no-data period a month in the alarms. Measures <see cref="ReportsExtensions.ReportAsync"/> for 2026
/// (hotspots and the SLA programme), several runs (the first apart: cold caches). With <c>--keep</c> the store stays for
/// a NOC to serve the report pages from (<c>report-pages</c>).
/// </summary>
internal static class ReportsBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int hotspots = (int)options.Long("--hotspots", 200);
        int schools = (int)options.Long("--schools", 150);
        int runs = (int)options.Long("--runs", 5);
        await using BenchStore bench = await BenchStore.OpenAsync(options, "reports-bench", builder => builder.AddReports());
        List<string> schoolIds = BenchStore.Ids("fts-bench", schools);
        List<string> hotspotIds = BenchStore.Ids("hs-bench", hotspots);
        if (!bench.Reused)
        {
            var fill = Stopwatch.StartNew();
            await bench.SaveSchoolsAsync(schoolIds);
            foreach ((string id, int i) in hotspotIds.Select((id, i) => (id, i)))
            {
                await bench.Inventory.SaveAsync(new Site(id, $"Hotspot {i + 1}", i % 2 == 0 ? SiteKinds.HotspotOutdoor : SiteKinds.HotspotIndoor,
                    Communes.All[i % Communes.All.Count], "", 50.85, 4.35, Lifecycles.Active, null, new DateOnly(2024, 6, 1), null, null,
                    [new Device(id, id, DeviceRoles.Uplink, null)]), CancellationToken.None);
            }

            bench.Clock.Now = BenchStore.End;
            long points = await bench.WriteSeriesAsync(schoolIds);
            int incidents = await bench.WriteAlarmsAsync([.. schoolIds, .. hotspotIds]);
            await WriteUsageAsync(bench.App.Services.GetRequiredService<UsageStore>(), hotspotIds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {schools} schools ({points:N0} points), {hotspots} hotspots x 24 months, {incidents:N0} alarms, filled in {fill.Elapsed.TotalSeconds:0.0} s"));
        }

        bench.Clock.Now = BenchStore.End;
        UsageReports hotspotReports = bench.App.Services.GetRequiredService<UsageReports>();
        SlaReports schoolReports = bench.App.Services.GetRequiredService<SlaReports>();
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
            $"yearly report 2026, {hotspots} hotspots and {schools} schools (network {report!.Hotspots.Network.Users:N0} users, availability {report.Hotspots.Network.AvailabilityPercent:0.000} %): first {total[0]:0} ms, then median {BenchStore.Median(total.Skip(1))} ms (max {total.Skip(1).Max():0}), CPU median {BenchStore.Median(cpu.Skip(1))} ms; the hotspots' part alone median {BenchStore.Median(hotspotsOnly.Skip(1))} ms; load {ProcessCpu.LoadAverage()}"));
        Console.WriteLine($"(store in {bench.Folder})");
        return 0;
    }

    // 24 months of the portal's figures per hotspot: totals, the busy hour's users online, a sketch of 50 to 2,000 users.
    private static async Task WriteUsageAsync(UsageStore usage, List<string> hotspotIds)
    {
        for (DateTimeOffset month = BenchStore.Start; month < BenchStore.End; month = month.AddMonths(1))
        {
            string key = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var totals = new List<MonthTotals>();
            var online = new List<(string, string, long, long)>();
            var sketches = new List<(string, string, UserCountSketch)>();
            foreach ((string id, int i) in hotspotIds.Select((id, i) => (id, i)))
            {
                uint noise = BenchStore.Hash((uint)i, (uint)month.ToUnixTimeSeconds());
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
    }
}
