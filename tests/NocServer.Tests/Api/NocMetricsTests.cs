using System.Net;

namespace Network.Noc.Tests.Api;

/// <summary>The NOC's own series on /metrics: ingest, hub and per-site state.</summary>
public class NocMetricsTests
{
    [Fact]
    public async Task Metrics_show_stored_points_and_each_sites_state_after_an_ingest()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpResponseMessage response = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 0), NocHost.Reading("cpu_load_percent", 3)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using HttpClient client = noc.Anonymous();
        string metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Matches("""noc_site_state\{site="hs-beursplein",kind="hotspot-outdoor"\} 3\b""", metrics);
        Assert.Matches("""noc_site_state\{site="fts-jette",kind="school"\} 0\b""", metrics);
        Assert.Matches("""noc_ingest_batches_total\{result="stored"\} [1-9]""", metrics);
        Assert.Contains("noc_ingest_points_stored_total", metrics, StringComparison.Ordinal);
        Assert.Contains("noc_hub_connections", metrics, StringComparison.Ordinal);
    }
}
