using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Ingest;
using Network.Noc.Inventory;
using Network.Noc.Live;
using Network.Noc.TimeSeries;
using Prometheus;

namespace Network.Noc.Status;

/// <summary>
/// Where stored batches and clock ticks become what people see: the status engine judges, alarms open and clear
/// (and go to the webhook), and the live dashboards get the sites and alarms that changed and the chart points of
/// the sites they watch.
/// </summary>
public sealed class StatusPublisher(StatusEngine engine, AlarmService alarms, InventoryService inventory, LiveBroadcaster broadcaster, AlarmWebhook webhook)
    : IIngestObserver
{
    /// <summary>The metrics the site pages chart live.</summary>
    public static readonly IReadOnlySet<string> ChartMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "if_in_bps", "if_out_bps", "probe_rtt_ms", "wifi_clients",
    };

    private static readonly string[] s_stateNames = [.. Enum.GetValues<HealthState>().Select(s => s.ToString().ToLowerInvariant())];
    private static readonly Gauge s_siteStates = Metrics.CreateGauge("noc_sites", "Sites by state.", "state");
    private static readonly Gauge s_siteState = Metrics.CreateGauge("noc_site_state",
        "Each site's state: 0 unknown, 1 up, 2 degraded, 3 down (alert on == 3).", "site", "kind");

    /// <summary>
    /// Judges stored batches and publishes what changed. One pass over the points finds the devices the inventory does not
    /// know yet, the readings the status engine judges (a few metrics of many) and the chart points of watched sites.
    /// </summary>
    public async ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var scan = new PointScan();
        List<DeviceEvent>? events = null;
        foreach (IngestWork batch in batches)
        {
            Scan(batch.PointSpan, scan);
            if (batch.Events.Count > 0)
            {
                (events ??= []).AddRange(batch.Events);
            }
        }

        foreach ((string site, string device) in scan.UnknownDevices ?? [])
        {
            await inventory.EnsureDeviceAsync(site, device, cancellationToken).ConfigureAwait(false);
        }

        StatusResult result = scan.Judged is null && events is null ? StatusResult.None : engine.Observe(scan.Judged ?? [], events ?? []);
        await PublishAsync(result, cancellationToken).ConfigureAwait(false);
        foreach ((string site, List<LivePoint> points) in scan.Live ?? [])
        {
            broadcaster.SitePoints(site, points);
        }
    }

    /// <summary>One clock tick: staleness and the end of flapping.</summary>
    public Task TickAsync(CancellationToken cancellationToken) => PublishAsync(engine.Tick(), cancellationToken);

    /// <summary>Everything a dashboard needs when it connects.</summary>
    public BoardSnapshot Snapshot()
    {
        long version = engine.Version;
        IReadOnlyList<SiteStatusView> sites = engine.Sites(alarms.ActiveCount);
        var counts = Enum.GetValues<HealthState>().ToDictionary(s => s, s => sites.Count(v => v.State == s && v.Lifecycle is Lifecycles.Active or Lifecycles.Installing));
        return new BoardSnapshot(version, counts, sites, alarms.Active());
    }

    /// <summary>Alarms changed by a person (acknowledged), to every dashboard and the webhook.</summary>
    public void PublishAlarms(IReadOnlyList<AlarmView> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach (AlarmView alarm in changed)
        {
            broadcaster.AlarmChanged(alarm);
            webhook.Enqueue(alarm);
        }
    }

    private async Task PublishAsync(StatusResult result, CancellationToken cancellationToken)
    {
        if (result.IsEmpty)
        {
            return;
        }

        IReadOnlyList<AlarmView> changed = await alarms.ApplyAsync(result.Alarms, cancellationToken).ConfigureAwait(false);
        PublishAlarms(changed);
        long version = engine.Version;
        foreach (string site in result.Changes.Select(c => c.Site).Concat(changed.Select(a => a.Site)).Concat(result.Seen).Distinct(StringComparer.Ordinal))
        {
            if (engine.Site(site, alarms.ActiveCount(site)) is SiteStatusView view)
            {
                broadcaster.SiteChanged(view, version);
            }
        }

        PublishGauges();
    }

    /// <summary>Per-site state and counts by state on <c>/metrics</c> (from the engine's states, without building the board).</summary>
    public void PublishGauges()
    {
        Span<int> counts = stackalloc int[s_stateNames.Length];
        foreach ((Site site, HealthState state) in engine.SiteStates())
        {
            counts[(int)state]++;
            s_siteState.WithLabels(site.Id, site.Kind).Set((int)state);
        }

        for (int i = 0; i < s_stateNames.Length; i++)
        {
            s_siteStates.WithLabels(s_stateNames[i]).Set(counts[i]);
        }
    }

    private void Scan(ReadOnlySpan<SeriesPoint> points, PointScan scan)
    {
        string? lastSite = null, lastDevice = null;
        Site? site = null;
        bool watched = false;
        foreach (ref readonly SeriesPoint point in points)
        {
            SeriesKey key = point.Key;
            if (!ReferenceEquals(key.Site, lastSite) && key.Site != lastSite)
            {
                lastSite = key.Site;
                lastDevice = null;
                site = inventory.Find(key.Site);
                watched = broadcaster.IsWatched(key.Site);
            }

            if (!ReferenceEquals(key.Device, lastDevice) && key.Device != lastDevice)
            {
                lastDevice = key.Device;
                if (site is not null && (scan.Checked ??= []).Add((site.Id, key.Device)) && !site.Devices.Any(d => d.Name == key.Device)
                    && !(key.Device == StatusEngine.ProbeDevice && site.Uplink is not null))
                {
                    (scan.UnknownDevices ??= []).Add((site.Id, key.Device));
                }
            }

            if (StatusEngine.IsJudged(key.Metric))
            {
                (scan.Judged ??= []).Add(point);
            }

            if (watched && ChartMetrics.Contains(key.Metric))
            {
                scan.Live ??= new(StringComparer.Ordinal);
                if (!scan.Live.TryGetValue(key.Site, out List<LivePoint>? list))
                {
                    scan.Live[key.Site] = list = [];
                }

                list.Add(new LivePoint(key.Device, key.Metric, key.Labels, point.TimestampMs, point.Value));
            }
        }
    }

    /// <summary>What one pass over stored points found.</summary>
    private sealed class PointScan
    {
        public HashSet<(string Site, string Device)>? Checked { get; set; }

        public List<(string Site, string Device)>? UnknownDevices { get; set; }

        public List<SeriesPoint>? Judged { get; set; }

        public Dictionary<string, List<LivePoint>>? Live { get; set; }
    }
}
