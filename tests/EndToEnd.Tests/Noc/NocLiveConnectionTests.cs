using Microsoft.Playwright;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// What a dashboard does when its connection to the hub breaks: it says so in the header, reconnects by itself, and
/// catches up with what changed meanwhile (a new snapshot), without a reload. The break is made in Chromium: the hub's
/// WebSocket is closed under the page and every new attempt is refused until the test lets it through.
/// </summary>
public sealed class NocLiveConnectionTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_board_that_lost_its_connection_says_so_reconnects_and_shows_what_changed_meanwhile()
    {
        await using NocInstance noc = await NocInstance.StartAsync();
        SeededSite site = noc.Sites[0];
        await noc.ReportReachableAsync(site, reachable: true);
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, noc);
        bool blocked = false;
        var sockets = new List<IWebSocketRoute>();
        await page.RouteAsync("**/hubs/live**", route => blocked ? route.AbortAsync("connectionrefused") : route.ContinueAsync());
        await page.RouteWebSocketAsync("**/hubs/live**", socket =>
        {
            if (blocked)
            {
                _ = socket.CloseAsync(new WebSocketRouteCloseOptions { Code = 1011, Reason = "refused by the test" });
                return;
            }

            socket.ConnectToServer();
            lock (sockets)
            {
                sockets.Add(socket);
            }
        });
        await page.ReloadAsync();
        var board = new StatusBoardPage(page);
        await NocBrowser.WaitUntilLiveAsync(page);
        await board.WaitForStateAsync(site.Id, "Up", 10_000);
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        blocked = true;
        IWebSocketRoute[] open;
        lock (sockets)
        {
            open = [.. sockets];
        }

        foreach (IWebSocketRoute socket in open)
        {
            await socket.CloseAsync(new WebSocketRouteCloseOptions { Code = 1001, Reason = "network gone" });
        }

        await Expect(page.Locator("#live-status")).Not.ToHaveTextAsync("Live", new LocatorAssertionsToHaveTextOptions { Timeout = 5_000 });
        string whileAway = await page.Locator("#live-status").InnerTextAsync();
        await noc.ReportReachableAsync(site, reachable: false);
        await Peers.WaitUntilAsync(async () =>
        {
            IAPIResponse response = await page.Context.APIRequest.GetAsync($"/api/v1/sites/{site.Id}");
            return (await response.TextAsync()).Contains("\"state\":\"Down\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10), "the site down at the NOC");
        string? stateWhileAway = await board.StateOfAsync(site.Id);

        blocked = false;
        await NocBrowser.WaitUntilLiveAsync(page);
        await board.WaitForStateAsync(site.Id, "Down", 2_000);

        Assert.Matches("^(Reconnecting…|Offline, retrying…)$", whileAway);
        Assert.Equal("Up", stateWhileAway); // nothing reached the page while it was cut off
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await page.Context.CloseAsync();
    }
}
