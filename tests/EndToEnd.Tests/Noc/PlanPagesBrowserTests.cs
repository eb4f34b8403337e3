using System.Globalization;
using Microsoft.Playwright;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The rollout plan's pages in headless Chromium against the real NOC process: a planner plans a site and sets a year's
/// targets through the forms with script off, an engineer sees the plan and the targets without the forms, and axe-core
/// finds nothing on each page in nl, fr, en (the forms with their errors, an import refusing three rows).
/// </summary>
public sealed class PlanPagesBrowserTests(ChromiumFixture chromium, NocFixture fixture) : IClassFixture<ChromiumFixture>, IClassFixture<NocFixture>
{
    private static readonly int s_year = DateTimeOffset.UtcNow.Year;

    private NocInstance Noc => fixture.Noc;

    [Fact]
    public async Task A_planner_plans_a_new_site_through_the_form_with_script_off_and_finds_it_in_the_plan_and_the_progress()
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Noc.BaseUrl, JavaScriptEnabled = false, Locale = "en-GB" });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync("/plan/edit");
        await new LoginPage(page).SubmitAsync(NocFixture.Planner, NocFixture.Password);
        await PageNavigation.ArrivesAtAsync(page, "/plan/edit");
        await page.GotoAsync("/plan/edit?lang=nl");

        await page.GetByLabel("Site-id").FillAsync("hs-form-nieuw");
        await page.GetByLabel("Jaar").FillAsync(s_year.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Gepland kwartaal (1 tot 4)").FillAsync("4");
        await page.GetByLabel("Geraamde kost (EUR)").FillAsync("35.000,00");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Bewaren" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Een site die niet in de inventaris staat, heeft een naam nodig.");
        await page.GetByLabel("Naam", new PageGetByLabelOptions { Exact = true }).FillAsync("Nieuw plein");
        await page.GetByLabel("Soort").SelectOptionAsync("hotspot-outdoor");
        await page.GetByLabel("Gemeente").SelectOptionAsync("Jette");
        await page.GetByLabel("Breedtegraad (graden)").FillAsync("50,8771");
        await page.GetByLabel("Lengtegraad (graden)").FillAsync("4,3261");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Bewaren" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/plan?year={s_year}&saved=hs-form-nieuw");

        ILocator row = page.Locator("#plan tbody tr", new PageLocatorOptions { HasText = "hs-form-nieuw" });
        await Expect(row).ToContainTextAsync("EUR\u00A035.000,00");
        await Expect(row).ToContainTextAsync("Gepland");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Voortgang" }).ClickAsync();
        await Expect(page.Locator("#quarters-hotspots")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_planner_sets_next_years_targets_in_French_money_with_script_off_and_an_amount_in_another_format_is_refused()
    {
        int year = s_year + 1; // no other test sets next year's targets
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Noc.BaseUrl, JavaScriptEnabled = false, Locale = "en-GB" });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync("/plan");
        await new LoginPage(page).SubmitAsync(NocFixture.Planner, NocFixture.Password);
        await PageNavigation.ArrivesAtAsync(page, "/plan");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Targets" }).ClickAsync();
        await page.GotoAsync($"/plan/targets?year={year}&lang=fr");
        ILocator hotspots = page.GetByRole(AriaRole.Group, new PageGetByRoleOptions { Name = "Hotspots Urbizone" });
        ILocator schools = page.GetByRole(AriaRole.Group, new PageGetByRoleOptions { Name = "Fiber to the School" });

        await hotspots.GetByLabel("Nouveaux sites").FillAsync("20");
        await hotspots.GetByLabel("Budget (EUR)").FillAsync("35,000.00");
        await schools.GetByLabel("Nouveaux sites").FillAsync("28");
        await schools.GetByLabel("Budget (EUR)").FillAsync("1 000 000,00 EUR");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Enregistrer" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Hotspots Urbizone : Indiquez un budget en EUR avec 2 décimales au plus.");
        string kept = await schools.GetByLabel("Budget (EUR)").InputValueAsync();
        await hotspots.GetByLabel("Budget (EUR)").FillAsync("35 000,00 EUR");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Enregistrer" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/plan/targets?year={year}&saved=1");

        await Expect(page.Locator("#targets-saved")).ToHaveTextAsync($"Les objectifs de {year} sont enregistrés.");
        await Expect(page.Locator("#targets tr[data-programme='hotspots']")).ToContainTextAsync("35\u202F000,00\u00A0EUR");
        await Expect(page.Locator("#targets tr[data-programme='schools']")).ToContainTextAsync("1\u202F000\u202F000,00\u00A0EUR");
        Assert.Equal("1 000 000,00 EUR", kept);
        await page.GotoAsync($"/plan/targets?year={year}&lang=nl");
        await Expect(page.Locator("#targets tr[data-programme='hotspots']")).ToContainTextAsync("EUR\u00A035.000,00");
        await Expect(page.GetByRole(AriaRole.Group, new PageGetByRoleOptions { Name = "Urbizone-hotspots" }).GetByLabel("Budget (EUR)")).ToHaveValueAsync("EUR\u00A035.000,00");
        await context.CloseAsync();
    }

    [Fact]
    public async Task An_engineer_reads_the_targets_without_the_form()
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, $"/plan/targets?year={s_year}", NocFixture.Engineer, NocFixture.Password);

        await Expect(page.Locator("#targets")).ToBeVisibleAsync();
        await Expect(page.Locator("form[method=post][action='/plan/targets']")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_planned_site_whose_agent_starts_reporting_becomes_active_that_day_marked_as_the_networks_and_the_progress_count_moves()
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, $"/plan/progress?year={s_year}", NocFixture.Planner, NocFixture.Password);
        IAPIResponse planned = await page.APIRequest.PutAsync("/api/v1/plan/sites/hs-e2e-live", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Data = $$"""
                {"year":{{s_year}},"quarter":4,"state":"installing","name":"Live plein","kind":"hotspot-outdoor","commune":"Jette","latitude":50.88,"longitude":4.33}
                """,
        });
        Assert.True(planned.Ok, $"plan: {planned.Status}");
        await page.ReloadAsync();
        int before = await ActiveAsync(page);

        DateTimeOffset at = DateTimeOffset.UtcNow;
        await Noc.IngestAsync([new NocSample("hs-e2e-live", "hs-e2e-live", "device_reachable", at, 1)]);
        // The ingest writer runs a stored batch's observers (the plan's among them) before it writes the next batch:
        // once a second batch is answered, the first one's report has been seen by the plan.
        await Noc.ReportReachableAsync(Noc.Sites[0], reachable: true, readings: 1);
        await page.ReloadAsync();

        Assert.Equal(before + 1, await ActiveAsync(page));
        string day = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels")).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        await page.GotoAsync($"/plan?year={s_year}");
        ILocator row = page.Locator("#plan tbody tr", new PageLocatorOptions { HasText = "hs-e2e-live" });
        await Expect(row).ToContainTextAsync($"Active (changed by the network on {day})");
        await page.Context.CloseAsync();
    }

    /// <summary>The hotspots' active sites the progress page shows for the latest quarter begun.</summary>
    private static async Task<int> ActiveAsync(IPage page) =>
        int.Parse(await page.Locator("#quarters-hotspots td[data-active]:not([data-active=''])").Last.GetAttributeAsync("data-active") ?? "", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_engineer_reads_the_plan_without_the_links_to_the_forms_and_is_refused_the_form()
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, "/plan", NocFixture.Engineer, NocFixture.Password);

        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 })).ToHaveTextAsync($"Rollout plan {s_year}");
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Plan a site" })).ToHaveCountAsync(0);
        IResponse? form = await page.GotoAsync("/plan/edit");
        Assert.Equal(403, form?.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 })).ToHaveTextAsync("Not allowed");
        await page.Context.CloseAsync();
    }

    public static TheoryData<string> Pages() =>
    [
        "/plan", "/plan?lang=nl", "/plan?lang=fr", "/plan/edit", "/plan/edit?lang=nl", "/plan/edit?lang=fr&site=hs-axe",
        "/plan/import", "/plan/import?lang=nl", "/plan/import?lang=fr", "/plan/progress", "/plan/progress?lang=nl", "/plan/progress?lang=fr",
        "/plan/targets", "/plan/targets?lang=nl", "/plan/targets?lang=fr",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_accessibility_violation(string path)
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, path, NocFixture.Planner, NocFixture.Password, bypassCsp: true);
        await PlanSomeSitesAsync(page);
        await page.ReloadAsync();

        IReadOnlyList<string> violations = await NocBrowser.AxeViolationsAsync(page);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("nl")]
    [InlineData("fr")]
    public async Task Axe_finds_no_accessibility_violation_on_the_forms_with_their_errors(string language)
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, $"/plan/edit?lang={language}", NocFixture.Planner, NocFixture.Password, bypassCsp: true);
        await page.Locator("button[type=submit]").Last.ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        IReadOnlyList<string> formViolations = await NocBrowser.AxeViolationsAsync(page);

        await page.GotoAsync($"/plan/import?lang={language}");
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "plan.csv", MimeType = "text/csv", Buffer = "site;jaar;kwartaal;geraamde kost\r\nhs-axe;2026;9;1\r\nhs-axe-b;2026;1;veel\r\nhs-axe-c;twee;2;1\r\n"u8.ToArray(),
        });
        await page.Locator("button[type=submit]").Last.ClickAsync();
        await Expect(page.Locator("#refused li")).ToHaveCountAsync(3);
        IReadOnlyList<string> importViolations = await NocBrowser.AxeViolationsAsync(page);

        await page.GotoAsync($"/plan/targets?lang={language}");
        await page.Locator("#hotspots-budget").FillAsync("1.2.3");
        await page.Locator("button[type=submit]").Last.ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        IReadOnlyList<string> targetsViolations = await NocBrowser.AxeViolationsAsync(page);

        Assert.True(formViolations.Count == 0, string.Join('\n', formViolations));
        Assert.True(importViolations.Count == 0, string.Join('\n', importViolations));
        Assert.True(targetsViolations.Count == 0, string.Join('\n', targetsViolations));
        await page.Context.CloseAsync();
    }

    /// <summary>A planned site and a late one (through the API, with the page's session), so the table, the chart and the late list are drawn.</summary>
    private static async Task PlanSomeSitesAsync(IPage page)
    {
        foreach ((string site, int year, int quarter) in new[] { ("hs-axe", s_year, 4), ("hs-axe-late", s_year, 1) })
        {
            IAPIResponse response = await page.APIRequest.PutAsync($"/api/v1/plan/sites/{site}", new APIRequestContextOptions
            {
                Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
                Data = $$"""
                    {"year":{{year}},"quarter":{{quarter}},"estimatedCost":1234.5,"responsible":"Telenet","note":"","name":"Axe {{site}}",
                     "kind":"hotspot-indoor","commune":"Jette","address":"","latitude":50.88,"longitude":4.33}
                    """,
            });
            Assert.True(response.Ok, $"{site}: {response.Status}");
        }

        IAPIResponse target = await page.APIRequest.PutAsync($"/api/v1/plan/{s_year}/targets/hotspots", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Data = """{"sitesToAdd":20,"budget":500000,"schoolsTotal":null}""",
        });
        Assert.True(target.Ok, $"target: {target.Status}");
    }
}
