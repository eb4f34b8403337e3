using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Network.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// Flow 2 of the architecture, every part real and in its own process: the fleet simulator serves SNMP, the edge agent
/// polls it every second and sends to the NOC, an engineer watches the status board in Chromium. The simulator cuts a
/// hotspot's uplink: the board turns the site down live and the alarm list shows the alarm; the link is mended: the
/// site comes back up and the alarm clears.
/// </summary>
public sealed class FleetIncidentTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IDisposable
{
    private const string Site = "hs-simon-bolivarlaan"; // device 0 of the fleet with seed 1, as the seed file names it

    private readonly TempFolder _folder = new("e2e-fleet");

    [Fact]
    public async Task The_status_board_shows_a_link_the_fleet_simulator_takes_down_and_brings_back()
    {
        await using NocInstance noc = await NocInstance.StartAsync();
        int basePort = Peers.FreeUdpPort();
        await using PeerProcess fleet = ServiceProcess.Start("tools/FleetSimulator", "Network.FleetSimulator",
            ["--devices", "2", "--base-port", basePort.ToString(CultureInfo.InvariantCulture)]);
        await Peers.WaitUntilAsync(() => Task.FromResult(fleet.Output.Contains("serving", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the fleet serving");
        Assert.Contains(Site, fleet.Output, StringComparison.Ordinal);

        string config = _folder.PathOf("agent.json");
        await File.WriteAllTextAsync(config, new JsonObject
        {
            ["Agent"] = new JsonObject
            {
                ["Site"] = new JsonObject { ["Id"] = Site, ["Kind"] = "hotspot", ["AgentId"] = NocInstance.AgentId },
                ["Noc"] = new JsonObject { ["Url"] = noc.BaseUrl + "/", ["Token"] = noc.AgentToken, ["IdleSeconds"] = 0.2, ["MaxBackoffSeconds"] = 2 },
                ["Polling"] = new JsonObject
                {
                    ["IntervalSeconds"] = 1,
                    ["Devices"] = new JsonArray(new JsonObject { ["Name"] = Site, ["Address"] = $"127.0.0.1:{basePort}", ["Community"] = "public" }),
                },
                ["Queue"] = new JsonObject { ["Folder"] = _folder.PathOf("queue") },
            },
        }.ToJsonString());
        await using PeerProcess agent = ServiceProcess.Start("edge-agent/EdgeAgent", "edge-agent", ["--config", config]);

        IPage page = await NocBrowser.SignInAsync(chromium.Browser, noc);
        var board = new StatusBoardPage(page);
        await NocBrowser.WaitUntilLiveAsync(page);
        await board.WaitForStateAsync(Site, "Up", 30_000);

        var clock = Stopwatch.StartNew();
        await fleet.WriteLineAsync("down 0");
        await board.WaitForStateAsync(Site, "Down", 15_000);
        output.WriteLine($"uplink cut to board showing Down: {clock.Elapsed.TotalSeconds:0.0} s (1-s polls, two readings of hysteresis)");
        await Expect(board.Row(Site)).ToContainTextAsync("down");

        IPage alarmsPage = await page.Context.NewPageAsync();
        await alarmsPage.GotoAsync("/alarms");
        var alarms = new AlarmsPage(alarmsPage);
        await Expect(alarms.Rows.Filter(new LocatorFilterOptions { HasText = "Simon Bolivarlaan" })).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 10_000 });

        await fleet.WriteLineAsync("up 0");
        await board.WaitForStateAsync(Site, "Up", 15_000);
        await Expect(alarms.Rows.Filter(new LocatorFilterOptions { HasText = "Simon Bolivarlaan" })).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 10_000 });
        Assert.False(agent.HasExited, agent.Output);
        await page.Context.CloseAsync();
    }

    public void Dispose() => _folder.Dispose();
}
