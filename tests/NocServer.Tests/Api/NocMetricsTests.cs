using System.Net;
using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.Noc.Tests.Api;

/// <summary>
/// The NOC's instruments are process-wide (static) and every exporter listens to all of them, so every NOC started by a
/// test sets the same <c>noc_site_state</c> series: the tests that read them run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "process-wide Prometheus registry";
}

/// <summary>The NOC's own series on /metrics: ingest, hub and per-site state.</summary>
[Collection(ProcessWideMetrics.Name)]
public class NocMetricsTests
{
    [Fact]
    public async Task Metrics_show_stored_points_and_each_sites_state_after_an_ingest()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpResponseMessage response = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 0), NocHost.Reading("cpu_load_percent", 3)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The ingest answers once its points are stored; the status engine judges them right after, so the gauge follows.
        using HttpClient client = noc.Anonymous();
        string metrics = "";
        const string Down = """noc_site_state\{site="hs-beursplein",kind="hotspot-outdoor"\} 3\b""";
        await Peers.WaitUntilAsync(async () =>
        {
            metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            return Regex.IsMatch(metrics, Down);
        }, TimeSpan.FromSeconds(10), "hs-beursplein down on /metrics");

        Assert.Matches(Down, metrics);
        Assert.Matches("""noc_site_state\{site="fts-jette",kind="school"\} 0\b""", metrics);
        Assert.Matches("""noc_ingest_batches_total\{result="stored"\} [1-9]""", metrics);
        Assert.Contains("noc_ingest_points_stored_total", metrics, StringComparison.Ordinal);
        Assert.Contains("noc_hub_connections", metrics, StringComparison.Ordinal);
    }
}
