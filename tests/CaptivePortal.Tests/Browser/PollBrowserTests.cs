using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Tests.Polls;
using Network.Contracts;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Browser;

/// <summary>The real portal on 127.0.0.1 (Kestrel) with the polls on, and a planner's client of its management API.</summary>
public sealed class PortalWithPolls : IAsyncLifetime
{
    public const string Password = "Sint-Joost-2026!";
    private readonly ServiceFactory<Program> _portal = new ServiceFactory<Program>().With("Radius:Enabled", "false")
        .With("Polls:PseudonymKey", PollFixture.Key).With("Polls:ManagementToken", PollPagesTests.Token);
    private int _port;

    public string PortalBase => $"http://127.0.0.1:{_port}";

    public HttpClient Api { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _port = Peers.FreeTcpPort();
        _portal.UseKestrel(_port);
        _portal.StartServer();
        Api = new HttpClient { BaseAddress = new Uri(PortalBase), Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PollPagesTests.Token);
        return Task.CompletedTask;
    }

    public Task<AccountChangeResult> CreateAccountAsync(string username) =>
        _portal.Services.GetRequiredService<AccountService>().CreateAsync(username, Password);

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await _portal.DisposeAsync();
    }
}

/// <summary>
/// Headless Chromium: three citizens with real accounts vote, propose and rate, a planner refuses one proposal through the
/// management API and its proposer reads why in French, the poll closes and the ranking is right; axe-core on every page
/// of the polls in Dutch, French and English. The pages need no JavaScript: every context here runs without it.
/// </summary>
public sealed class PollBrowserTests(ChromiumFixture chromium, PortalWithPolls portal) : IClassFixture<ChromiumFixture>, IClassFixture<PortalWithPolls>
{
    private async Task<IPage> NewPageAsync(string locale)
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.PortalBase,
            Locale = locale,
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        });
        return await context.NewPageAsync();
    }

    private async Task<long> NewPollAsync()
    {
        using HttpResponseMessage created = await portal.Api.PostAsJsonAsync("/api/v1/polls", PollFixture.Draft(DateTimeOffset.UtcNow.AddMinutes(-1)),
            PollsJsonContext.Default.PollDraft);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollView))!.Id;
    }

    /// <summary>A citizen in their own browser, signed in to the polls from the poll's page.</summary>
    private async Task<IPage> CitizenAsync(string username, string lang, long poll, string signInLink, string user, string password, string submit)
    {
        Assert.Equal(AccountChangeResult.Done, await portal.CreateAccountAsync(username));
        IPage page = await NewPageAsync(lang + "-BE");
        await page.GotoAsync($"/polls/{poll}?lang={lang}");
        await page.GetByRole(AriaRole.Link, new() { Name = signInLink }).First.ClickAsync();
        await page.GetByLabel(user).FillAsync(username);
        await page.GetByLabel(password, new() { Exact = true }).FillAsync(PortalWithPolls.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = submit }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/polls/{poll}");
        return page;
    }

    private static async Task ProposeAsync(IPage page, long poll, string lang, string name, string commune, string why)
    {
        await page.GotoAsync($"/polls/{poll}/propose?lang={lang}");
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#commune").SelectOptionAsync(commune);
        await page.Locator("#address").FillAsync("1 " + name);
        await page.Locator("#why").FillAsync(why);
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/polls/{poll}/mine");
    }

    private static async Task VoteAsync(IPage page, long poll, string lang, string option, string button)
    {
        await page.GotoAsync($"/polls/{poll}?lang={lang}");
        await page.GetByLabel(option, new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/polls/{poll}?lang={lang}&done=vote");
    }

    private static async Task RateAsync(IPage page, long poll, string lang, long proposal, int hearts)
    {
        await page.GotoAsync($"/polls/{poll}?lang={lang}");
        await page.Locator($"#proposal-{proposal}-h{hearts}").CheckAsync();
        await page.Locator($"section:has(#proposal-{proposal}) button[type=submit]").ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, new System.Text.RegularExpressions.Regex("done=rated"));
    }

    private async Task<long> IdOfAsync(long poll, string name) =>
        (await portal.Api.GetFromJsonAsync($"/api/v1/polls/{poll}/proposals", PollsJsonContext.Default.ProposalList))!.Proposals.Single(p => p.Name == name).Id;

    private async Task ModerateAsync(long poll, long proposal, ModerationRequest request)
    {
        using HttpResponseMessage response = await portal.Api.PostAsJsonAsync($"/api/v1/polls/{poll}/proposals/{proposal}/moderation", request,
            PollsJsonContext.Default.ModerationRequest);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Three_citizens_vote_propose_and_rate_a_refusal_is_read_in_French_and_the_closed_poll_ranks_right()
    {
        long poll = await NewPollAsync();
        IPage claire = await CitizenAsync("claire.martin", "fr", poll, "Connectez-vous pour voter, proposer et noter", "Nom d'utilisateur", "Mot de passe", "Se connecter");
        IPage joris = await CitizenAsync("joris.peeters", "nl", poll, "Meld je aan om te stemmen, voor te stellen en te beoordelen", "Gebruikersnaam", "Wachtwoord", "Aanmelden");
        IPage emma = await CitizenAsync("emma.smith", "en", poll, "Sign in to vote, propose and rate", "Username", "Password", "Sign in");

        await ProposeAsync(claire, poll, "fr", "Achetez nos téléphones", "uccle", "Promotion !");
        await ProposeAsync(joris, poll, "nl", "Sint-Gorikshallen", "bruxelles", "Veel mensen wachten daar.");
        await ProposeAsync(emma, poll, "en", "Flagey square", "ixelles", "Markets and buses.");
        long advert = await IdOfAsync(poll, "Achetez nos téléphones");
        long gorik = await IdOfAsync(poll, "Sint-Gorikshallen");
        long flagey = await IdOfAsync(poll, "Flagey square");
        await ModerateAsync(poll, advert, new ModerationRequest(ModerationActions.Refuse, "planner.an", Reason: RefusalReasons.Advertising));
        await ModerateAsync(poll, gorik, new ModerationRequest(ModerationActions.Approve, "planner.an"));
        await ModerateAsync(poll, flagey, new ModerationRequest(ModerationActions.Approve, "planner.an"));

        await VoteAsync(claire, poll, "fr", "Stations de métro", "Voter");
        await VoteAsync(joris, poll, "nl", "Metrostations", "Stemmen");
        await VoteAsync(emma, poll, "en", "Parks", "Vote");
        foreach ((IPage page, string lang, int forGorik, int forFlagey) in (IEnumerable<(IPage, string, int, int)>)[(claire, "fr", 5, 4), (joris, "nl", 5, 2), (emma, "en", 4, 5)])
        {
            await RateAsync(page, poll, lang, gorik, forGorik);
            await RateAsync(page, poll, lang, flagey, forFlagey);
        }

        await claire.GotoAsync($"/polls/{poll}/mine?lang=fr");
        string reason = await claire.Locator(".proposal-reason").InnerTextAsync();
        string state = await claire.Locator(".proposal-state").InnerTextAsync();

        PollDraft draft = PollFixture.Draft(DateTimeOffset.UtcNow.AddMinutes(-2));
        using HttpResponseMessage closed = await portal.Api.PutAsJsonAsync($"/api/v1/polls/{poll}",
            draft with { ClosesAt = DateTimeOffset.UtcNow.AddSeconds(-1), ProposalsOpenUntil = null }, PollsJsonContext.Default.PollDraft);
        IPage visitor = await NewPageAsync("en-GB");
        await visitor.GotoAsync($"/polls/{poll}/results?lang=en");
        IReadOnlyList<string> ranking = await visitor.Locator("#ranking tbody th").AllInnerTextsAsync();
        IReadOnlyList<string> metro = await visitor.Locator("#options tbody tr:has-text('Metro stations') td").AllInnerTextsAsync();

        Assert.Equal("Refusée parce que c'est de la publicité.", reason);
        Assert.Equal("Refusée.", state);
        Assert.Equal(System.Net.HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(["1", "2"], ranking);
        IReadOnlyList<string> names = await visitor.Locator("#ranking tbody td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(["Sint-Gorikshallen", "Flagey square"], names);
        Assert.Equal(["2", "67%"], metro);
        await visitor.GotoAsync($"/polls/{poll}?lang=en");
        Assert.Equal(1, await visitor.GetByText("Voting is closed.").CountAsync());
    }

    public static TheoryData<string> Languages => new() { "nl", "fr", "en" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Axe_finds_no_violation_on_the_polls_pages(string lang)
    {
        long poll = await NewPollAsync();
        string username = $"axe.{lang}.{poll}";
        Assert.Equal(AccountChangeResult.Done, await portal.CreateAccountAsync(username));
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.PortalBase, Locale = lang + "-BE", BypassCSP = true, ViewportSize = new ViewportSize { Width = 360, Height = 740 },
        });
        IPage page = await context.NewPageAsync();
        var found = new List<string>();

        async Task CheckAsync(string path)
        {
            await page.GotoAsync(path);
            string violations = await PortalBrowserTests.AxeViolationsAsync(page);
            if (violations.Length > 0)
            {
                found.Add($"{path}: {violations}");
            }
        }

        await CheckAsync($"/polls?lang={lang}");
        await CheckAsync($"/polls/{poll}?lang={lang}");
        await CheckAsync($"/polls/signin?lang={lang}&back=/polls/{poll}");
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync("wrong-password");
        await page.Locator("form button[type=submit]").ClickAsync();
        found.Add(await PortalBrowserTests.AxeViolationsAsync(page) is { Length: > 0 } failed ? "sign-in error: " + failed : "");
        await page.Locator("#password").FillAsync(PortalWithPolls.Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await PageNavigation.ArrivesAtAsync(page, $"/polls/{poll}");
        await ProposeAsync(page, poll, lang, "Simonisplein", "molenbeek-saint-jean", "Metro.");
        await ModerateAsync(poll, await IdOfAsync(poll, "Simonisplein"), new ModerationRequest(ModerationActions.Approve, "planner.an"));
        await CheckAsync($"/polls/{poll}?lang={lang}");
        await CheckAsync($"/polls/{poll}/propose?lang={lang}");
        await page.Locator("form button[type=submit]").First.ClickAsync();
        found.Add(await PortalBrowserTests.AxeViolationsAsync(page) is { Length: > 0 } propose ? "propose errors: " + propose : "");
        await CheckAsync($"/polls/{poll}/mine?lang={lang}");
        await CheckAsync($"/polls/signout?lang={lang}");
        using HttpResponseMessage shown = await portal.Api.PutAsJsonAsync($"/api/v1/polls/{poll}",
            PollFixture.Draft(DateTimeOffset.UtcNow.AddMinutes(-1), resultsWhileOpen: true), PollsJsonContext.Default.PollDraft);
        await CheckAsync($"/polls/{poll}/results?lang={lang}");

        Assert.Equal(System.Net.HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal([], found.Where(f => f.Length > 0));
    }
}
