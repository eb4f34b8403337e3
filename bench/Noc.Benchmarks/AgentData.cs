using System.Globalization;
using Network.Noc.TimeSeries;

namespace Network.Noc.Benchmarks;

/// <summary>
/// What a fleet of agents sends: <c>sites × devices × metrics</c> series (by default 100 × 10 × 30 = 30,000), one point each
/// every 30 s, poll cycle after poll cycle, ending now. Interface metrics carry an <c>if</c> label, as the agent's do.
/// Everything is built before any clock starts. With one site, <c>siteName</c> names it (a site of the NOC's inventory).
/// </summary>
internal sealed class AgentData
{
    private static readonly string[] s_metrics =
    [
        "if_in_bps", "if_out_bps", "if_in_pps", "if_out_pps", "if_in_errors", "if_out_errors", "if_in_discards", "if_out_discards",
        "if_oper_status", "if_utilisation", "cpu_load", "memory_used", "memory_free", "uptime_seconds", "temperature",
        "probe_rtt_ms", "probe_loss", "probe_jitter_ms", "dns_rtt_ms", "wifi_clients", "wifi_noise_dbm", "wifi_signal_dbm",
        "wifi_retries", "wifi_channel_busy", "dhcp_leases", "nat_sessions", "radius_sessions", "poe_watts", "fan_rpm", "voltage",
    ];

    public AgentData(int sites, int devices, int metrics, long points, int intervalSeconds = 30, string? siteName = null)
    {
        var keys = new List<SeriesKey>(sites * devices * metrics);
        for (int s = 0; s < sites; s++)
        {
            string site = siteName is not null && sites == 1 ? siteName : string.Create(CultureInfo.InvariantCulture, $"site-{s:D3}");
            for (int d = 0; d < devices; d++)
            {
                string device = string.Create(CultureInfo.InvariantCulture, $"ap{d:D2}");
                for (int m = 0; m < metrics; m++)
                {
                    string metric = s_metrics[m % s_metrics.Length] + (m < s_metrics.Length ? "" : string.Create(CultureInfo.InvariantCulture, $"_{m / s_metrics.Length}"));
                    IReadOnlyDictionary<string, string>? labels = metric.StartsWith("if_", StringComparison.Ordinal)
                        ? new Dictionary<string, string> { ["if"] = m % 2 == 0 ? "eth0" : "wlan0" }
                        : null;
                    keys.Add(SeriesKey.Create(site, device, metric, labels));
                }
            }
        }

        Keys = keys;
        long cycles = Math.Max(1, points / keys.Count);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long start = now - (cycles * intervalSeconds * 1000L);
        var random = new Random(6);
        var all = new SeriesPoint[cycles * keys.Count];
        long i = 0;
        for (long c = 0; c < cycles; c++)
        {
            long ts = start + (c * intervalSeconds * 1000L);
            foreach (SeriesKey key in keys)
            {
                // Agents stamp each device's poll, so timestamps differ a little within a cycle.
                all[i++] = new SeriesPoint(key, ts + random.Next(0, 2000), Math.Round(random.NextDouble() * 1e6, 3));
            }
        }

        Points = all;
    }

    public IReadOnlyList<SeriesKey> Keys { get; }

    public SeriesPoint[] Points { get; }

    /// <summary>The points in group-commit batches of <paramref name="size"/>, in arrival order.</summary>
    public List<ArraySegment<SeriesPoint>> Batches(int size) => Batches(Points, size);

    public static List<ArraySegment<SeriesPoint>> Batches(SeriesPoint[] points, int size)
    {
        var batches = new List<ArraySegment<SeriesPoint>>();
        for (int i = 0; i < points.Length; i += size)
        {
            batches.Add(new ArraySegment<SeriesPoint>(points, i, Math.Min(size, points.Length - i)));
        }

        return batches;
    }
}
