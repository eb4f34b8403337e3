using System.Net;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;

namespace Network.Noc.Tests.Pages;

/// <summary>
/// The site page's throughput test over HTTP (the browser test in EndToEnd.Tests/Noc clicks it in Chromium): the form for
/// engineers and admins, antiforgery, post/redirect/get, the request's status line until the agent picks it up, then
/// the last test's rates, in the page's language and Brussels time.
/// </summary>
public sealed class SiteThroughputPageTests
{
    private const string School = "fts-anderlecht";
    private const string Page = "/sites/" + School;
    private const string Handler = Page + "?handler=ThroughputTest";

    [Fact]
    public async Task An_engineer_asks_for_a_test_the_page_says_it_waits_for_the_agent_and_then_shows_the_result_in_the_viewers_language()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 21, 5, 0, TimeSpan.Zero)); // 22:05 in Brussels
        await using NocHost noc = await NocHost.StartAsync(time);
        using HttpClient engineer = await noc.SignedInAsync("engineer");

        string before = await engineer.GetStringAsync(new Uri(Page, UriKind.Relative));
        using HttpResponseMessage posted = await engineer.PostAsync(new Uri(Handler, UriKind.Relative),
            Form(await NocHost.AntiforgeryTokenAsync(engineer, Page)));
        string waiting = await engineer.GetStringAsync(new Uri(Page, UriKind.Relative));
        string waitingFrench = await engineer.GetStringAsync(new Uri(Page + "?lang=fr", UriKind.Relative));

        Assert.Contains("Run throughput test</button>", before, StringComparison.Ordinal);
        Assert.Contains("No throughput test yet.", before, StringComparison.Ordinal);
        Assert.DoesNotContain("waiting for the agent", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(Page + "#throughput-test", posted.Headers.Location?.OriginalString);
        Assert.Contains("Test requested at 10/03/2026 22:05, waiting for the agent.", waiting, StringComparison.Ordinal);
        Assert.Contains("Test demandé à 10/03/2026 22:05, en attente de l’agent.", waitingFrench, StringComparison.Ordinal);

        // The agent's next batch takes the request; its test's samples come in a few minutes later.
        using (HttpResponseMessage taken = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading(MetricNames.DeviceReachable, 1, School, at: time.GetUtcNow()))))
        {
            Assert.Equal([AgentRequests.ThroughputTest], taken.Headers.GetValues(AgentRequests.Header));
        }

        time.Advance(TimeSpan.FromMinutes(3));
        var labels = new Dictionary<string, string> { [LabelNames.Target] = "noc", [LabelNames.Method] = LabelNames.MethodNoc };
        using (HttpResponseMessage result = await noc.IngestAsync(NocHost.Batch(2,
            NocHost.Reading(MetricNames.ThroughputDownloadMbps, 96.42, School, DeviceNames.UplinkProbe, time.GetUtcNow(), labels),
            NocHost.Reading(MetricNames.ThroughputUploadMbps, 48.25, School, DeviceNames.UplinkProbe, time.GetUtcNow(), labels))))
        {
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        }

        string done = "";
        await Network.TestSupport.Peers.WaitUntilAsync(async () => // the ingest writer stores a batch after it answers the agent
        {
            done = await engineer.GetStringAsync(new Uri(Page + "?lang=nl", UriKind.Relative));
            return !done.Contains("Nog geen doorvoertest.", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "the test's samples on the page");

        Assert.Contains("Laatste test 10/03/2026 22:08: download 96,4 Mbit/s, upload 48,3 Mbit/s.", done, StringComparison.Ordinal);
        Assert.DoesNotContain("wacht op de agent", done, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Planners_see_no_form_and_are_refused_a_post_without_the_token_is_refused_and_an_unknown_site_is_404()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");
        using HttpClient engineer = await noc.SignedInAsync("engineer");

        string plannersPage = await planner.GetStringAsync(new Uri(Page, UriKind.Relative));
        using HttpResponseMessage plannerPost = await planner.PostAsync(new Uri(Handler, UriKind.Relative), Form(await NocHost.AntiforgeryTokenAsync(planner, Page)));
        using HttpResponseMessage withoutToken = await engineer.PostAsync(new Uri(Handler, UriKind.Relative), new FormUrlEncodedContent([]));
        using HttpResponseMessage unknown = await engineer.PostAsync(new Uri("/sites/no-such-site?handler=ThroughputTest", UriKind.Relative),
            Form(await NocHost.AntiforgeryTokenAsync(engineer, Page)));
        string unknownPage = await engineer.GetStringAsync(new Uri("/sites/no-such-site", UriKind.Relative));
        using HttpResponseMessage ingested = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading(MetricNames.DeviceReachable, 1, School)));

        Assert.DoesNotContain("Run throughput test", plannersPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, plannerPost.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain("Run throughput test", unknownPage, StringComparison.Ordinal);
        Assert.False(ingested.Headers.Contains(AgentRequests.Header)); // none of them queued a test
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
}
