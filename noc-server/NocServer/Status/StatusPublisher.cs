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

    private static readonly Gauge s_siteStates = Metrics.CreateGauge("noc_sites", "Sites by state.", "state");
    private static readonly Gauge s_siteState = Metrics.CreateGauge("noc_site_state",
        "Each site's state: 0 unknown, 1 up, 2 degraded, 3 down (alert on == 3).", "site", "kind");

    /// <summary>Judges stored batches and publishes what changed.</summary>
    public async ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await RegisterDevicesAsync(batches, cancellationToken).ConfigureAwait(false);
        StatusResult result = engine.Observe(batches.SelectMany(b => b.Points), batches.SelectMany(b => b.Events));
        await PublishAsync(result, cancellationToken).ConfigureAwait(false);
        PublishPoints(batches);
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
        if (result.Changes.Count == 0 && result.Alarms.Count == 0)
        {
            return;
        }

        IReadOnlyList<AlarmView> changed = await alarms.ApplyAsync(result.Alarms, cancellationToken).ConfigureAwait(false);
        PublishAlarms(changed);
        long version = engine.Version;
        foreach (string site in result.Changes.Select(c => c.Site).Concat(changed.Select(a => a.Site)).Distinct(StringComparer.Ordinal))
        {
            if (engine.Site(site, alarms.ActiveCount(site)) is SiteStatusView view)
            {
                broadcaster.SiteChanged(view, version);
            }
        }

        PublishGauges(engine.Sites(alarms.ActiveCount));
    }

    /// <summary>Per-site state and counts by state on <c>/metrics</c>.</summary>
    public void PublishGauges(IReadOnlyList<SiteStatusView> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        foreach (HealthState state in Enum.GetValues<HealthState>())
        {
            s_siteStates.WithLabels(state.ToString().ToLowerInvariant()).Set(sites.Count(s => s.State == state));
        }

        foreach (SiteStatusView site in sites)
        {
            s_siteState.WithLabels(site.Id, site.Kind).Set((int)site.State);
        }
    }

    private async Task RegisterDevicesAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        HashSet<(string, string)>? unknown = null;
        foreach (IngestWork batch in batches)
        {
            (string Site, string Device) last = ("", "");
            foreach (SeriesPoint point in batch.Points)
            {
                (string Site, string Device) key = (point.Key.Site, point.Key.Device);
                if (key == last)
                {
                    continue;
                }

                last = key;
                if (inventory.Find(key.Site) is Site site && !site.Devices.Any(d => d.Name == key.Device)
                    && !(key.Device == StatusEngine.ProbeDevice && site.Uplink is not null))
                {
                    (unknown ??= []).Add(key);
                }
            }
        }

        foreach ((string site, string device) in unknown ?? [])
        {
            await inventory.EnsureDeviceAsync(site, device, cancellationToken).ConfigureAwait(false);
        }
    }

    private void PublishPoints(IReadOnlyList<IngestWork> batches)
    {
        Dictionary<string, List<LivePoint>>? bySite = null;
        foreach (IngestWork batch in batches)
        {
            foreach (SeriesPoint point in batch.Points)
            {
                if (!ChartMetrics.Contains(point.Key.Metric) || !broadcaster.IsWatched(point.Key.Site))
                {
                    continue;
                }

                bySite ??= new(StringComparer.Ordinal);
                if (!bySite.TryGetValue(point.Key.Site, out List<LivePoint>? list))
                {
                    bySite[point.Key.Site] = list = [];
                }

                list.Add(new LivePoint(point.Key.Device, point.Key.Metric, point.Key.Labels, point.TimestampMs, point.Value));
            }
        }

        foreach ((string site, List<LivePoint> points) in bySite ?? [])
        {
            broadcaster.SitePoints(site, points);
        }
    }
}
