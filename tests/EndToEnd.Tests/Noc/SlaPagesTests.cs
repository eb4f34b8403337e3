using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Network.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The SLA pages in headless Chromium against the real NOC: axe-core on each in Dutch, French and English (a school's
/// month with throughput tests drawn, the programme, the SLA form with its errors, the maintenance windows), the print
/// style sheet, and forms that work without script (post, redirect, get).
/// </summary>
public sealed partial class SlaPagesTests(ChromiumFixture chromium, NocFixture fixture) : IClassFixture<ChromiumFixture>, IClassFixture<NocFixture>
{
    // A school no other browser test of the shared NOC touches.
    private const string School = "fts-anderlecht";

    private NocInstance Noc => fixture.Noc;

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (string language in new[] { "nl", "fr", "en" })
        {
            foreach (string path in new[] { $"/sla/schools/{School}", "/sla/programme", $"/sla/schools/{School}/edit", "/sla/maintenance" })
            {
                pages.Add($"{path}?lang={language}");
            }
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_accessibility_violation_on_the_SLA_pages(string path)
    {
        await ThroughputTestsAsync();
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, path, NocFixture.Planner, NocFixture.Password, bypassCsp: true);
        if (path.StartsWith($"/sla/schools/{School}?", StringComparison.Ordinal))
        {
            await Expect(page.Locator("#throughput-tests-caption")).ToBeVisibleAsync();
            await Expect(page.Locator("svg.sla-chart .test-down")).Not.ToHaveCountAsync(0);
        }

        IReadOnlyList<string> violations = await NocBrowser.AxeViolationsAsync(page);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_SLA_form_works_without_script_shows_its_errors_accessibly_and_saves()
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Noc.BaseUrl, BypassCSP = true, JavaScriptEnabled = false });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync($"/sla/schools/{School}/edit?lang=fr");
        await new LoginPage(page).SubmitAsync(NocFixture.Planner, NocFixture.Password);
        await PageNavigation.ArrivesAtAsync(page, $"/sla/schools/{School}/edit");

        await page.Locator("#objective").FillAsync("150");
        await page.Locator("form.sla-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#objective-error")).ToContainTextAsync("Un pourcentage de 0 à 100.");
        await context.CloseAsync();

        // axe needs script: the same refused form again in a context with it.
        IPage checkedPage = await NocBrowser.SignInAsync(chromium.Browser, Noc, $"/sla/schools/{School}/edit?lang=nl", NocFixture.Planner, NocFixture.Password, bypassCsp: true);
        await checkedPage.Locator("#objective").FillAsync("150");
        await checkedPage.Locator("form.sla-form button[type=submit]").ClickAsync();
        await Expect(checkedPage.Locator("#objective-error")).ToContainTextAsync("Een percentage van 0 tot 100.");
        IReadOnlyList<string> violations = await NocBrowser.AxeViolationsAsync(checkedPage);
        Assert.True(violations.Count == 0, string.Join('\n', violations));

        await checkedPage.Locator("#objective").FillAsync("99,7");
        await checkedPage.Locator("form.sla-form button[type=submit]").ClickAsync();
        await PageNavigation.ArrivesAtAsync(checkedPage, $"/sla/schools/{School}");
        await Expect(checkedPage.Locator("#objective")).ToHaveTextAsync("99,700%");
        await checkedPage.Context.CloseAsync();
    }

    [Fact]
    public async Task Printed_the_school_month_is_the_report_without_navigation_or_links_to_click()
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, $"/sla/schools/{School}?lang=en", NocFixture.Planner, NocFixture.Password);
        await Expect(page.Locator("nav.sla-nav")).ToBeVisibleAsync();

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        await Expect(page.Locator("nav.sla-nav")).ToBeHiddenAsync();
        await Expect(page.Locator("header").First).ToBeHiddenAsync();
        await Expect(page.Locator("#sla-facts")).ToBeVisibleAsync();
        await Expect(page.Locator("#minutes")).ToBeVisibleAsync();
        byte[] pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PreferCSSPageSize = true });
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        await page.Context.CloseAsync();
    }

    // This hour's throughput tests of the school as its agent reports them (the wire names of Contracts, which this
    // black-box suite does not reference; device uplink): a download at 96 Mbit/s and
    // an upload at 99 (the committed rate is 100).
    private async Task ThroughputTestsAsync()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await Noc.IngestAsync([
            new NocSample(School, "uplink", "throughput_download_mbps", now, 96),
            new NocSample(School, "uplink", "throughput_upload_mbps", now, 99),
        ]);
    }
}

/// <summary>
/// Issue 16's end to end: the fleet simulator's school router polled by the edge agent, which sends to the NOC; the
/// simulator cuts the school's uplink and mends it; the school's SLA page shows the incident with the duration of the
/// alarm's own times, and its CSV has the same figures as the page.
/// </summary>
public sealed partial class SlaFleetIncidentTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly TempFolder _folder = new("e2e-sla");

    [Fact]
    public async Task A_school_link_taken_down_and_brought_back_is_an_incident_on_the_school_SLA_page_and_in_its_CSV()
    {
        await using NocInstance noc = await NocInstance.StartAsync();
        int basePort = Peers.FreeUdpPort();
        await using PeerProcess fleet = ServiceProcess.Start("tools/FleetSimulator", "Network.FleetSimulator",
            ["--devices", "2", "--base-port", basePort.ToString(CultureInfo.InvariantCulture)]);
        await Peers.WaitUntilAsync(() => Task.FromResult(fleet.Output.Contains("serving", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the fleet serving");
        // Device 1 of the fleet is a school router; its sysName is the school's site id in the seed file.
        Match listed = SchoolLine().Match(fleet.Output);
        Assert.True(listed.Success, fleet.Output);
        string school = listed.Groups[1].Value;
        Assert.Equal("school", noc.Site(school).Kind);
        output.WriteLine($"school router: {school}");

        string config = _folder.PathOf("agent.json");
        await File.WriteAllTextAsync(config, new JsonObject
        {
            ["Agent"] = new JsonObject
            {
                ["Site"] = new JsonObject { ["Id"] = school, ["Kind"] = "school", ["AgentId"] = NocInstance.AgentId },
                ["Noc"] = new JsonObject { ["Url"] = noc.BaseUrl + "/", ["Token"] = noc.AgentToken, ["IdleSeconds"] = 0.2, ["MaxBackoffSeconds"] = 2 },
                ["Polling"] = new JsonObject
                {
                    ["IntervalSeconds"] = 1,
                    ["Devices"] = new JsonArray(new JsonObject { ["Name"] = school, ["Address"] = $"127.0.0.1:{basePort + 1}", ["Community"] = "public" }),
                },
                ["Queue"] = new JsonObject { ["Folder"] = _folder.PathOf("queue") },
            },
        }.ToJsonString());
        await using PeerProcess agent = ServiceProcess.Start("edge-agent/EdgeAgent", "edge-agent", ["--config", config]);

        IPage page = await NocBrowser.SignInAsync(chromium.Browser, noc, $"/sites/{school}", bypassCsp: true);
        await Expect(page.Locator("#site-sla-link")).ToBeVisibleAsync();
        var board = new StatusBoardPage(await page.Context.NewPageAsync());
        await board.Page.GotoAsync("/");
        await board.WaitForStateAsync(school, "Up", 30_000);

        await fleet.WriteLineAsync("down 1");
        await board.WaitForStateAsync(school, "Down", 15_000);
        await fleet.WriteLineAsync("up 1");
        await board.WaitForStateAsync(school, "Up", 15_000);

        // The alarm's own times give the expected duration.
        JsonElement alarm = default;
        await Peers.WaitUntilAsync(async () =>
        {
            IAPIResponse response = await page.Context.APIRequest.GetAsync($"/api/v1/alarms?state=all&site={school}");
            alarm = (await response.JsonAsync())!.Value.EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("kind").GetString() == "down" && a.GetProperty("clearedAt").ValueKind == JsonValueKind.String);
            return alarm.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(15), "the cleared down alarm");
        DateTimeOffset opened = alarm.GetProperty("openedAt").GetDateTimeOffset();
        DateTimeOffset cleared = alarm.GetProperty("clearedAt").GetDateTimeOffset();
        long alarmId = alarm.GetProperty("id").GetInt64();
        output.WriteLine($"alarm #{alarmId}: {opened:O} to {cleared:O}, {(cleared - opened).TotalSeconds:0.0} s");

        await page.Locator("#site-sla-link").ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/sla/schools/{school}");
        ILocator row = page.Locator("#incidents tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        string minutes = (await row.Locator("td.num[data-minutes]").GetAttributeAsync("data-minutes"))!;
        Assert.Equal((cleared - opened).TotalMinutes, double.Parse(minutes, CultureInfo.InvariantCulture), 6);
        await Expect(row).ToContainTextAsync($"#{alarmId}");
        await Expect(page.Locator("#incident-count")).ToHaveTextAsync("1");

        // The CSV of the month (the page's own link) has the page's figures.
        IAPIResponse csvResponse = await page.Context.APIRequest.GetAsync((await page.Locator("#csv").GetAttributeAsync("href"))!);
        string[] lines = (await csvResponse.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] header = lines[0].Split(',');
        string[] values = lines[1].Split(',');
        string Column(string name) => values[Array.IndexOf(header, name)];
        Assert.Equal(school, Column("site"));
        Assert.Equal("1", Column("incidents"));
        Assert.Equal(Math.Round((cleared - opened).TotalMinutes, 3), double.Parse(Column("down_minutes"), CultureInfo.InvariantCulture));
        Assert.Equal(Math.Round((cleared - opened).TotalMinutes, 3), double.Parse(Column("mttr_minutes"), CultureInfo.InvariantCulture));
        string pageDown = await page.Locator("#minutes-down td").First.InnerTextAsync();
        Assert.Equal(Math.Round(double.Parse(Column("down_minutes"), CultureInfo.InvariantCulture), MidpointRounding.AwayFromZero),
            double.Parse(pageDown, NumberStyles.Number, CultureInfo.GetCultureInfo("en-GB")));

        IReadOnlyList<string> violations = await NocBrowser.AxeViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.False(agent.HasExited, agent.Output);
        await page.Context.CloseAsync();
    }

    public void Dispose() => _folder.Dispose();

    // The fleet's list: index, port, kind, sysName, location.
    [GeneratedRegex(@"^\s*1\s+\d+\s+\S+\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex SchoolLine();
}
