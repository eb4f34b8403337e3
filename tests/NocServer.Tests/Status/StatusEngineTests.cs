using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.Noc.Inventory;
using Network.Noc.Alarms;
using Network.Noc.Status;
using Network.Noc.TimeSeries;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Status;

/// <summary>The status engine on a fake clock: hysteresis, flapping, parent-down, staleness, speed drops, committed rates, replays.</summary>
public sealed class StatusEngineTests : IDisposable
{
    private const string School = "fts-jette";
    private const string Hotspot = "hs-flageyplein";

    private readonly TempFolder _folder = new("status");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 17, 8, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(100_000)));
    private readonly ServiceDatabase _database;
    private readonly InventoryService _inventory;
    private readonly StatusOptions _options = new() { RaiseAfter = 2, ClearAfter = 2, StaleAfter = TimeSpan.FromMinutes(3), FlapTransitions = 4 };
    private readonly StatusEngine _engine;

    public StatusEngineTests()
    {
        _database = new ServiceDatabase($"Data Source={_folder.PathOf("noc.db")}", [InventoryService.Feature.Migrations]);
        _inventory = new InventoryService(_database, _time);
        _inventory.SeedAsync(NocHost.SeedFile, CancellationToken.None).GetAwaiter().GetResult();
        _engine = new StatusEngine(_inventory, Options.Create(_options), _time);
    }

    [Fact]
    public void The_first_reading_decides_at_once_then_one_bad_reading_changes_nothing_and_two_do()
    {
        Assert.Equal(HealthState.Up, Single(Observe(Hotspot, ("device_reachable", 1))).To);

        Assert.Empty(Observe(Hotspot, ("device_reachable", 0)).Changes);
        StatusResult second = Observe(Hotspot, ("device_reachable", 0));

        Assert.Contains(second.Changes, c => c.Device == Hotspot && c.To == HealthState.Down);
        Assert.Contains(second.Changes, c => c.Device is null && c.Site == Hotspot && c.To == HealthState.Down);
        AlarmSignal alarm = Assert.Single(second.Alarms, a => a.Open);
        Assert.Equal((AlarmKinds.Down, AlarmKinds.Critical), (alarm.Kind, alarm.Severity));

        Assert.Empty(Observe(Hotspot, ("device_reachable", 1)).Changes);
        StatusResult recovered = Observe(Hotspot, ("device_reachable", 1));
        Assert.Contains(recovered.Changes, c => c.Device == Hotspot && c.To == HealthState.Up);
        Assert.Contains(recovered.Alarms, a => !a.Open && a.Kind == AlarmKinds.Down);
    }

    [Fact]
    public void A_reading_that_changes_no_state_still_moves_the_devices_last_seen_on_and_names_the_site_for_the_dashboards()
    {
        Observe(Hotspot, ("device_reachable", 1));
        DateTimeOffset? first = Device(Hotspot).LastSeen;
        long version = _engine.Version;

        StatusResult again = Observe(Hotspot, ("device_reachable", 1));

        Assert.Empty(again.Changes);
        Assert.Equal([Hotspot], again.Seen);
        Assert.True(Device(Hotspot).LastSeen > first, $"last seen {Device(Hotspot).LastSeen} after {first}");
        Assert.True(_engine.Version > version, "the version did not rise, so a dashboard drops the change");
    }

    [Fact]
    public void A_wan_interface_down_or_every_probe_failing_is_down_and_loss_or_latency_is_degraded()
    {
        var wan = new Dictionary<string, string> { ["if"] = "ether1", ["role"] = "wan" };
        Observe(Hotspot, ("device_reachable", 1));
        Twice(() => Observe(Hotspot, [Point(Hotspot, Hotspot, "if_up", 0, wan)]));
        Assert.Equal(HealthState.Down, Device(Hotspot).State);
        Assert.Contains("ether1", Device(Hotspot).Reason, StringComparison.Ordinal);

        var target = new Dictionary<string, string> { ["target"] = "tcp:192.0.2.1:443", ["method"] = "tcp" };
        Twice(() => Observe(Hotspot, [Point(Hotspot, Hotspot, "if_up", 1, wan), Point(Hotspot, DeviceNames.UplinkProbe, "probe_up", 1, target),
            Point(Hotspot, DeviceNames.UplinkProbe, "probe_loss_ratio", 0.3, target)]));
        Assert.Equal(HealthState.Degraded, Device(Hotspot).State);
        Assert.Contains("loss", Device(Hotspot).Reason, StringComparison.Ordinal);

        Twice(() => Observe(Hotspot, [Point(Hotspot, DeviceNames.UplinkProbe, "probe_up", 0, target)]));
        Assert.Equal(HealthState.Down, Device(Hotspot).State);
        Assert.Equal("every uplink probe fails", Device(Hotspot).Reason);
    }

    [Fact]
    public void A_school_link_below_its_committed_rate_is_degraded_with_a_major_alarm()
    {
        var fibre = new Dictionary<string, string> { ["if"] = "fibre0", ["role"] = "wan" };
        Observe(School, [Point(School, School, "device_reachable", 1), Point(School, School, "if_speed_mbps", 1000, fibre)]);
        StatusResult first = Observe(School, [Point(School, School, "if_speed_mbps", 10, fibre)]);
        StatusResult second = Observe(School, [Point(School, School, "if_speed_mbps", 10, fibre)]);

        Assert.Contains(first.Alarms, a => a.Open && a.Kind == AlarmKinds.SpeedDrop && a.Message.Contains("1000 to 10", StringComparison.Ordinal));
        Assert.Equal(HealthState.Degraded, Device(School).State);
        Assert.Contains(second.Alarms, a => a.Open && a.Kind == AlarmKinds.Degraded && a.Severity == AlarmKinds.Major);
        Assert.Contains("committed 100", Device(School).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_going_up_and_down_raises_one_flapping_alarm_instead_of_an_alarm_each_time()
    {
        Observe(Hotspot, ("device_reachable", 1));
        var opened = new List<AlarmSignal>();
        for (int i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            opened.AddRange(Twice(() => Observe(Hotspot, ("device_reachable", i % 2 == 0 ? 0 : 1))).SelectMany(r => r.Alarms).Where(a => a.Open));
        }

        Assert.Single(opened, a => a.Kind == AlarmKinds.Flapping);
        Assert.True(opened.Count(a => a.Kind == AlarmKinds.Down && a.SuppressedBy is null) < 3, "down alarms stop being notified once flapping");
        Assert.Contains(opened, a => a.Kind == AlarmKinds.Down && a.SuppressedBy == AlarmKinds.FlappingPrefix + Hotspot); // kept, marked, for the SLA
        Assert.True(Device(Hotspot).Flapping);

        _time.Advance(_options.FlapWindow + TimeSpan.FromSeconds(1));
        Observe(Hotspot, ("device_reachable", 1));
        StatusResult quiet = _engine.Tick();
        Assert.Contains(quiet.Alarms, a => !a.Open && a.Kind == AlarmKinds.Flapping);
        Assert.False(Device(Hotspot).Flapping);
    }

    [Fact]
    public async Task Devices_behind_a_down_uplink_are_down_and_their_alarms_are_suppressed_by_it()
    {
        await _inventory.EnsureDeviceAsync(Hotspot, "hs-flageyplein-ap2", CancellationToken.None);
        Observe(Hotspot, [Point(Hotspot, Hotspot, "device_reachable", 1), Point(Hotspot, "hs-flageyplein-ap2", "device_reachable", 1)]);

        StatusResult result = Twice(() => Observe(Hotspot, [Point(Hotspot, Hotspot, "device_reachable", 0), Point(Hotspot, "hs-flageyplein-ap2", "device_reachable", 0)])).Last();

        Assert.Contains(result.Alarms, a => a.Open && a.Device == Hotspot && a.SuppressedBy is null);
        Assert.Contains(result.Alarms, a => a.Open && a.Device == "hs-flageyplein-ap2" && a.SuppressedBy == Hotspot);
        DeviceStatusView ap = Site(Hotspot).Devices.Single(d => d.Name == "hs-flageyplein-ap2");
        Assert.True(ap.Suppressed);
        Assert.Contains("behind hs-flageyplein", ap.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_data_for_the_stale_time_makes_a_device_unknown_with_an_alarm_and_data_clears_it()
    {
        Observe(Hotspot, ("device_reachable", 1));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(_engine.Tick().Changes);

        _time.Advance(TimeSpan.FromMinutes(1.5));
        StatusResult stale = _engine.Tick();
        Assert.Contains(stale.Changes, c => c.Device == Hotspot && c.To == HealthState.Unknown);
        Assert.Contains(stale.Alarms, a => a.Open && a.Kind == AlarmKinds.NoData && a.Severity == AlarmKinds.Major);

        StatusResult back = Observe(Hotspot, ("device_reachable", 1));
        Assert.Contains(back.Changes, c => c.Device == Hotspot && c.To == HealthState.Up);
        Assert.Contains(back.Alarms, a => !a.Open && a.Kind == AlarmKinds.NoData);
    }

    [Fact]
    public void A_replayed_backlog_older_than_the_last_reading_goes_to_the_store_but_not_to_the_status()
    {
        Observe(Hotspot, ("device_reachable", 1));
        DateTimeOffset old = _time.GetUtcNow().AddHours(-1);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(StatusResult.None, _engine.Observe([Point(Hotspot, Hotspot, "device_reachable", 0, at: old.AddSeconds(i))], []));
        }

        Assert.Equal(HealthState.Up, Device(Hotspot).State);
    }

    [Fact]
    public void Planned_sites_and_sites_not_in_the_inventory_raise_nothing()
    {
        Assert.Equal(StatusResult.None, Observe("hs-fontainasplein", ("device_reachable", 0)));
        Assert.Equal(StatusResult.None, Observe("hs-nowhere", ("device_reachable", 0)));
        Assert.Equal(HealthState.Unknown, Site("hs-fontainasplein").State);
    }

    [Fact]
    public void Sites_are_listed_worst_first()
    {
        Observe(Hotspot, ("device_reachable", 1));
        Observe(School, ("device_reachable", 1));
        Twice(() => Observe(School, ("device_reachable", 0)));

        IReadOnlyList<SiteStatusView> sites = _engine.Sites(_ => 0);

        Assert.Equal(School, sites[0].Id);
        Assert.Equal(HealthState.Up, sites[^1].State);
        Assert.Equal(_inventory.Sites.Count, sites.Count);
    }

    public void Dispose()
    {
        _database.Dispose();
        _folder.Dispose();
    }

    private StatusResult Observe(string site, params (string Metric, double Value)[] readings) =>
        Observe(site, [.. readings.Select(r => Point(site, site, r.Metric, r.Value))]);

    private StatusResult Observe(string site, SeriesPoint[] points)
    {
        _ = site;
        _time.Advance(TimeSpan.FromSeconds(1));
        return _engine.Observe(points, Array.Empty<DeviceEvent>());
    }

    private static List<StatusResult> Twice(Func<StatusResult> step) => [step(), step()];

    private SeriesPoint Point(string site, string device, string metric, double value, IReadOnlyDictionary<string, string>? labels = null, DateTimeOffset? at = null) =>
        new(SeriesKey.Create(site, device, metric, labels), (at ?? _time.GetUtcNow()).ToUnixTimeMilliseconds(), value);

    private static StatusChange Single(StatusResult result) => Assert.Single(result.Changes, c => c.Device is not null);

    private SiteStatusView Site(string id) => _engine.Site(id, 0)!;

    private DeviceStatusView Device(string site) => Site(site).Devices.Single(d => d.Name == site);
}
