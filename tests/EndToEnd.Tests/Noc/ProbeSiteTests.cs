using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// An agent that reports for many sites (as run.sh's does) gives each uplink probe its site: the real edge agent
/// probes the real NOC, and the samples land on that site's latency chart, not on the agent's own site id.
/// </summary>
public sealed class ProbeSiteTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private const string Site = "fts-jette";

    private readonly TempFolder _folder = new("e2e-probe-site");

    [Fact]
    public async Task A_probe_given_a_site_lands_on_that_sites_latency_chart()
    {
        await using NocInstance noc = await NocInstance.StartAsync();
        string config = _folder.PathOf("agent.json");
        await File.WriteAllTextAsync(config, new JsonObject
        {
            ["Agent"] = new JsonObject
            {
                // The agent's own site id is not in the inventory, as run-fleet.json's "demo-fleet".
                ["Site"] = new JsonObject { ["Id"] = "demo-fleet", ["Kind"] = "hotspot", ["AgentId"] = NocInstance.AgentId },
                ["Noc"] = new JsonObject { ["Url"] = noc.BaseUrl + "/", ["Token"] = noc.AgentToken, ["IdleSeconds"] = 0.2, ["MaxBackoffSeconds"] = 2 },
                ["Probes"] = new JsonObject
                {
                    ["IntervalSeconds"] = 1,
                    ["Count"] = 1,
                    ["Targets"] = new JsonArray(new JsonObject
                    {
                        ["Name"] = "noc", ["Site"] = Site, ["Host"] = "127.0.0.1", ["Method"] = "tcp", ["Port"] = new Uri(noc.BaseUrl).Port,
                    }),
                },
                ["Queue"] = new JsonObject { ["Folder"] = _folder.PathOf("queue") },
            },
        }.ToJsonString());
        await using PeerProcess agent = ServiceProcess.Start("edge-agent/EdgeAgent", "edge-agent", ["--config", config]);

        IPage page = await NocBrowser.SignInAsync(chromium.Browser, noc, $"/sites/{Site}");
        var sitePage = new SitePage(page);
        await NocBrowser.WaitUntilLiveAsync(page);
        await Expect(sitePage.Chart("latency")).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9]"),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });

        Assert.Contains("noc (uplink)", await sitePage.LatestAsync("latency"), StringComparison.Ordinal);
        Assert.False(agent.HasExited, agent.Output);
        await page.Context.CloseAsync();
    }

    public void Dispose() => _folder.Dispose();
}
