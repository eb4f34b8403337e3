using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Tests.Portal;
using Network.Contracts;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Polls;

/// <summary>
/// The polls in the portal in memory: the citizens' pages (sign-in, vote, rate, propose, my page, results) with one voice per
/// account, and the management API behind its token. The clock is fake, so a poll closes when the test says so.
/// </summary>
public sealed class PollPagesTests : IAsyncLifetime
{
    public const string Token = "management-token-for-tests-0123456789";
    private const string Password = "Flagey-2026-wifi";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ServiceFactory<Program> _portal;
    private HttpClient _api = null!;

    public PollPagesTests()
    {
        _portal = new ServiceFactory<Program>().With("Radius:Enabled", "false").With("Polls:PseudonymKey", PollFixture.Key)
            .With("Polls:ManagementToken", Token).WithServices(services => services.AddSingleton<TimeProvider>(_time));
    }

    public Task InitializeAsync()
    {
        _api = _portal.CreateClient();
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _portal.DisposeAsync();
    }

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    private async Task<long> NewPollAsync(bool resultsWhileOpen = false)
    {
        using HttpResponseMessage created = await _api.PostAsJsonAsync("/api/v1/polls", PollFixture.Draft(_time.GetUtcNow(), resultsWhileOpen: resultsWhileOpen),
            PollsJsonContext.Default.PollDraft);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        PollView view = (await created.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollView))!;
        Assert.Equal($"/api/v1/polls/{view.Id}", created.Headers.Location?.OriginalString);
        return view.Id;
    }

    /// <summary>A citizen with a real account, signed in to the polls in their own client (their own browser).</summary>
    private async Task<PortalClient> CitizenAsync(string username, bool create = true)
    {
        if (create)
        {
            Assert.Equal(AccountChangeResult.Done, await _portal.Services.GetRequiredService<AccountService>().CreateAsync(username, Password));
        }

        var client = new PortalClient(_portal);
        var (status, _, response) = await client.SubmitAsync("/polls/signin?lang=en", Fields(("username", username), ("password", Password), ("back", "/polls")));
        Assert.Equal(HttpStatusCode.SeeOther, status);
        return client;
    }

    private async Task<PollView> PollAsync(long id) => (await _api.GetFromJsonAsync($"/api/v1/polls/{id}", PollsJsonContext.Default.PollView))!;

    [Fact]
    public async Task The_API_answers_401_without_or_with_a_wrong_token_and_404_when_no_token_is_configured()
    {
        using HttpClient anonymous = _portal.CreateClient();
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/polls");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token[..^1] + "x");
        await using ServiceFactory<Program> off = new ServiceFactory<Program>().With("Radius:Enabled", "false").With("Polls:PseudonymKey", PollFixture.Key);
        using HttpClient offClient = off.CreateClient();
        offClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using HttpResponseMessage missing = await anonymous.GetAsync(new Uri("/api/v1/polls", UriKind.Relative));
        using HttpResponseMessage refused = await anonymous.SendAsync(wrong);
        using HttpResponseMessage notThere = await offClient.GetAsync(new Uri("/api/v1/polls", UriKind.Relative));
        using HttpResponseMessage allowed = await _api.GetAsync(new Uri("/api/v1/polls", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("token_required", (await refused.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollProblem))!.Code);
        Assert.Equal(HttpStatusCode.NotFound, notThere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task The_API_refuses_a_poll_that_is_not_valid_with_a_code()
    {
        PollDraft draft = PollFixture.Draft(_time.GetUtcNow());

        using HttpResponseMessage closesFirst = await _api.PostAsJsonAsync("/api/v1/polls", draft with { ClosesAt = draft.OpensAt.AddHours(-1) },
            PollsJsonContext.Default.PollDraft);
        using HttpResponseMessage oneOption = await _api.PostAsJsonAsync("/api/v1/polls", draft with { Options = [draft.Options[0]] }, PollsJsonContext.Default.PollDraft);
        using var junk = new StringContent("{\"title\":", System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage broken = await _api.PostAsync(new Uri("/api/v1/polls", UriKind.Relative), junk);

        Assert.Equal(HttpStatusCode.BadRequest, closesFirst.StatusCode);
        Assert.Equal("closes_before_it_opens", (await closesFirst.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollProblem))!.Code);
        Assert.Equal("options_count", (await oneOption.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollProblem))!.Code);
        Assert.Equal("json_invalid", (await broken.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollProblem))!.Code);
        Assert.Empty((await _api.GetFromJsonAsync("/api/v1/polls", PollsJsonContext.Default.PollList))!.Polls);
    }

    [Fact]
    public async Task Signing_in_to_the_polls_sets_a_cookie_on_polls_only_and_makes_no_wifi_session()
    {
        Assert.Equal(AccountChangeResult.Done, await _portal.Services.GetRequiredService<AccountService>().CreateAsync("anna.janssens", Password));
        using var client = new PortalClient(_portal);

        var (wrong, wrongBody, _) = await client.SubmitAsync("/polls/signin?lang=fr", Fields(("username", "anna.janssens"), ("password", "nope"), ("back", "/polls")));
        var (status, _, response) = await client.SubmitAsync("/polls/signin?lang=fr",
            Fields(("username", "anna.janssens"), ("password", Password), ("back", "https://evil.example/")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong);
        Assert.Contains("class=\"error-summary\"", wrongBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.Equal("/polls?lang=fr", response.Headers.Location?.OriginalString);
        string cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("polls=", StringComparison.Ordinal));
        Assert.Contains("path=/polls", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("anna", cookie, StringComparison.OrdinalIgnoreCase);
        var (_, list, _) = await client.GetAsync("/polls?lang=fr");
        Assert.Contains("Se déconnecter (anna.janssens)", PortalClient.Decode(list), StringComparison.Ordinal);
        var sessions = _portal.Services.GetRequiredService<Network.CaptivePortal.Sessions.SessionStore>();
        Assert.Empty(await sessions.ListOpenAsync());
        Assert.False(await sessions.HasBeenOnlineAsync("anna.janssens"));
    }

    [Fact]
    public async Task One_account_one_voice_from_a_second_browser_and_a_replayed_form()
    {
        long poll = await NewPollAsync();
        using PortalClient first = await CitizenAsync("anna.janssens");
        using PortalClient second = await CitizenAsync("anna.janssens", create: false);
        using PortalClient stranger = new(_portal);

        var (voted, _, votedAt) = await first.SubmitAsync($"/polls/{poll}?lang=en", Fields(("kind", "vote"), ("option", "metro")));
        var (changed, _, changedAt) = await second.SubmitAsync($"/polls/{poll}?lang=en", Fields(("kind", "vote"), ("option", "parks")));
        // The same form posted again from another browser without its antiforgery cookie, and again from the first one.
        var (page, _, _) = await first.GetAsync($"/polls/{poll}?lang=en");
        var (_, form, _) = await first.GetAsync($"/polls/{poll}?lang=en");
        string token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)").Groups[1].Value;
        var (replayed, replayedBody, _) = await stranger.PostAsync($"/polls/{poll}?lang=en",
            Fields(("kind", "vote"), ("option", "markets"), ("__RequestVerificationToken", token)));
        var (again, _, _) = await first.PostAsync($"/polls/{poll}?lang=en", Fields(("kind", "vote"), ("option", "parks"), ("__RequestVerificationToken", token)));

        Assert.Equal(HttpStatusCode.SeeOther, voted);
        Assert.Equal($"/polls/{poll}?lang=en&done=vote", votedAt.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.SeeOther, changed);
        Assert.Equal($"/polls/{poll}?lang=en&done=changed", changedAt.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page);
        Assert.Equal(HttpStatusCode.BadRequest, replayed);
        Assert.Contains("class=\"error-summary\"", replayedBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, again);
        Assert.Equal(1, (await PollAsync(poll)).Votes);
        PollResults results = (await _api.GetFromJsonAsync($"/api/v1/polls/{poll}/results", PollsJsonContext.Default.PollResults))!;
        Assert.Equal(1, results.Options.Single(o => o.Key == "parks").Votes);
        var (_, mine, _) = await first.GetAsync($"/polls/{poll}/mine?lang=en");
        Assert.Contains("You voted for: Parks.", PortalClient.Decode(mine), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vote_after_closing_from_a_locked_account_or_a_rating_outside_one_to_five_is_refused_with_a_message()
    {
        long poll = await NewPollAsync();
        using PortalClient anna = await CitizenAsync("anna.janssens");
        using PortalClient bart = await CitizenAsync("bart.peeters");
        var (_, _, proposed) = await anna.SubmitAsync($"/polls/{poll}/propose?lang=en",
            Fields(("name", "Simonisplein"), ("commune", "molenbeek-saint-jean"), ("address", "Simonisplein 1"), ("why", "Metro and market."), ("option", "metro")));
        Assert.Equal($"/polls/{poll}/mine?lang=en&done=proposed", proposed.Headers.Location?.OriginalString);
        ProposalView place = (await _api.GetFromJsonAsync($"/api/v1/polls/{poll}/proposals?state=new", PollsJsonContext.Default.ProposalList))!.Proposals.Single();
        using HttpResponseMessage approve = await _api.PostAsJsonAsync($"/api/v1/polls/{poll}/proposals/{place.Id}/moderation",
            new ModerationRequest(ModerationActions.Approve, "planner.an"), PollsJsonContext.Default.ModerationRequest);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);

        var (tooMany, tooManyBody, _) = await anna.SubmitAsync($"/polls/{poll}?lang=en", Fields(("kind", "rate"), ("proposal", place.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("hearts", "7")));
        var (none, _, _) = await anna.SubmitAsync($"/polls/{poll}?lang=en", Fields(("kind", "rate"), ("proposal", place.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("hearts", "0")));
        var (rated, _, _) = await anna.SubmitAsync($"/polls/{poll}?lang=en", Fields(("kind", "rate"), ("proposal", place.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("hearts", "4")));
        await _portal.Services.GetRequiredService<AccountService>().LockAsync("bart.peeters");
        var (locked, lockedBody, _) = await bart.SubmitAsync($"/polls/{poll}?lang=en", Fields(("kind", "vote"), ("option", "metro")));
        _time.Advance(TimeSpan.FromDays(31));
        // The sign-in has expired with the poll's month; signed in again, a vote is posted (the page no longer shows the form).
        using PortalClient later = await CitizenAsync("anna.janssens", create: false);
        string closedPage = (await later.GetAsync($"/polls/{poll}?lang=en")).Body;
        var (late, lateBody, _) = await later.PostAsync($"/polls/{poll}?lang=en", Fields(("kind", "vote"), ("option", "metro"),
            ("__RequestVerificationToken", System.Text.RegularExpressions.Regex.Match(closedPage, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)").Groups[1].Value)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany);
        Assert.Contains("Choose from one to five hearts.", PortalClient.Decode(tooManyBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none);
        Assert.Equal(HttpStatusCode.SeeOther, rated);
        Assert.Equal(HttpStatusCode.Forbidden, locked);
        Assert.Contains("This account is locked", PortalClient.Decode(lockedBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.Contains("This poll is not open for this now.", PortalClient.Decode(lateBody), StringComparison.Ordinal);
        PollView view = await PollAsync(poll);
        Assert.Equal(0, view.Votes);
        ProposalView after = (await _api.GetFromJsonAsync($"/api/v1/polls/{poll}/proposals/{place.Id}", PollsJsonContext.Default.ProposalView))!;
        Assert.Equal((1L, 4.0), (after.Ratings, after.MeanHearts));
    }

    [Fact]
    public async Task A_proposal_of_100_KB_is_refused_and_HTML_is_shown_as_text()
    {
        long poll = await NewPollAsync();
        using PortalClient anna = await CitizenAsync("anna.janssens");

        var (huge, hugeBody, _) = await anna.SubmitAsync($"/polls/{poll}/propose?lang=nl",
            Fields(("name", "Groot"), ("commune", "ixelles"), ("address", "Flageyplein"), ("why", new string('x', 100 * 1024))));
        var (long_, longBody, _) = await anna.SubmitAsync($"/polls/{poll}/propose?lang=nl",
            Fields(("name", "Groot"), ("commune", "ixelles"), ("address", "Flageyplein"), ("why", new string('x', 3000))));
        var (html, _, _) = await anna.SubmitAsync($"/polls/{poll}/propose?lang=nl",
            Fields(("name", "<b>Flagey</b><script>alert(1)</script>"), ("commune", "ixelles"), ("address", "Flageyplein"), ("why", "<img src=x onerror=alert(1)>")));
        var (_, mine, _) = await anna.GetAsync($"/polls/{poll}/mine?lang=nl");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge);
        Assert.Contains("Dit formulier is veel te lang.", PortalClient.Decode(hugeBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, long_);
        Assert.Contains("Je reden is hoogstens 2000 tekens.", PortalClient.Decode(longBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, html);
        Assert.Contains("&lt;b&gt;Flagey&lt;/b&gt;&lt;script&gt;", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", mine, StringComparison.Ordinal);
        Assert.Single((await _api.GetFromJsonAsync($"/api/v1/polls/{poll}/proposals", PollsJsonContext.Default.ProposalList))!.Proposals);
    }

    [Fact]
    public async Task A_refused_proposal_shows_its_reason_to_its_proposer_in_French_and_the_moderation_is_recorded()
    {
        long poll = await NewPollAsync();
        using PortalClient anna = await CitizenAsync("anna.janssens");
        await anna.SubmitAsync($"/polls/{poll}/propose?lang=fr",
            Fields(("name", "Achetez nos téléphones"), ("commune", "uccle"), ("address", "Chaussée d'Alsemberg"), ("why", "Promo !")));
        ProposalView proposal = (await _api.GetFromJsonAsync($"/api/v1/polls/{poll}/proposals?state=new", PollsJsonContext.Default.ProposalList))!.Proposals.Single();

        using HttpResponseMessage refused = await _api.PostAsJsonAsync($"/api/v1/polls/{poll}/proposals/{proposal.Id}/moderation",
            new ModerationRequest(ModerationActions.Refuse, "planner.bo", Reason: RefusalReasons.Advertising, Note: "Pas de publicité."),
            PollsJsonContext.Default.ModerationRequest);
        using HttpResponseMessage twice = await _api.PostAsJsonAsync($"/api/v1/polls/{poll}/proposals/{proposal.Id}/moderation",
            new ModerationRequest(ModerationActions.Approve, "planner.an"), PollsJsonContext.Default.ModerationRequest);
        using HttpResponseMessage noReason = await _api.PostAsJsonAsync($"/api/v1/polls/{poll}/proposals/{proposal.Id}/moderation",
            new ModerationRequest(ModerationActions.Refuse, "planner.an", ExpectedState: ProposalStates.Refused), PollsJsonContext.Default.ModerationRequest);
        var (_, mine, _) = await anna.GetAsync($"/polls/{poll}/mine?lang=fr");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("state_changed", (await twice.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollProblem))!.Code);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        string text = PortalClient.Decode(mine);
        Assert.Contains("Refusée parce que c'est de la publicité.", text, StringComparison.Ordinal);
        Assert.Contains("Pas de publicité.", text, StringComparison.Ordinal);
        ProposalView recorded = (await _api.GetFromJsonAsync($"/api/v1/polls/{poll}/proposals/{proposal.Id}", PollsJsonContext.Default.ProposalView))!;
        ModerationRecord record = Assert.Single(recorded.Moderation!);
        Assert.Equal((ModerationActions.Refuse, "planner.bo", RefusalReasons.Advertising), (record.Action, record.Moderator, record.Reason));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds()), record.At);
    }

    [Fact]
    public async Task Results_are_public_after_closing_with_the_ranking_explained_and_a_CSV()
    {
        long poll = await NewPollAsync();
        using PortalClient anna = await CitizenAsync("anna.janssens");
        using HttpClient anonymous = _portal.CreateClient();

        using HttpResponseMessage early = await anonymous.GetAsync(new Uri($"/polls/{poll}/results.csv", UriKind.Relative));
        var (_, earlyPage, _) = await anna.GetAsync($"/polls/{poll}/results?lang=en");
        await anna.SubmitAsync($"/polls/{poll}?lang=en", Fields(("kind", "vote"), ("option", "metro")));
        _time.Advance(TimeSpan.FromDays(31));
        var (status, page, _) = await anna.GetAsync($"/polls/{poll}/results?lang=nl");
        using HttpResponseMessage csv = await anonymous.GetAsync(new Uri($"/polls/{poll}/results.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Contains("The results are published when the poll closes", PortalClient.Decode(earlyPage), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        string text = PortalClient.Decode(page);
        Assert.Contains("De score is het gemiddelde van de hartjes", text, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">100%</td>", text, StringComparison.Ordinal);
        Assert.Contains("Uitgebrachte stemmen: 1.", text, StringComparison.Ordinal);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(PollCsv.ResultsHeader, await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Voting_without_signing_in_leads_to_the_sign_in_and_back()
    {
        long poll = await NewPollAsync();
        using var client = new PortalClient(_portal);

        var (_, page, _) = await client.GetAsync($"/polls/{poll}?lang=en");
        var (status, _, response) = await client.GetAsync($"/polls/{poll}/propose?lang=en");

        Assert.Contains($"href=\"/polls/signin?lang=en&amp;back=%2Fpolls%2F{poll}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"option\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.Equal($"/polls/signin?lang=en&back=%2Fpolls%2F{poll}%2Fpropose", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Without_a_pseudonym_key_the_polls_pages_are_not_there()
    {
        await using ServiceFactory<Program> off = new ServiceFactory<Program>().With("Radius:Enabled", "false");
        using var client = new PortalClient(off);

        var (status, _, _) = await client.GetAsync("/polls");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
