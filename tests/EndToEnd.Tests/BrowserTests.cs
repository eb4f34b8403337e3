using System.Net;
using Microsoft.Playwright;
using Network.TestSupport;

namespace Network.EndToEnd.Tests;

/// <summary>Headless Chromium opens the pages the real service processes serve.</summary>
public class BrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Chromium_renders_the_NOC_front_page_served_by_the_real_process()
    {
        using var data = new TempFolder("e2e-data");
        int port = Peers.FreeTcpPort();
        await using PeerProcess noc = ServiceProcess.Start("noc-server/NocServer", "Network.Noc", ["--urls", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string> { ["Storage__DataDirectory"] = data.FullPath });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Peers.WaitUntilAsync(async () =>
        {
            Assert.False(noc.HasExited, noc.Output);
            using var live = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
            return live.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the NOC answering");

        // The front page is the status board, behind the login page (tests/EndToEnd.Tests/Noc covers the pages themselves).
        IPage page = await chromium.Browser.NewPageAsync();
        IResponse? response = await page.GotoAsync($"http://127.0.0.1:{port}/");
        string heading = await page.Locator("h1").InnerTextAsync();
        string landed = new Uri(page.Url).AbsolutePath;
        await page.GotoAsync($"http://127.0.0.1:{port}/readyz");
        string readiness = await page.Locator("body").InnerTextAsync();

        Assert.Equal(200, response?.Status);
        Assert.Equal("/login", landed);
        Assert.Equal("Network operations centre", heading);
        Assert.StartsWith("Healthy", readiness, StringComparison.Ordinal);
    }
}
