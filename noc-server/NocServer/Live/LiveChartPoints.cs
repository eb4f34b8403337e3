using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Live;

/// <summary>The stored points of the metrics the site pages chart, for the sites a dashboard watches, to the broadcaster.</summary>
public sealed class LiveChartPoints(LiveBroadcaster broadcaster) : IIngestObserver
{
    /// <summary>The metrics the site pages chart live.</summary>
    public static readonly IReadOnlySet<string> ChartMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        MetricNames.IfInBps, MetricNames.IfOutBps, MetricNames.ProbeRttMs, MetricNames.WifiClients,
    };

    public ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (!broadcaster.AnyWatched)
        {
            return ValueTask.CompletedTask;
        }

        Dictionary<string, List<LivePoint>>? live = null;
        foreach (IngestWork batch in batches)
        {
            Collect(batch.PointSpan, ref live);
        }

        foreach ((string site, List<LivePoint> points) in live ?? [])
        {
            broadcaster.SitePoints(site, points);
        }

        return ValueTask.CompletedTask;
    }

    private void Collect(ReadOnlySpan<SeriesPoint> points, ref Dictionary<string, List<LivePoint>>? live)
    {
        string? lastSite = null;
        bool watched = false;
        foreach (ref readonly SeriesPoint point in points)
        {
            SeriesKey key = point.Key;
            if (!ReferenceEquals(key.Site, lastSite) && key.Site != lastSite)
            {
                lastSite = key.Site;
                watched = broadcaster.IsWatched(key.Site);
            }

            if (watched && ChartMetrics.Contains(key.Metric))
            {
                live ??= new(StringComparer.Ordinal);
                if (!live.TryGetValue(key.Site, out List<LivePoint>? list))
                {
                    live[key.Site] = list = [];
                }

                list.Add(new LivePoint(key.Device, key.Metric, key.Labels, point.TimestampMs, point.Value));
            }
        }
    }
}
