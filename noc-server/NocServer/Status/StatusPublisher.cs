using Network.Contracts;
using System.Diagnostics.Metrics;
using Network.Noc.Alarms;
using Network.Noc.Ingest;
using Network.Noc.Inventory;
using Network.Noc.TimeSeries;

namespace Network.Noc.Status;

/// <summary>
/// Where stored batches and clock ticks become states: the status engine judges, the alarms open and clear as it
/// says, and the <see cref="ISiteObserver"/>s (the live dashboards) hear of every site whose view changed.
/// </summary>
public sealed class StatusPublisher(StatusEngine engine, AlarmService alarms, IEnumerable<ISiteObserver> observers) : IIngestObserver
{
    private static readonly string[] s_stateNames = [.. Enum.GetValues<HealthState>().Select(s => s.ToString().ToLowerInvariant())];
    private static readonly Gauge<long> s_siteStates = NocMetrics.Gauge(NocMetricNames.Sites, "Sites by state.");
    private static readonly Gauge<long> s_siteState = NocMetrics.Gauge(NocMetricNames.SiteState,
        "Each site's state: 0 unknown, 1 up, 2 degraded, 3 down (alert on == 3).");

    /// <summary>The version site changes continue from (<see cref="StatusEngine.Version"/>).</summary>
    public long Version => engine.Version;

    /// <summary>Judges stored batches (the few metrics the engine judges, and the events) and publishes what changed.</summary>
    public async ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        List<SeriesPoint>? judged = null;
        List<DeviceEvent>? events = null;
        foreach (IngestWork batch in batches)
        {
            foreach (ref readonly SeriesPoint point in batch.PointSpan)
            {
                if (StatusEngine.IsJudged(point.Key.Metric))
                {
                    (judged ??= []).Add(point);
                }
            }

            if (batch.Events.Count > 0)
            {
                (events ??= []).AddRange(batch.Events);
            }
        }

        StatusResult result = judged is null && events is null ? StatusResult.None : engine.Observe(judged ?? [], events ?? []);
        await PublishAsync(result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One clock tick: staleness and the end of flapping.</summary>
    public Task TickAsync(CancellationToken cancellationToken) => PublishAsync(engine.Tick(), cancellationToken);

    /// <summary>Every site as the dashboards show it.</summary>
    public IReadOnlyList<SiteStatusView> Sites() => engine.Sites(alarms.ActiveCount);

    /// <summary>One site as the dashboards show it, or null when the inventory does not have it.</summary>
    public SiteStatusView? Site(string id) => engine.Site(id, alarms.ActiveCount(id));

    private async Task PublishAsync(StatusResult result, CancellationToken cancellationToken)
    {
        if (result.IsEmpty)
        {
            return;
        }

        IReadOnlyList<AlarmView> changed = await alarms.ApplyAsync(result.Alarms, cancellationToken).ConfigureAwait(false);
        long version = engine.Version;
        foreach (string site in result.Changes.Select(c => c.Site).Concat(changed.Select(a => a.Site)).Concat(result.Seen).Distinct(StringComparer.Ordinal))
        {
            if (Site(site) is SiteStatusView view)
            {
                foreach (ISiteObserver observer in observers)
                {
                    observer.SiteChanged(view, version);
                }
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
            s_siteState.Record((int)state, NocMetrics.Tag("site", site.Id), NocMetrics.Tag("kind", site.Kind));
        }

        for (int i = 0; i < s_stateNames.Length; i++)
        {
            s_siteStates.Record(counts[i], NocMetrics.Tag("state", s_stateNames[i]));
        }
    }
}
