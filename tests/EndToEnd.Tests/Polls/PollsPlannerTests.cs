using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Network.EndToEnd.Tests.Noc;
using Network.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Network.EndToEnd.Tests.Polls;

/// <summary>
/// The real portal and the real NOC as processes, the NOC's polls pointed at the portal's management API with the token
/// both are given, citizens' accounts on the portal, a planner and an engineer on the NOC, and one poll made through the
/// API with a proposal approved and one waiting (for the pages' accessibility checks).
/// </summary>
public sealed class PollsFixture : IAsyncLifetime
{
    public const string Planner = "pieter";
    public const string Engineer = "erin";
    public const string Password = "a long enough password";
    public static readonly string[] Citizens = ["anna", "bram", "chloe", "dirk"];

    public PortalInstance Portal { get; private set; } = null!;

    public NocInstance Noc { get; private set; } = null!;

    /// <summary>The poll made through the API, with <see cref="Approved"/> approved and another proposal waiting.</summary>
    public long Poll { get; private set; }

    public long Approved { get; private set; }

    public async Task InitializeAsync()
    {
        Portal = await PortalInstance.StartAsync(Citizens);
        Noc = await NocInstance.StartAsync([(Planner, "planner", Password), (Engineer, "engineer", Password)], new Dictionary<string, string>
        {
            ["Pages__LoginAttemptsPerMinute"] = "1000",
            ["Polls__PortalUrl"] = Portal.BaseUrl,
            ["Polls__ManagementToken"] = Portal.ManagementToken,
        });
        DateTimeOffset now = DateTimeOffset.UtcNow;
        JsonElement poll = await Portal.SendJsonAsync(HttpMethod.Post, "/api/v1/polls", new
        {
            Title = new { Nl = "Hotspots in de parken", Fr = "Des hotspots dans les parcs", En = "Hotspots in the parks" },
            Description = new { Nl = "Welk park eerst?", Fr = "Quel parc d'abord ?", En = "Which park first?" },
            OpensAt = now.AddHours(-1),
            ClosesAt = now.AddDays(30),
            Options = new[]
            {
                new { Key = "north", Label = new { Nl = "Noord", Fr = "Nord", En = "North" } },
                new { Key = "south", Label = new { Nl = "Zuid", Fr = "Sud", En = "South" } },
            },
            ProposalsOpenUntil = now.AddDays(30),
            ResultsWhileOpen = false,
            RequiresOnlineAccount = false,
        });
        Poll = poll.GetProperty("id").GetInt64();
        using PortalCitizen dirk = await PortalCitizen.SignInAsync(Portal, "dirk");
        await dirk.ProposeAsync(Poll, "Warandepark", "bruxelles", "Many people read there at noon.", "north");
        await dirk.ProposeAsync(Poll, "Dudenpark", "forest", "A hill with a view and no signal.", "south");
        await dirk.VoteAsync(Poll, "north");
        Approved = await Portal.ProposalIdAsync(Poll, "Warandepark");
        await Portal.SendJsonAsync(HttpMethod.Post, $"/api/v1/polls/{Poll}/proposals/{Approved}/moderation", new { Action = "approve", Moderator = "fixture" });
        await dirk.RateAsync(Poll, Approved, 4);
    }

    public async Task DisposeAsync()
    {
        if (Noc is not null)
        {
            await Noc.DisposeAsync();
        }

        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }
    }
}

/// <summary>
/// The planners' side of the citizens' polls in headless Chromium against the real NOC and the real portal: a planner
/// makes a poll on the NOC's page, citizens propose, vote and rate on the portal, the planner moderates and reads the
/// ranking, and the winner becomes a candidate site of the rollout plan; an engineer only reads; axe-core on every page
/// in the three languages.
/// </summary>
public sealed class PollsPlannerTests(ChromiumFixture chromium, PollsFixture fixture) : IClassFixture<ChromiumFixture>, IClassFixture<PollsFixture>
{
    private static readonly TimeZoneInfo s_brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    private NocInstance Noc => fixture.Noc;

    private PortalInstance Portal => fixture.Portal;

    [Fact]
    public async Task A_planner_makes_a_poll_moderates_the_proposals_reads_the_ranking_and_plans_the_winner()
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, "/polls", PollsFixture.Planner, PollsFixture.Password);

        // The poll, made on the NOC's form (times typed in Brussels time).
        await page.GetByRole(AriaRole.Link, new() { Name = "New poll" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, "/polls/edit");
        await FillPollAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the poll" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, new Regex(@"/polls\?saved=\d+$"));
        long poll = long.Parse(new Uri(page.Url).Query.Split('=')[1], CultureInfo.InvariantCulture);
        await Expect(page.Locator("#polls-saved")).ToHaveTextAsync("The poll is saved.");
        await Expect(page.Locator("#polls tbody tr").Filter(new() { HasText = "Which zone first?" })).ToContainTextAsync("Open");
        JsonElement stored = await Portal.GetJsonAsync($"/api/v1/polls/{poll}");

        // Citizens on the portal.
        using PortalCitizen anna = await PortalCitizen.SignInAsync(Portal, "anna");
        using PortalCitizen bram = await PortalCitizen.SignInAsync(Portal, "bram");
        using PortalCitizen chloe = await PortalCitizen.SignInAsync(Portal, "chloe");
        await anna.ProposeAsync(poll, "Sint-Gorikshallen", "bruxelles", "The square is full every evening.", "squares");
        await bram.ProposeAsync(poll, "Buy shoes at Bram's", "ixelles", "Best shoes in town!");
        await chloe.ProposeAsync(poll, "Simonisplein", "molenbeek-saint-jean", "A market twice a week.", "squares");
        await anna.VoteAsync(poll, "metro-stations");
        await bram.VoteAsync(poll, "metro-stations");
        await chloe.VoteAsync(poll, "squares");

        // Moderation: two approved, the advertisement refused with its reason and a note.
        await page.GotoAsync($"/polls/{poll}/moderation");
        await Expect(page.Locator("#queue-count")).ToHaveTextAsync("Proposals waiting for a decision: 3");
        await DecideAsync(page, poll, "Sint-Gorikshallen", "Approve", "The proposal is approved.");
        await DecideAsync(page, poll, "Simonisplein", "Approve", "The proposal is approved.");
        ILocator shoes = page.GetByRole(AriaRole.Article, new() { Name = "Buy shoes at Bram's", Exact = true });
        await shoes.GetByLabel("Reason for refusal").SelectOptionAsync(new SelectOptionValue { Label = "Advertising" });
        await shoes.GetByLabel("Note (optional)").FillAsync("A shop is not a public place.");
        await DecideAsync(page, poll, "Buy shoes at Bram's", "Refuse", "The proposal is refused.");
        await Expect(page.Locator("#queue-empty")).ToBeVisibleAsync();
        JsonElement refused = await Portal.GetJsonAsync($"/api/v1/polls/{poll}/proposals/{await Portal.ProposalIdAsync(poll, "Buy shoes at Bram's")}");
        JsonElement record = refused.GetProperty("moderation").EnumerateArray().Single();
        string proposerPage = System.Net.WebUtility.HtmlDecode(await bram.PageAsync($"/polls/{poll}/mine?lang=fr"));

        // Ratings, then the results.
        long gorik = await Portal.ProposalIdAsync(poll, "Sint-Gorikshallen");
        long simonis = await Portal.ProposalIdAsync(poll, "Simonisplein");
        await anna.RateAsync(poll, gorik, 5);
        await bram.RateAsync(poll, gorik, 4);
        await chloe.RateAsync(poll, gorik, 5);
        await anna.RateAsync(poll, simonis, 2);
        await page.GotoAsync($"/polls/{poll}/results");
        IReadOnlyList<string> shares = await page.Locator("#option-results tbody tr").AllInnerTextsAsync();
        IReadOnlyList<string> ranking = await page.Locator("#ranking tbody tr").AllInnerTextsAsync();
        string csv = await (await page.Context.APIRequest.GetAsync($"/polls/{poll}/results?handler=csv")).TextAsync();
        await page.GotoAsync($"/polls/{poll}/results?zone=metro-stations");
        int inMetroZone = await page.Locator("#ranking tbody tr").CountAsync();

        // The winner into the rollout plan, keeping the link to the proposal and its score; a second time is refused.
        await page.GotoAsync($"/polls/{poll}/results");
        await page.Locator("#ranking tbody tr").First.GetByRole(AriaRole.Link, new() { Name = "Add to the plan as a candidate site" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/polls/{poll}/plan/{gorik}");
        string suggestedId = await page.GetByLabel("Site id").InputValueAsync();
        await page.GetByLabel("Commune").SelectOptionAsync("Brussel");
        await page.GetByLabel("Latitude").FillAsync("50.8484");
        await page.GetByLabel("Longitude").FillAsync("4.3479");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the plan as a candidate site" }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/polls/{poll}/results?planned=hs-sint-gorikshallen");
        await Expect(page.Locator("#plan-done")).ToHaveTextAsync("The proposal is now site hs-sint-gorikshallen of the rollout plan.");
        JsonElement entry = (await (await page.Context.APIRequest.GetAsync("/api/v1/plan/sites/hs-sint-gorikshallen")).JsonAsync())!.Value;
        await page.GotoAsync($"/polls/{poll}/plan/{gorik}");
        await page.GetByLabel("Site id").FillAsync("hs-gorikshallen-again");
        await page.GetByLabel("Commune").SelectOptionAsync("Brussel");
        await page.GetByLabel("Latitude").FillAsync("50.8484");
        await page.GetByLabel("Longitude").FillAsync("4.3479");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the plan as a candidate site" }).ClickAsync();
        string again = await page.Locator(".error-summary li").InnerTextAsync();

        Assert.Equal("open", stored.GetProperty("state").GetString());
        Assert.Equal(["metro-stations", "squares"], stored.GetProperty("poll").GetProperty("options").EnumerateArray().Select(o => o.GetProperty("key").GetString()));
        Assert.False(stored.GetProperty("poll").GetProperty("requiresOnlineAccount").GetBoolean());
        Assert.Equal("refuse", record.GetProperty("action").GetString());
        Assert.Equal(PollsFixture.Planner, record.GetProperty("moderator").GetString());
        Assert.Equal("advertising", record.GetProperty("reason").GetString());
        Assert.Equal("A shop is not a public place.", record.GetProperty("note").GetString());
        Assert.Contains("c'est de la publicité", proposerPage, StringComparison.Ordinal);
        Assert.Equal(["Metro stations\t2\t67%", "Squares\t1\t33%"], shares.Select(s => Regex.Replace(s, @"\s+%", "%")));
        Assert.StartsWith("1\tSint-Gorikshallen\tbruxelles\tSquares\t3\t4.67\t", ranking[0], StringComparison.Ordinal);
        Assert.StartsWith("2\tSimonisplein\tmolenbeek-saint-jean\tSquares\t1\t2.00\t", ranking[1], StringComparison.Ordinal);
        Assert.Equal(2, ranking.Count);
        Assert.StartsWith("rank,proposal_id,name,commune,address,latitude,longitude,option_key,ratings,mean_hearts,score", csv, StringComparison.Ordinal);
        Assert.Contains($"1,{gorik},Sint-Gorikshallen,bruxelles,", csv, StringComparison.Ordinal);
        Assert.Equal(0, inMetroZone);
        Assert.Equal("hs-sint-gorikshallen", suggestedId);
        Assert.Equal("planned", entry.GetProperty("state").GetString());
        Assert.Equal(PollsFixture.Planner, entry.GetProperty("updatedBy").GetString());
        Assert.Matches($@"^Citizens' poll {poll}, proposal {gorik}: score \d\.\d\d from 3 ratings ", entry.GetProperty("note").GetString());
        Assert.Equal("This proposal is already in the rollout plan, as site hs-sint-gorikshallen.", again);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_engineer_reads_the_polls_but_has_no_form_and_the_form_answers_403()
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, "/polls", PollsFixture.Engineer, PollsFixture.Password);
        int newLinks = await page.GetByRole(AriaRole.Link, new() { Name = "New poll" }).CountAsync();
        await page.GotoAsync($"/polls/{fixture.Poll}/moderation");
        int queue = await page.Locator("article.proposal").CountAsync();
        int decisions = await page.Locator("article.proposal form").CountAsync();
        IResponse? form = await page.GotoAsync("/polls/edit");
        IResponse? plan = await page.GotoAsync($"/polls/{fixture.Poll}/plan/{fixture.Approved}");

        Assert.Equal(0, newLinks);
        Assert.Equal(1, queue);
        Assert.Equal(0, decisions);
        Assert.Equal(403, form?.Status);
        Assert.Equal(403, plan?.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_NOC_with_another_token_than_the_portal_says_so_and_the_portal_refuses_its_calls()
    {
        await using NocInstance other = await NocInstance.StartAsync(environment: new Dictionary<string, string>
        {
            ["Polls__PortalUrl"] = Portal.BaseUrl,
            ["Polls__ManagementToken"] = "not-the-portal-token-" + new string('x', 32),
        });
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, other, "/polls");
        string message = await page.Locator("#polls-unavailable").InnerTextAsync();
        IAPIResponse api = await page.Context.APIRequest.GetAsync("/api/v1/polls");

        Assert.Equal("The portal refuses this NOC's management token: Polls:ManagementToken differs between the two. Ask an administrator.", message);
        Assert.Equal(502, api.Status);
        Assert.Equal(0, await page.Locator("#polls").CountAsync());
        await page.Context.CloseAsync();
    }

    public static TheoryData<string, string> Pages()
    {
        var data = new TheoryData<string, string>();
        foreach (string path in (string[])["/polls", "/polls/edit", "/polls/edit/{poll}", "/polls/{poll}/moderation", "/polls/{poll}/results", "/polls/{poll}/plan/{approved}"])
        {
            foreach (string language in (string[])["nl", "fr", "en"])
            {
                data.Add(path, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_accessibility_violation(string path, string language)
    {
        path = path.Replace("{poll}", fixture.Poll.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{approved}", fixture.Approved.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) + "?lang=" + language;
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, path, PollsFixture.Planner, PollsFixture.Password, bypassCsp: true);

        IReadOnlyList<string> violations = await NocBrowser.AxeViolationsAsync(page);

        Assert.Equal(language == "en" ? "en-GB" : language + "-BE", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(0, await page.Locator("#polls-unavailable").CountAsync());
        Assert.True(violations.Count == 0, string.Join('\n', violations));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("en", "There is a problem")]
    [InlineData("fr", "Il y a un problème")]
    public async Task Axe_finds_no_accessibility_violation_on_a_refused_poll_form_or_a_refused_decision(string language, string summary)
    {
        IPage page = await NocBrowser.SignInAsync(chromium.Browser, Noc, "/polls/edit?lang=" + language, PollsFixture.Planner, PollsFixture.Password, bypassCsp: true);
        await page.Locator("form.poll-form button[type=submit]").ClickAsync();
        await Expect(page.Locator(".error-summary h2")).ToHaveTextAsync(summary);
        IReadOnlyList<string> formViolations = await NocBrowser.AxeViolationsAsync(page);
        await page.GotoAsync($"/polls/{fixture.Poll}/moderation?lang=" + language);
        await page.Locator("article.proposal form:has(select[name=reason]) button[type=submit]").ClickAsync();
        await Expect(page.Locator(".error-summary h2")).ToHaveTextAsync(summary);
        IReadOnlyList<string> decisionViolations = await NocBrowser.AxeViolationsAsync(page);

        Assert.True(formViolations.Count == 0, string.Join('\n', formViolations));
        Assert.True(decisionViolations.Count == 0, string.Join('\n', decisionViolations));
        await page.Context.CloseAsync();
    }

    private static async Task FillPollAsync(IPage page)
    {
        DateTime now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, s_brussels).DateTime;
        string Local(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        (string Label, string Value)[] fields =
        [
            ("Title in Dutch", "Welke zone eerst?"), ("Title in French", "Quelle zone d'abord ?"), ("Title in English", "Which zone first?"),
            ("Description in Dutch", "Kies waar de volgende hotspots komen."), ("Description in French", "Choisissez où viendront les prochains hotspots."),
            ("Description in English", "Choose where the next hotspots go."),
            ("Opens at", Local(now.AddHours(-1))), ("Closes at", Local(now.AddDays(14))),
        ];
        foreach ((string label, string value) in fields)
        {
            await page.GetByLabel(label, new() { Exact = true }).FillAsync(value);
        }

        (string Nl, string Fr, string En)[] options = [("Metrostations", "Stations de métro", "Metro stations"), ("Pleinen", "Places", "Squares")];
        for (int i = 0; i < options.Length; i++)
        {
            await page.Locator($"#option-{i}-nl").FillAsync(options[i].Nl);
            await page.Locator($"#option-{i}-fr").FillAsync(options[i].Fr);
            await page.Locator($"#option-{i}-en").FillAsync(options[i].En);
        }

        await page.GetByLabel("Only accounts that have been online over Urbizone at least once take part").UncheckAsync();
    }

    /// <summary>Clicks a decision's button in a proposal's box and waits for the queue to say it is done.</summary>
    private static async Task DecideAsync(IPage page, long poll, string proposal, string button, string done)
    {
        await page.GetByRole(AriaRole.Article, new() { Name = proposal, Exact = true }).GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, new Regex($@"/polls/{poll}/moderation\?done="));
        await Expect(page.Locator("#moderation-done")).ToHaveTextAsync(done);
    }
}
