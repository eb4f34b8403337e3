using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Plan;

/// <summary>
/// The plan's ear on ingest: the first stored report from a device at a site the plan still waits for (planned, ordered,
/// installing) makes that site active on the day of its earliest reading (<see cref="PlanService.ActivateByNetworkAsync"/>).
/// The portal's per-hotspot figures (device <see cref="PortalDevice"/>) are not an agent at the site and do not count. A
/// batch costs one set lookup per change of site while nothing waits for that site.
/// </summary>
public sealed class PlanActivation(PlanService plan, ILogger<PlanActivation> logger) : IIngestObserver
{
    /// <summary>The device the captive portal reports its per-hotspot figures under (its <c>NocReporter.Device</c>).</summary>
    public const string PortalDevice = "captive-portal";

    public async ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (!plan.AnyWaiting)
        {
            return;
        }

        Dictionary<string, long>? first = null;
        foreach (IngestWork batch in batches)
        {
            Find(batch.PointSpan, ref first);
        }

        foreach ((string site, long ms) in first ?? [])
        {
            if (await plan.ActivateByNetworkAsync(site, DateTimeOffset.FromUnixTimeMilliseconds(ms), cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("Plan: {Site} reported for the first time ({At:o}), now active", site, DateTimeOffset.FromUnixTimeMilliseconds(ms));
            }
        }
    }

    private void Find(ReadOnlySpan<SeriesPoint> points, ref Dictionary<string, long>? first)
    {
        string? lastSite = null;
        bool waiting = false;
        foreach (ref readonly SeriesPoint point in points)
        {
            SeriesKey key = point.Key;
            if (!ReferenceEquals(key.Site, lastSite) && key.Site != lastSite)
            {
                lastSite = key.Site;
                waiting = plan.IsWaiting(key.Site);
            }

            if (waiting && key.Device != PortalDevice)
            {
                first ??= new Dictionary<string, long>(StringComparer.Ordinal);
                first[key.Site] = first.TryGetValue(key.Site, out long seen) ? Math.Min(seen, point.TimestampMs) : point.TimestampMs;
            }
        }
    }
}
