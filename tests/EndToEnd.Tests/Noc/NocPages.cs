using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// Page objects of the NOC's dashboard, for every browser test of the NOC (these and the fleet test): each names what a
/// person sees (labels, roles, texts) and the <c>data-*</c> attributes the pages keep for machines (state, counts).
/// </summary>
public static class NocBrowser
{
    /// <summary>
    /// A fresh browser context (its own cookies) signed in through the login page, on <paramref name="path"/>.
    /// <paramref name="bypassCsp"/> only for injecting axe-core; the pages' own scripts never need it.
    /// </summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, NocInstance noc, string path = "/",
        string name = NocInstance.AdminName, string password = NocInstance.AdminPassword, bool bypassCsp = false)
    {
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = noc.BaseUrl,
            BypassCSP = bypassCsp,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        IPage page = await context.NewPageAsync();
        var login = new LoginPage(page);
        await page.GotoAsync(path);
        await login.SubmitAsync(name, password);
        await PageNavigation.ArrivesAtAsync(page, path);
        return page;
    }

    /// <summary>Waits for the header to say the page is live (connected, snapshot applied), in the page's language.</summary>
    public static Task WaitUntilLiveAsync(IPage page, string live = "Live") =>
        Expect(page.Locator("#live-status")).ToHaveTextAsync(live, new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });

    /// <summary>
    /// Starts watching, inside the page, for the first moment an element matching <paramref name="selector"/> exists:
    /// a MutationObserver stamps the page's wall clock then, so the measured latency is the page's, not the test's
    /// polling interval (Playwright's waits poll with a back-off of up to half a second).
    /// </summary>
    public static Task WatchForAsync(IPage page, string selector) =>
        page.EvaluateAsync("""
            selector => {
              const seen = (window.__seen ??= {});
              const stamp = () => { if (!(selector in seen) && document.querySelector(selector)) { seen[selector] = Date.now(); } };
              new MutationObserver(stamp).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
              stamp();
            }
            """, selector);

    /// <summary>When (Unix milliseconds, the page's clock) the element watched by <see cref="WatchForAsync"/> appeared.</summary>
    public static async Task<DateTimeOffset> SeenAtAsync(IPage page, string selector, int timeoutMs)
    {
        IJSHandle handle = await page.WaitForFunctionAsync("selector => window.__seen && window.__seen[selector]", selector,
            new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 20 });
        return DateTimeOffset.FromUnixTimeMilliseconds(await handle.JsonValueAsync<long>());
    }

    /// <summary>The number the page shows for sites in <paramref name="state"/> (the first such count on the page).</summary>
    public static async Task<int> CountAsync(IPage page, string state) =>
        int.Parse(await page.Locator($"[data-count='{state}']").First.InnerTextAsync(), CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs axe-core (from the NOC's npm devDependencies) in the page and returns its violations as
    /// "rule (impact): help: targets" lines. The page must come from a context made with <c>bypassCsp</c>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        string axe = Path.Combine(Network.TestSupport.ServiceProcess.RepositoryRoot, NocInstance.Project, "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"{axe} is missing: building the NOC runs npm ci, which installs it");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
        JsonElement violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ["violations"] });
              return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
            }
            """);
        return [.. violations.EnumerateArray().Select(v => v.GetString()!)];
    }
}

/// <summary>The login page.</summary>
public sealed class LoginPage(IPage page)
{
    /// <summary>The error summary's message (the same message stands at the field it names).</summary>
    public ILocator Error => page.Locator(".error-summary li");

    public async Task SubmitAsync(string name, string password)
    {
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
    }
}

/// <summary>The status board at <c>/</c>.</summary>
public sealed class StatusBoardPage(IPage page)
{
    public IPage Page => page;

    /// <summary>Every site row, in the order shown.</summary>
    public ILocator Rows => page.Locator("#sites tbody tr");

    public ILocator Row(string siteId) => page.Locator($"#sites tbody tr[data-site='{siteId}']");

    public async Task<string?> StateOfAsync(string siteId) => await Row(siteId).GetAttributeAsync("data-state");

    /// <summary>Waits until the row of <paramref name="siteId"/> shows <paramref name="state"/> (Down, Degraded, Unknown, Up).</summary>
    public Task WaitForStateAsync(string siteId, string state, float timeoutMs) =>
        page.Locator($"#sites tbody tr[data-site='{siteId}'][data-state='{state}']").WaitForAsync(new LocatorWaitForOptions { Timeout = timeoutMs });

    /// <summary>The site ids in the order the board lists them.</summary>
    public async Task<IReadOnlyList<string>> OrderAsync() =>
        [.. (await Rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.site)"))];

    public Task FilterAsync(string text) => page.GetByLabel("Filter").FillAsync(text);
}

/// <summary>The alarm list at <c>/alarms</c>.</summary>
public sealed class AlarmsPage(IPage page)
{
    public IPage Page => page;

    public ILocator Rows => page.Locator("#alarms tbody tr");

    public ILocator Row(long alarmId) => page.Locator($"#alarms tbody tr[data-alarm='{alarmId}']");

    public ILocator Result => page.Locator("#ack-result");

    public ILocator AcknowledgeButton => page.Locator("#ack-button");

    public Task SelectAsync(long alarmId) => Row(alarmId).GetByRole(AriaRole.Checkbox).CheckAsync();

    /// <summary>Acknowledges the selected alarms with <paramref name="note"/> and waits for the page to confirm.</summary>
    public async Task AcknowledgeSelectedAsync(string note)
    {
        await page.GetByLabel("Note").FillAsync(note);
        await AcknowledgeButton.ClickAsync();
        await Expect(Result).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Acknowledged \\d+ alarms?\\.$"),
            new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });
    }

    /// <summary>Shows alarms by the filter form (state: active, open, acknowledged, cleared).</summary>
    public async Task FilterAsync(string state, string? siteId = null)
    {
        await page.GetByLabel("State").SelectOptionAsync(state);
        if (siteId is not null)
        {
            await page.GetByLabel("Site").SelectOptionAsync(siteId);
        }

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, new Regex("[?&]state=" + Regex.Escape(state) + "(&|#|$)"));
        await NocBrowser.WaitUntilLiveAsync(page);
    }
}

/// <summary>A site's page at <c>/sites/{id}</c>.</summary>
public sealed class SitePage(IPage page)
{
    public IPage Page => page;

    public ILocator Devices => page.Locator("#devices tbody tr");

    public ILocator OpenAlarms => page.Locator("#site-alarms tbody tr");

    /// <summary>The chart box of <c>throughput</c>, <c>latency</c> or <c>clients</c>.</summary>
    public ILocator Chart(string name) => page.Locator($"#chart-{name}");

    /// <summary>How many points the chart holds (its <c>data-points</c>).</summary>
    public async Task<int> PointsAsync(string chart) =>
        int.Parse(await Chart(chart).GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);

    public Task<string> LatestAsync(string chart) => page.Locator($"#{chart}-latest").InnerTextAsync();

    public async Task<string?> StateAsync() => await page.Locator("body").GetAttributeAsync("data-state");

    /// <summary>The "Last seen" time of a device (its <c>datetime</c> is the exact time).</summary>
    public ILocator LastSeen(string device) => page.Locator($"#devices tbody tr[data-device='{device}'] td:last-child time");

    /// <summary>The labels of a chart's value axis, as drawn (its <c>data-y-ticks</c>, "|" between them).</summary>
    public async Task<IReadOnlyList<string>> AxisLabelsAsync(string chart) =>
        (await Chart(chart).GetAttributeAsync("data-y-ticks") ?? "").Split('|');
}

/// <summary>The map at <c>/map</c>.</summary>
public sealed class MapPage(IPage page)
{
    public IPage Page => page;

    public ILocator Sites => page.Locator("#map a.site");

    public ILocator Site(string siteId) => page.Locator($"#map a.site[data-site='{siteId}']");

    public ILocator Tooltip => page.Locator("#map-tip");
}
