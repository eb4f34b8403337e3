using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>The sites ingest takes samples for without a warning (the inventory's).</summary>
public interface IKnownSites
{
    bool IsKnown(string siteId);
}

/// <summary>
/// Says when an agent sends samples for a site the inventory does not know: they are stored, but no status, map or
/// site page shows them, which looks like an empty chart. One warning per agent and site (for the first
/// <see cref="MaxRemembered"/> pairs, so a stranger's made-up site ids cannot grow memory), and every such sample
/// counted in <c>noc_ingest_unknown_site_samples_total</c>.
/// </summary>
public sealed partial class UnknownSites(ILogger<UnknownSites> logger)
{
    public const int MaxRemembered = 10_000;

    private static readonly Counter<long> s_samples = NocMetrics.Counter(NocMetricNames.IngestUnknownSiteSamples,
        "Samples stored for sites that are not in the inventory (no dashboard shows them).");

    private readonly ConcurrentDictionary<(string Agent, string Site), bool> _told = new();

    /// <summary>
    /// The sites of <paramref name="points"/> that are not known, and how many points name them, in one pass (a batch names
    /// a site with one string, so each site is looked up about once).
    /// </summary>
    public static (HashSet<string>? Sites, int Samples) Find(ReadOnlySpan<SeriesPoint> points, IKnownSites known)
    {
        ArgumentNullException.ThrowIfNull(known);
        HashSet<string>? sites = null;
        int samples = 0;
        string? lastSite = null;
        bool lastUnknown = false;
        foreach (ref readonly SeriesPoint point in points)
        {
            string site = point.Key.Site;
            if (!ReferenceEquals(site, lastSite) && site != lastSite)
            {
                lastSite = site;
                lastUnknown = !known.IsKnown(site);
                if (lastUnknown)
                {
                    (sites ??= new(StringComparer.Ordinal)).Add(site);
                }
            }

            samples += lastUnknown ? 1 : 0;
        }

        return (sites, samples);
    }

    /// <summary>Notes <paramref name="samples"/> stored from <paramref name="agent"/> for the unknown <paramref name="sites"/>.</summary>
    public void Report(string agent, IReadOnlyCollection<string> sites, int samples)
    {
        ArgumentNullException.ThrowIfNull(sites);
        s_samples.Add(samples);
        foreach (string site in sites)
        {
            if (_told.Count < MaxRemembered && _told.TryAdd((agent, site), true))
            {
                LogUnknownSite(logger, agent, site.Length > 64 ? site[..64] : site);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Agent} sends samples for site {Site}, which is not in the inventory: " +
        "they are stored, but no dashboard shows them (add the site, or give the agent's devices and probes their sites); said once per agent and site")]
    private static partial void LogUnknownSite(ILogger logger, string agent, string site);
}
