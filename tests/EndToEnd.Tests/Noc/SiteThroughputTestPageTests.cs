using Microsoft.Playwright;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The site page's throughput test in headless Chromium against the real NOC process: an engineer asks for one with
/// JavaScript off (the form posts, the page comes back saying it waits for the agent), the agent's next batch takes the
/// request and its results show on the page; planners get no button; axe-core finds nothing on the page with the form.
/// </summary>
public sealed class SiteThroughputTestPageTests(ChromiumFixture chromium, NocFixture fixture) : IClassFixture<ChromiumFixture>, IClassFixture<NocFixture>
{
    private const string Site = "fts-koekelberg"; // no other browser test reports it
    private const string Path = "/sites/" + Site;

    private NocInstance Noc => fixture.Noc;

    [Fact]
    public async Task An_engineer_asks_for_a_test_without_JavaScript_sees_it_wait_for_the_agent_and_then_its_result()
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Noc.BaseUrl, JavaScriptEnabled = false, Locale = "en-GB",
        });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(Path);
        await new LoginPage(page).SubmitAsync(NocFixture.Engineer, NocFixture.Password);
        await PageNavigation.ArrivesAtAsync(page, Path);
        ILocator last = page.Locator("#throughput-last");
        string before = await last.InnerTextAsync();

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Run throughput test" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, Path);
        string requested = await page.Locator("#throughput-requested").InnerTextAsync();

        DateTimeOffset now = DateTimeOffset.UtcNow;
        await Noc.IngestAsync([new NocSample(Site, Site, "device_reachable", now, 1)]); // the agent's next batch takes the request
        var labels = new Dictionary<string, string> { ["target"] = "noc", ["method"] = "noc" };
        await Noc.IngestAsync([new NocSample(Site, "uplink", "throughput_download_mbps", now, 97.54, labels),
            new NocSample(Site, "uplink", "throughput_upload_mbps", now, 96.12, labels)]);
        await Peers.WaitUntilAsync(async () => // the NOC stores a batch after it answers the agent
        {
            await page.ReloadAsync();
            return await page.Locator("#throughput-requested").CountAsync() == 0 && !(await last.InnerTextAsync()).StartsWith("No", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the test's result on the page");

        Assert.Equal("No throughput test yet.", before);
        Assert.Matches(@"^Test requested at \d\d/\d\d/\d{4} \d\d:\d\d, waiting for the agent\.$", requested);
        Assert.Matches(@"^Last test \d\d/\d\d/\d{4} \d\d:\d\d: download 97\.5 Mbit/s, upload 96\.1 Mbit/s\.$", await last.InnerTextAsync());
        await context.CloseAsync();
    }

    [Fact]
    public async Task Planners_get_no_button_and_axe_finds_nothing_on_the_page_with_the_form()
    {
        IPage planner = await NocBrowser.SignInAsync(chromium.Browser, Noc, Path, NocFixture.Planner, NocFixture.Password);
        int plannersButtons = await planner.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Run throughput test" }).CountAsync();
        await planner.Context.CloseAsync();

        IPage engineer = await NocBrowser.SignInAsync(chromium.Browser, Noc, Path, NocFixture.Engineer, NocFixture.Password, bypassCsp: true);
        await NocBrowser.WaitUntilLiveAsync(engineer);
        await Expect(engineer.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Run throughput test" })).ToBeVisibleAsync();
        IReadOnlyList<string> violations = await NocBrowser.AxeViolationsAsync(engineer);

        Assert.Equal(0, plannersButtons);
        Assert.True(violations.Count == 0, string.Join('\n', violations));
        await engineer.Context.CloseAsync();
    }
}
