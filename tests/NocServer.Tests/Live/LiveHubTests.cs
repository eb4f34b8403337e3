using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Network.Noc.Alarms;
using Network.Contracts;
using Network.Noc.Live;
using Network.Noc.Reports;
using Network.Noc.Status;
using Network.Noc.Tests.Api;

namespace Network.Noc.Tests.Live;

/// <summary>
/// The live hub: a snapshot first, then changes; a status change reaches a dashboard within a second of the ingest;
/// acknowledgement; users online per hotspot.
/// </summary>
public class LiveHubTests
{
    [Fact]
    public async Task A_status_change_reaches_a_connected_dashboard_within_a_second_of_the_ingest()
    {
        await using NocHost noc = await NocHost.StartAsync();
        await using HubConnection dashboard = RolesTests.Connect(noc, await noc.CookieAsync("engineer"));
        var changes = Channel.CreateUnbounded<(SiteStatusView Site, long Version)>();
        dashboard.On<SiteStatusView, long>("SiteChanged", (site, version) => changes.Writer.TryWrite((site, version)));
        await dashboard.StartAsync();
        BoardSnapshot snapshot = await dashboard.InvokeAsync<BoardSnapshot>("GetSnapshot");
        Assert.Equal(HealthState.Unknown, snapshot.Sites.Single(s => s.Id == NocHost.Site).State);

        var clock = Stopwatch.StartNew();
        using HttpResponseMessage up = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 1)));
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        (SiteStatusView site, long version) = await NextAsync(changes, s => s.Id == NocHost.Site && s.State == HealthState.Up);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(version > snapshot.Version);

        using HttpResponseMessage down = await noc.IngestAsync(NocHost.Batch(2, NocHost.Reading("device_reachable", 0)));
        (site, _) = await NextAsync(changes, s => s.Id == NocHost.Site && s.State == HealthState.Down);
        Assert.Equal(1, site.OpenAlarms);
        Assert.Contains("does not answer SNMP", site.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_dashboard_gets_the_state_in_its_snapshot_and_acknowledging_reaches_every_dashboard()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpResponseMessage down = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 0)));
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);

        await using HubConnection watcher = RolesTests.Connect(noc, await noc.CookieAsync("planner"));
        var alarms = Channel.CreateUnbounded<AlarmView>();
        watcher.On<AlarmView>("AlarmChanged", a => alarms.Writer.TryWrite(a));
        await watcher.StartAsync();
        BoardSnapshot snapshot = await watcher.InvokeAsync<BoardSnapshot>("GetSnapshot");
        SiteStatusView site = snapshot.Sites[0];
        Assert.Equal(NocHost.Site, site.Id); // worst first
        Assert.Equal(HealthState.Down, site.State);
        Assert.Equal(1, snapshot.Counts[HealthState.Down]);
        AlarmView alarm = Assert.Single(snapshot.ActiveAlarms);

        using HttpClient engineer = await noc.SignedInAsync("engineer");
        using HttpResponseMessage ack = await engineer.PostAsJsonAsync(new Uri("/api/v1/alarms/acknowledge", UriKind.Relative),
            new { ids = new[] { alarm.Id }, note = "fibre cut, contractor on site" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        AlarmView changed = await NextAsync(alarms, a => a.Id == alarm.Id);
        Assert.Equal("acknowledged", changed.State);
        Assert.Equal("engineer", changed.AcknowledgedBy);
        Assert.Equal("fibre cut, contractor on site", changed.Note);
    }

    [Fact]
    public async Task A_watched_site_gets_its_chart_points_and_an_unwatched_one_does_not()
    {
        await using NocHost noc = await NocHost.StartAsync();
        await using HubConnection dashboard = RolesTests.Connect(noc, await noc.CookieAsync("engineer"));
        var points = Channel.CreateUnbounded<(string Site, IReadOnlyList<LivePoint> Points)>();
        dashboard.On<string, IReadOnlyList<LivePoint>>("SitePoints", (site, list) => points.Writer.TryWrite((site, list)));
        await dashboard.StartAsync();
        Assert.True(await dashboard.InvokeAsync<bool>("WatchSite", NocHost.Site));
        Assert.False(await dashboard.InvokeAsync<bool>("WatchSite", "no-such-site"));

        var wan = new Dictionary<string, string> { ["if"] = "ether1", ["role"] = "wan" };
        using HttpResponseMessage response = await noc.IngestAsync(NocHost.Batch(1,
            NocHost.Reading("if_in_bps", 5e6, labels: wan),
            NocHost.Reading("if_in_bps", 7e6, site: "hs-flageyplein", labels: wan),
            NocHost.Reading("memory_used_percent", 40)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        (string site, IReadOnlyList<LivePoint> list) = await NextAsync(points, _ => true);
        Assert.Equal(NocHost.Site, site);
        LivePoint point = Assert.Single(list);
        Assert.Equal(("if_in_bps", 5e6), (point.Metric, point.V));
    }

    [Fact]
    public async Task A_newer_users_online_figure_reaches_a_connected_dashboard_an_older_one_does_not_and_a_late_dashboard_has_it_in_its_snapshot()
    {
        await using NocHost noc = await NocHost.StartAsync();
        await using HubConnection dashboard = RolesTests.Connect(noc, await noc.CookieAsync("engineer"));
        var figures = Channel.CreateUnbounded<UsersOnlineView>();
        dashboard.On<UsersOnlineView>("UsersOnlineChanged", f => figures.Writer.TryWrite(f));
        await dashboard.StartAsync();
        BoardSnapshot first = await dashboard.InvokeAsync<BoardSnapshot>("GetSnapshot");
        DateTimeOffset at = DateTimeOffset.UtcNow.AddMinutes(-1);

        using HttpResponseMessage seven = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading(MetricNames.UsersOnline, 7, device: DeviceNames.Hotspot, at: at)));
        UsersOnlineView pushed = await NextAsync(figures, _ => true);
        using HttpResponseMessage older = await noc.IngestAsync(NocHost.Batch(2, NocHost.Reading(MetricNames.UsersOnline, 3, device: DeviceNames.Hotspot, at: at.AddMinutes(-5))));
        using HttpResponseMessage nine = await noc.IngestAsync(NocHost.Batch(3, NocHost.Reading(MetricNames.UsersOnline, 9, device: DeviceNames.Hotspot, at: at.AddSeconds(30))));
        UsersOnlineView next = await NextAsync(figures, _ => true); // the very next push: the older figure was never sent

        await using HubConnection late = RolesTests.Connect(noc, await noc.CookieAsync("planner"));
        await late.StartAsync();
        BoardSnapshot snapshot = await late.InvokeAsync<BoardSnapshot>("GetSnapshot");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (seven.StatusCode, older.StatusCode, nine.StatusCode));
        Assert.Empty(first.Online);
        Assert.Equal((NocHost.Site, 7L, at.ToUnixTimeMilliseconds()), (pushed.Site, pushed.Users, pushed.At.ToUnixTimeMilliseconds()));
        Assert.Equal((NocHost.Site, 9L), (next.Site, next.Users));
        UsersOnlineView kept = Assert.Single(snapshot.Online);
        Assert.Equal((NocHost.Site, 9L, at.AddSeconds(30).ToUnixTimeMilliseconds()), (kept.Site, kept.Users, kept.At.ToUnixTimeMilliseconds()));
    }

    private static async Task<T> NextAsync<T>(Channel<T> channel, Func<T, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            T item = await channel.Reader.ReadAsync(timeout.Token);
            if (wanted(item))
            {
                return item;
            }
        }
    }

    private static Task<(SiteStatusView, long)> NextAsync(Channel<(SiteStatusView Site, long Version)> channel, Func<SiteStatusView, bool> wanted) =>
        NextAsync(channel, item => wanted(item.Site));
}
