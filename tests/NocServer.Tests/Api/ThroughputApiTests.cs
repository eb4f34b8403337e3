using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.Noc.Sla;
using Network.Noc.Throughput;

namespace Network.Noc.Tests.Api;

/// <summary>
/// The NOC's throughput endpoint: the agent's token as ingest checks it, the bounds (bytes, tests at once), and the
/// on-demand request an engineer queues, delivered in the site's next ingest answer; and the samples the agent sends are the
/// ones the school's SLA counts against the committed rate.
/// </summary>
public sealed class ThroughputApiTests
{
    private const string School = "fts-anderlecht";

    [Theory]
    [InlineData(null)]
    [InlineData("noc_not-the-token-of-any-agent-0123456789")]
    public async Task Download_and_upload_without_a_valid_agent_token_are_401(string? token)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient client = noc.Anonymous();

        using HttpResponseMessage download = await client.SendAsync(Request(HttpMethod.Get, ThroughputPaths.Download + "?seconds=1", token));
        using HttpRequestMessage post = Request(HttpMethod.Post, ThroughputPaths.Upload, token);
        post.Content = new ByteArrayContent(new byte[1000]);
        using HttpResponseMessage upload = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Unauthorized, download.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        Assert.Equal("Bearer", download.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task More_tests_at_once_than_configured_get_503_with_Retry_After_and_a_slot_frees_when_a_test_ends()
    {
        await using NocHost noc = await NocHost.StartAsync(("Throughput:MaxConcurrentTests", "1"), ("Throughput:RetryAfter", "00:00:42"));
        using HttpClient client = noc.Anonymous();

        HttpResponseMessage running = await client.SendAsync(Request(HttpMethod.Get, ThroughputPaths.Download + "?seconds=30", noc.AgentToken),
            HttpCompletionOption.ResponseHeadersRead);
        using HttpResponseMessage second = await client.SendAsync(Request(HttpMethod.Get, ThroughputPaths.Download + "?seconds=1", noc.AgentToken));
        using HttpRequestMessage post = Request(HttpMethod.Post, ThroughputPaths.Upload, noc.AgentToken);
        post.Content = new ByteArrayContent(new byte[1000]);
        using HttpResponseMessage third = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, running.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), second.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);

        running.Dispose(); // the agent stops reading: the test ends and its slot is free
        await Network.TestSupport.Peers.WaitUntilAsync(async () =>
        {
            using HttpRequestMessage again = Request(HttpMethod.Post, ThroughputPaths.Upload, noc.AgentToken);
            again.Content = new ByteArrayContent(new byte[1000]);
            using HttpResponseMessage answer = await client.SendAsync(again);
            return answer.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the slot freed by the ended test");
    }

    [Fact]
    public async Task A_download_stops_at_the_byte_cap_and_an_upload_is_read_and_counted()
    {
        await using NocHost noc = await NocHost.StartAsync(("Throughput:MaxBytes", "100000"));
        using HttpClient client = noc.Anonymous();

        using HttpResponseMessage download = await client.SendAsync(Request(HttpMethod.Get, ThroughputPaths.Download + "?seconds=30", noc.AgentToken));
        byte[] body = await download.Content.ReadAsByteArrayAsync();
        using HttpRequestMessage post = Request(HttpMethod.Post, ThroughputPaths.Upload, noc.AgentToken);
        post.Content = new ByteArrayContent(new byte[99_000]);
        using HttpResponseMessage upload = await client.SendAsync(post);
        UploadAnswer? answer = await upload.Content.ReadFromJsonAsync<UploadAnswer>();

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(100_000, body.Length);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(99_000, answer?.Bytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_upload_over_the_byte_cap_is_413_whether_its_length_is_announced_or_not(bool announced)
    {
        await using NocHost noc = await NocHost.StartAsync(("Throughput:MaxBytes", "100000"));
        using HttpClient client = noc.Anonymous();

        using HttpRequestMessage post = Request(HttpMethod.Post, ThroughputPaths.Upload, noc.AgentToken);
        post.Content = announced ? new ByteArrayContent(new byte[200_000]) : new StreamContent(new UnannouncedStream(new byte[200_000]));
        using HttpResponseMessage upload = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
    }

    [Fact]
    public async Task An_engineers_request_reaches_the_sites_agent_in_its_next_ingest_answer_once()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        using HttpClient planner = await noc.SignedInAsync("planner");
        var path = new Uri($"/api/v1/sites/{NocHost.Site}/throughput-test", UriKind.Relative);

        using HttpResponseMessage refused = await planner.PostAsync(path, null);
        using HttpResponseMessage unknown = await engineer.PostAsync(new Uri("/api/v1/sites/no-such-site/throughput-test", UriKind.Relative), null);
        using HttpResponseMessage beforeAsking = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading(MetricNames.DeviceReachable, 1)));
        using HttpResponseMessage asked = await engineer.PostAsync(path, null);
        using HttpResponseMessage otherSite = await noc.IngestAsync(NocHost.Batch(2, NocHost.Reading(MetricNames.DeviceReachable, 1, site: "hs-flageyplein")));
        using HttpResponseMessage delivered = await noc.IngestAsync(NocHost.Batch(3, NocHost.Reading(MetricNames.DeviceReachable, 1)));
        using HttpResponseMessage afterwards = await noc.IngestAsync(NocHost.Batch(4, NocHost.Reading(MetricNames.DeviceReachable, 1)));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.False(beforeAsking.Headers.Contains(AgentRequests.Header));
        Assert.False(otherSite.Headers.Contains(AgentRequests.Header));
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal([AgentRequests.ThroughputTest], delivered.Headers.GetValues(AgentRequests.Header));
        Assert.False(afterwards.Headers.Contains(AgentRequests.Header));
    }

    [Fact]
    public async Task The_school_SLA_counts_the_throughput_samples_its_agent_sent_against_the_committed_rate_with_the_tolerance()
    {
        // Ten nightly tests in March as the agent reports them (device uplink, one series per target), committed 100 Mbit/s
        // both ways, 5 % tolerance: a test passes at 89.44 Mbit/s or more (the 94.15 Mbit/s of TCP payload a perfect
        // 100 Mbit/s line carries, less 5 %).
        double[] downloads = [96, 99.1, 89.4, 100.2, 89.5, 97, 60.5, 98, 99, 96.5];
        double[] uploads = [88, 95.1, 89.43, 88, 88, 100, 88, 88, 88, 88];
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 0, 30, 0, TimeSpan.Zero));
        await using NocHost noc = await NocHost.StartAsync(time);
        var labels = new Dictionary<string, string> { [LabelNames.Target] = "noc", [LabelNames.Method] = LabelNames.MethodNoc };
        for (int test = 0; test < downloads.Length; test++)
        {
            DateTimeOffset at = time.GetUtcNow();
            using HttpResponseMessage ingested = await noc.IngestAsync(NocHost.Batch(test + 1,
                NocHost.Reading(MetricNames.ThroughputDownloadMbps, downloads[test], School, DeviceNames.UplinkProbe, at, labels),
                NocHost.Reading(MetricNames.ThroughputUploadMbps, uploads[test], School, DeviceNames.UplinkProbe, at, labels)));
            Assert.Equal(HttpStatusCode.OK, ingested.StatusCode);
            time.Advance(TimeSpan.FromDays(1));
        }

        time.Advance(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero) - time.GetUtcNow());
        using HttpClient planner = await noc.SignedInAsync("planner");
        var path = new Uri($"/api/v1/sla/schools/{School}?month=2026-03", UriKind.Relative);
        SlaMonthFigures figures = null!;
        await Network.TestSupport.Peers.WaitUntilAsync(async () => // the ingest writer stores a batch after it answers the agent
        {
            figures = (await planner.GetFromJsonAsync<SchoolMonthReport>(path, JsonSerializerOptions.Web))!.Figures;
            return figures.Download.Tests == downloads.Length && figures.Upload.Tests == uploads.Length;
        }, TimeSpan.FromSeconds(60), "the ten tests in the school's month");

        Assert.Equal((100.0, 89.44, 8, 80.0, 60.5), (figures.Download.CommittedMbps, Math.Round(figures.Download.ThresholdMbps, 2), figures.Download.Passed,
            figures.Download.CompliancePercent!.Value, figures.Download.P10Mbps!.Value));
        Assert.Equal((2, 20.0, 88.0), (figures.Upload.Passed, figures.Upload.CompliancePercent!.Value, figures.Upload.P10Mbps!.Value));
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>A body whose length the client cannot tell (sent chunked).</summary>
    private sealed class UnannouncedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
