using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR;
using Network.Noc.Alarms;
using Network.Noc.Reports;
using Network.Noc.Status;

namespace Network.Noc.Live;

/// <summary>
/// Pushes changes to every open dashboard without ever making ingest wait. Each connection has an outbox that
/// coalesces: the newest view per site, the newest state per alarm, the newest users online per hotspot, and a bounded tail of chart points per watched
/// site. One send loop per connection drains its outbox; while a slow client's loop is still sending, new changes
/// merge into its outbox instead of queueing behind it, so a slow client costs memory bounded by the number of sites,
/// alarms and points, never time for the others. It observes the status (sites), the alarms and the hotspots' users
/// online (<see cref="UsageRecorder"/>); chart points come from
/// <see cref="LiveChartPoints"/>.
/// </summary>
public sealed partial class LiveBroadcaster : ISiteObserver, IAlarmObserver, IUsersOnlineObserver
{
    /// <summary>Most chart points waiting per connection; older ones go first.</summary>
    public const int MaxPendingPoints = 5000;

    /// <summary>Most sites one connection watches for chart points.</summary>
    public const int MaxWatchedSites = 20;

    private static readonly Gauge<long> s_connections = NocMetrics.Gauge(NocMetricNames.HubConnections, "Dashboards connected to the live hub.");
    private static readonly Counter<long> s_pushes = NocMetrics.Counter(NocMetricNames.HubMessages, "Messages pushed to dashboards, by kind.");
    private static readonly Counter<long> s_coalesced = NocMetrics.Counter(NocMetricNames.HubCoalesced, "Changes merged into a busy connection's outbox instead of sent one by one.");

    private readonly ConcurrentDictionary<string, Outbox> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _watchedSites = new(StringComparer.Ordinal);
    private readonly IHubContext<LiveHub, ILiveClient> _hub;
    private readonly ILogger<LiveBroadcaster> _logger;

    public LiveBroadcaster(IHubContext<LiveHub, ILiveClient> hub, ILogger<LiveBroadcaster> logger)
    {
        _hub = hub;
        _logger = logger;
        s_connections.Record(0);
    }

    /// <summary>Dashboards connected.</summary>
    public int Connections => _connections.Count;

    /// <summary>Whether any dashboard watches this site's charts (chart points are only built for those).</summary>
    public bool IsWatched(string site) => _watchedSites.ContainsKey(site);

    /// <summary>Whether any dashboard watches any site's charts.</summary>
    public bool AnyWatched => !_watchedSites.IsEmpty;

    public void Connect(string connectionId)
    {
        _connections[connectionId] = new Outbox();
        s_connections.Record(_connections.Count);
    }

    public void Disconnect(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out Outbox? outbox))
        {
            lock (outbox)
            {
                foreach (string site in outbox.Watched)
                {
                    Unwatch(site);
                }

                outbox.Watched.Clear();
            }
        }

        s_connections.Record(_connections.Count);
    }

    /// <summary>Starts sending a site's chart points to a connection; false when it watches too many already.</summary>
    public bool Watch(string connectionId, string site)
    {
        if (!_connections.TryGetValue(connectionId, out Outbox? outbox))
        {
            return false;
        }

        lock (outbox)
        {
            if (outbox.Watched.Contains(site))
            {
                return true;
            }

            if (outbox.Watched.Count >= MaxWatchedSites)
            {
                return false;
            }

            outbox.Watched.Add(site);
        }

        _watchedSites.AddOrUpdate(site, 1, (_, n) => n + 1);
        return true;
    }

    public void Unwatch(string connectionId, string site)
    {
        if (_connections.TryGetValue(connectionId, out Outbox? outbox))
        {
            lock (outbox)
            {
                if (!outbox.Watched.Remove(site))
                {
                    return;
                }
            }

            Unwatch(site);
        }
    }

    /// <summary>A site's new view, to every dashboard.</summary>
    public void SiteChanged(SiteStatusView site, long version)
    {
        ArgumentNullException.ThrowIfNull(site);
        foreach ((string id, Outbox outbox) in _connections)
        {
            lock (outbox)
            {
                if (outbox.Sites.ContainsKey(site.Id))
                {
                    s_coalesced.Add(1);
                }

                outbox.Sites[site.Id] = (site, version);
            }

            Kick(id, outbox);
        }
    }

    /// <summary>Alarms' new states, to every dashboard.</summary>
    public void AlarmsChanged(IReadOnlyList<AlarmView> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach ((string id, Outbox outbox) in _connections)
        {
            lock (outbox)
            {
                foreach (AlarmView alarm in changed)
                {
                    outbox.Alarms[alarm.Id] = alarm;
                }
            }

            Kick(id, outbox);
        }
    }

    /// <summary>Hotspots' newer users online, to every dashboard.</summary>
    public void UsersOnlineChanged(IReadOnlyList<UsersOnlineView> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach ((string id, Outbox outbox) in _connections)
        {
            lock (outbox)
            {
                foreach (UsersOnlineView online in changed)
                {
                    if (outbox.Online.TryGetValue(online.Site, out UsersOnlineView? waiting))
                    {
                        s_coalesced.Add(1);
                        if (waiting.At > online.At)
                        {
                            continue;
                        }
                    }

                    outbox.Online[online.Site] = online;
                }
            }

            Kick(id, outbox);
        }
    }

    /// <summary>Fresh chart points of a site, to the dashboards watching it.</summary>
    public void SitePoints(string site, IReadOnlyList<LivePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0 || !IsWatched(site))
        {
            return;
        }

        foreach ((string id, Outbox outbox) in _connections)
        {
            lock (outbox)
            {
                if (!outbox.Watched.Contains(site))
                {
                    continue;
                }

                if (!outbox.Points.TryGetValue(site, out List<LivePoint>? pending))
                {
                    outbox.Points[site] = pending = [];
                }

                pending.AddRange(points);
                if (pending.Count > MaxPendingPoints)
                {
                    pending.RemoveRange(0, pending.Count - MaxPendingPoints);
                }
            }

            Kick(id, outbox);
        }
    }

    private void Unwatch(string site)
    {
        if (_watchedSites.AddOrUpdate(site, 0, (_, n) => n - 1) <= 0)
        {
            _watchedSites.TryRemove(new KeyValuePair<string, int>(site, 0));
        }
    }

    private void Kick(string connectionId, Outbox outbox)
    {
        lock (outbox)
        {
            if (outbox.Sending)
            {
                return;
            }

            outbox.Sending = true;
        }

        _ = Task.Run(() => DrainAsync(connectionId, outbox));
    }

    private async Task DrainAsync(string connectionId, Outbox outbox)
    {
        ILiveClient client = _hub.Clients.Client(connectionId);
        while (true)
        {
            List<(SiteStatusView Site, long Version)> sites;
            List<AlarmView> alarms;
            List<UsersOnlineView> online;
            List<(string Site, List<LivePoint> Points)> points;
            lock (outbox)
            {
                if (outbox.Sites.Count == 0 && outbox.Alarms.Count == 0 && outbox.Online.Count == 0 && outbox.Points.Count == 0)
                {
                    outbox.Sending = false;
                    return;
                }

                sites = [.. outbox.Sites.Values.OrderBy(s => s.Version)];
                alarms = [.. outbox.Alarms.Values.OrderBy(a => a.Id)];
                online = [.. outbox.Online.Values.OrderBy(o => o.Site, StringComparer.Ordinal)];
                points = [.. outbox.Points.Select(p => (p.Key, p.Value))];
                outbox.Sites.Clear();
                outbox.Alarms.Clear();
                outbox.Online.Clear();
                outbox.Points.Clear();
            }

            try
            {
                foreach (AlarmView alarm in alarms)
                {
                    await client.AlarmChanged(alarm).ConfigureAwait(false);
                    s_pushes.Add(1, NocMetrics.Tag("kind", "alarm"));
                }

                foreach ((SiteStatusView site, long version) in sites)
                {
                    await client.SiteChanged(site, version).ConfigureAwait(false);
                    s_pushes.Add(1, NocMetrics.Tag("kind", "site"));
                }

                foreach (UsersOnlineView figure in online)
                {
                    await client.UsersOnlineChanged(figure).ConfigureAwait(false);
                    s_pushes.Add(1, NocMetrics.Tag("kind", "online"));
                }

                foreach ((string site, List<LivePoint> list) in points)
                {
                    await client.SitePoints(site, list).ConfigureAwait(false);
                    s_pushes.Add(1, NocMetrics.Tag("kind", "points"));
                }
            }
            catch (Exception ex)
            {
                // The connection is going away; its outbox goes with it.
                LogSendFailed(_logger, connectionId, ex.Message);
                lock (outbox)
                {
                    outbox.Sending = false;
                }

                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Push to dashboard {Connection} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string connection, string error);

    private sealed class Outbox
    {
        public bool Sending { get; set; }

        public Dictionary<string, (SiteStatusView Site, long Version)> Sites { get; } = new(StringComparer.Ordinal);

        public Dictionary<long, AlarmView> Alarms { get; } = [];

        public Dictionary<string, UsersOnlineView> Online { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<LivePoint>> Points { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Watched { get; } = new(StringComparer.Ordinal);
    }
}
