using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Network.Noc.Alarms;
using Network.Noc.Inventory;
using Network.Noc.Reports;
using Network.Noc.Status;
using Network.Noc.Users;

namespace Network.Noc.Live;

/// <summary>
/// The dashboards' hub at <c>/hubs/live</c>. Anyone with a role may watch; acknowledging needs an engineer or an admin.
/// A client calls <see cref="GetSnapshot"/> once connected and applies the pushed changes newer than its version.
/// </summary>
[Authorize(Policy = NocPolicies.Viewer)]
public sealed class LiveHub(LiveBroadcaster broadcaster, StatusPublisher status, AlarmService alarms, InventoryService inventory,
    UsageRecorder usage) : Hub<ILiveClient>
{
    public override Task OnConnectedAsync()
    {
        broadcaster.Connect(Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        broadcaster.Disconnect(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Every site, counts by state, the active alarms, the version changes continue from, and the hotspots' users online.</summary>
    public BoardSnapshot GetSnapshot()
    {
        long version = status.Version;
        IReadOnlyList<SiteStatusView> sites = status.Sites();
        var counts = Enum.GetValues<HealthState>().ToDictionary(s => s, s => sites.Count(v => v.State == s && v.Lifecycle is Lifecycles.Active or Lifecycles.Installing));
        return new BoardSnapshot(version, counts, sites, alarms.Active(), usage.OnlineViews());
    }

    /// <summary>Starts the chart points of a site (at most <see cref="LiveBroadcaster.MaxWatchedSites"/> at once).</summary>
    public bool WatchSite(string siteId) => inventory.Find(siteId) is not null && broadcaster.Watch(Context.ConnectionId, siteId);

    /// <summary>Stops them.</summary>
    public void UnwatchSite(string siteId) => broadcaster.Unwatch(Context.ConnectionId, siteId);

    /// <summary>Acknowledges active alarms with an optional note, in the caller's name; returns how many.</summary>
    [Authorize(Policy = NocPolicies.Engineer)]
    public async Task<int> AcknowledgeAlarms(long[] ids, string? note)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Length > 10_000 || note?.Length > AlarmService.MaxNoteLength)
        {
            throw new HubException($"at most 10,000 alarms and a note of {AlarmService.MaxNoteLength} characters");
        }

        Acknowledgement done = await alarms.AcknowledgeAsync(ids, Context.User?.Identity?.Name ?? "?", note, Context.ConnectionAborted);
        return done.Acknowledged.Count;
    }
}
