using System.Globalization;
using Microsoft.Playwright;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The monthly and yearly report pages in headless Chromium against the real NOC process: axe-core finds nothing on
/// either in nl, fr and en (with figures, charts and tables drawn), the period form works with script off, and printed
/// the report is its title block and tables without the navigation or the forms.
/// </summary>
public sealed class ReportPagesBrowserTests(ChromiumFixture chromium, NocFixture fixture) : IClassFixture<ChromiumFixture>, IClassFixture<NocFixture>
{
    private NocInstance Noc => fixture.Noc;

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (string language in new[] { "nl", "fr", "en" })
        {
            pages.Add($"/reports/monthly?lang={language}");
            pages.Add($"/reports/yearly?lang={language}");
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_accessibility_violation_on_the_report_pages(string path)
    {
        await PortalFiguresAsync();
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, path, NocFixture.Planner, NocFixture.Password, bypassCsp: true);
        await Expect(page.Locator("#top-chart-caption")).ToBeVisibleAsync();
        await Expect(page.Locator("#hotspots tbody tr")).Not.ToHaveCountAsync(0);
        if (path.StartsWith("/reports/yearly", StringComparison.Ordinal))
        {
            await Expect(page.Locator("svg.plan-chart")).ToHaveCountAsync(2);
        }

        IReadOnlyList<string> violations = await NocBrowser.AxeViolationsAsync(page);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_period_form_and_links_work_with_script_off_and_a_bad_year_is_answered_on_the_page()
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Noc.BaseUrl, JavaScriptEnabled = false, Locale = "en-GB" });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync("/reports/yearly?lang=en");
        await new LoginPage(page).SubmitAsync(NocFixture.Engineer, NocFixture.Password);
        await PageNavigation.ArrivesAtAsync(page, "/reports/yearly");
        int lastYear = DateTimeOffset.UtcNow.Year - 1;

        await page.GetByLabel("Year").FillAsync(lastYear.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/reports/yearly?year={lastYear}");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 })).ToHaveTextAsync($"Yearly report, {lastYear}");
        await page.Locator("#period-next").ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/reports/yearly?year={lastYear + 1}");

        await page.GetByLabel("Year").FillAsync("20266");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Choose a year from 2000 to 2100, written as 2026.");

        await page.GotoAsync("/reports/monthly?lang=nl");
        await page.GetByLabel("Maand").FillAsync($"{lastYear}-03");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Tonen" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/reports/monthly?month={lastYear}-03");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 })).ToHaveTextAsync($"Maandrapport, maart {lastYear}");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Printed_the_report_is_its_title_block_and_tables_without_the_navigation_or_the_forms()
    {
        await PortalFiguresAsync();
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, "/reports/yearly?lang=fr", NocFixture.Planner, NocFixture.Password);
        IReadOnlyList<ILocator> navigation = await page.Locator("nav").AllAsync();
        Assert.Equal(3, navigation.Count); // the main navigation, the language switch, the other periods
        foreach (ILocator nav in navigation)
        {
            await Expect(nav).ToBeVisibleAsync();
        }

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        await Expect(page.Locator("header.top")).ToBeHiddenAsync();
        foreach (ILocator nav in navigation)
        {
            await Expect(nav).ToBeHiddenAsync();
        }

        await Expect(page.Locator("form.report-period-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#csv-hotspots")).ToBeHiddenAsync();
        await Expect(page.Locator("#report-title")).ToBeVisibleAsync();
        await Expect(page.Locator("#report-issued")).ToContainTextAsync("Émis le");
        await Expect(page.Locator("#hotspots")).ToBeVisibleAsync();
        await Expect(page.Locator("#quarters-hotspots")).ToBeVisibleAsync();
        byte[] pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PreferCSSPageSize = true });
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        await page.Context.CloseAsync();
    }

    // This month's figures of two hotspots as the portal reports them (the wire names of Contracts, which this black-box
    // suite does not reference: device "hotspot"), so the tables and charts have rows and bars.
    private async Task PortalFiguresAsync()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await Noc.IngestAsync([
            new NocSample("hs-beursplein", "hotspot", "sessions_month", now, 1234),
            new NocSample("hs-beursplein", "hotspot", "logins_month", now, 1100),
            new NocSample("hs-beursplein", "hotspot", "octets_month", now, 12_345_678_901),
            new NocSample("hs-beursplein", "hotspot", "users_online", now, 12),
            new NocSample("hs-flageyplein", "hotspot", "sessions_month", now, 321),
            new NocSample("hs-flageyplein", "hotspot", "registrations_month", now, 5),
        ]);
    }
}
