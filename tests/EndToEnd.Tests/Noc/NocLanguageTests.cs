using Microsoft.Playwright;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The NOC's pages in Dutch, French and English in headless Chromium: what the scripts write live (the connection's
/// state, a site's state, ages, chart values) comes from the page's texts in its language, numbers and times are
/// written by Intl as that language writes them, in the region's time zone, and the language switch's choice is kept
/// from page to page. Each test uses sites of its own in the shared NOC.
/// </summary>
public sealed class NocLanguageTests(ChromiumFixture chromium, NocFixture fixture) : IClassFixture<ChromiumFixture>, IClassFixture<NocFixture>
{
    private NocInstance Noc => fixture.Noc;

    [Theory]
    [InlineData("fr", 8, "En direct", "En service", "95,0 Mbit/s", "il y a ", "01/07/2026 12:05:09")]
    [InlineData("nl", 9, "Live", "In werking", "95,0 Mbit/s", " geleden", "01/07/2026, 12:05:09")]
    [InlineData("en", 10, "Live", "Up", "95.0 Mbit/s", " ago", "01/07/2026, 12:05:09")]
    public async Task The_site_page_writes_its_live_texts_numbers_and_times_in_the_language_of_the_page(
        string language, int siteIndex, string live, string up, string throughput, string age, string summerTime)
    {
        SeededSite site = Noc.Sites[siteIndex];
        string device = site.Devices[0];
        await Noc.ReportReachableAsync(site, reachable: true);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await Noc.IngestAsync(
        [
            new NocSample(site.Id, device, "if_in_bps", now, 95e6, new Dictionary<string, string> { ["if"] = "ether1", ["role"] = "wan" }),
        ]);

        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, $"/sites/{site.Id}?lang={language}");
        await NocBrowser.WaitUntilLiveAsync(page, live);
        var sitePage = new SitePage(page);
        await Expect(sitePage.Chart("throughput")).ToHaveAttributeAsync("data-points", "1");
        await Expect(page.Locator("#site-state")).ToHaveTextAsync(up);
        string latest = await sitePage.LatestAsync("throughput");
        string lastSeen = await sitePage.LastSeen(device).InnerTextAsync();
        // A summer time (UTC+2 in Brussels), written by the page's own formatter.
        string written = await page.EvaluateAsync<string>("async () => (await import('/js/noc.js')).when('2026-07-01T10:05:09Z')");

        Assert.Equal($"{language}-{(language == "en" ? "GB" : "BE")}", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains(throughput, latest, StringComparison.Ordinal);
        Assert.Contains(age, lastSeen, StringComparison.Ordinal);
        Assert.Equal(summerTime, written);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_engineer_who_switches_to_French_keeps_French_on_the_next_pages_and_acknowledges_in_French()
    {
        SeededSite site = Noc.Sites[11];
        await Noc.ReportReachableAsync(site, reachable: false);
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, "/", NocFixture.Engineer, NocFixture.Password);
        await NocBrowser.WaitUntilLiveAsync(page);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Français" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, "/?lang=fr");
        await NocBrowser.WaitUntilLiveAsync(page, "En direct");
        string board = await page.Locator("h1").InnerTextAsync();
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Alarmes", Exact = true }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, "/alarms");
        await NocBrowser.WaitUntilLiveAsync(page, "En direct");
        ILocator row = page.Locator($"#alarms tbody tr:has(a[href='/sites/{site.Id}'])").First;
        await row.GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByLabel("Note").FillAsync("fibre coupée");
        await page.Locator("#ack-button").ClickAsync();
        await Expect(page.Locator("#ack-result")).ToHaveTextAsync("1 alarme acquittée.", new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });

        Assert.Equal("Tableau d'état", board);
        Assert.Equal("Alarmes", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("acquittée", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Note : fibre coupée", await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
