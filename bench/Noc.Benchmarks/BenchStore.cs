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
/// What the store benchmarks (<c>sla</c>, <c>reports</c>) share: the NOC's features on a store folder kept two years
/// (<c>--folder DIR</c>, <c>--reuse</c> to measure a filled one again, <c>--keep</c> to leave it for a NOC to run on), a
/// clock the fill moves, the schools of the SLA programme with their series and alarms, and the figures' medians.
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    /// <summary>The two years the store holds: 2025 and 2026.</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset End = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly bool _keep;

    private BenchStore(WebApplication app, BenchClock clock, string folder, bool reused, bool keep)
    {
        App = app;
        Clock = clock;
        Folder = folder;
        Reused = reused;
        _keep = keep;
    }

    public WebApplication App { get; }

    public BenchClock Clock { get; }

    public string Folder { get; }

    /// <summary>Whether the folder was filled by an earlier run (<c>--reuse</c>): nothing is to be written.</summary>
    public bool Reused { get; }

    public InventoryService Inventory => App.Services.GetRequiredService<InventoryService>();

    /// <summary>
    /// The NOC's users, inventory, time series (kept 800 days), alarms and SLA on the store in <c>--folder</c> (a
    /// temporary one named after <paramref name="name"/> without), and what <paramref name="features"/> adds; migrated, the
    /// inventory loaded, the clock at <see cref="Start"/>.
    /// </summary>
    public static async Task<BenchStore> OpenAsync(BenchOptions options, string name, Action<WebApplicationBuilder>? features = null)
    {
        string folder = options.Value("--folder") ?? Path.Combine(Path.GetTempPath(), $"{name}-{Environment.ProcessId}");
        bool reuse = Directory.Exists(folder) && options.Flag("--reuse");
        Directory.CreateDirectory(folder);
        var clock = new BenchClock { Now = Start };
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
        features?.Invoke(builder);
        WebApplication app = builder.Build();
        await app.Services.GetRequiredService<Network.Storage.ServiceDatabase>().MigrateAsync();
        await app.Services.GetRequiredService<InventoryService>().LoadAsync(CancellationToken.None);
        return new BenchStore(app, clock, folder, reuse, options.Flag("--keep"));
    }

    /// <summary>Site ids <c>PREFIX-001</c> and on.</summary>
    public static List<string> Ids(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:000}"))];

    /// <summary>The schools, active since September 2024 with a 100 Mbit/s link, their router the uplink.</summary>
    public async Task SaveSchoolsAsync(List<string> ids)
    {
        foreach ((string id, int i) in ids.Select((id, i) => (id, i)))
        {
            await Inventory.SaveAsync(new Site(id, $"School {i + 1}", SiteKinds.School, Communes.All[i % Communes.All.Count], "", 50.85, 4.35, Lifecycles.Active,
                null, new DateOnly(2024, 9, 1), null, 100, [new Device(id, id, DeviceRoles.Uplink, null)]), CancellationToken.None);
        }
    }

    /// <summary>
    /// Per school an hourly reading of the uplink probes (latency, loss), the router's reachability and traffic, and a
    /// nightly throughput test both ways, from <see cref="Start"/> to <see cref="End"/> (the clock must be at the end: the
    /// store takes points up to its retention back from now).
    /// </summary>
    public async Task<long> WriteSeriesAsync(List<string> ids)
    {
        EmbeddedTimeSeriesStore store = App.Services.GetRequiredService<EmbeddedTimeSeriesStore>();
        long written = 0;
        var batch = new List<SeriesPoint>(200_000);
        for (long hour = Start.ToUnixTimeMilliseconds(); hour < End.ToUnixTimeMilliseconds(); hour += 3_600_000)
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

    /// <summary>A down incident a week at each site (20 to 110 minutes, on a day and hour of its own) and a no-data period a month.</summary>
    public async Task<int> WriteAlarmsAsync(List<string> ids)
    {
        AlarmService alarms = App.Services.GetRequiredService<AlarmService>();
        var events = new List<(DateTimeOffset At, AlarmSignal Signal)>();
        for (DateTimeOffset week = Start; week < End; week = week.AddDays(7))
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
            Clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(step.Key * 300_000);
            await alarms.ApplyAsync([.. step.Select(e => e.Signal)], CancellationToken.None);
        }

        return events.Count / 2;
    }

    /// <summary>The app stopped, and the folder deleted unless <c>--keep</c>.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (!_keep)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    public static string Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2].ToString("0.0", CultureInfo.InvariantCulture);
    }

    public static uint Hash(uint a, uint b)
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
