using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.Radius.Dictionary;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Portal;

/// <summary>The pages in memory: languages, forms (post/redirect/get), errors, reset, deletion, headers.</summary>
public sealed class PortalPagesTests : IAsyncLifetime
{
    private readonly ServiceFactory<Program> _portal = new ServiceFactory<Program>().With("Radius:Enabled", "false");
    private PortalClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new PortalClient(_portal);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _portal.DisposeAsync();
    }

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    [Theory]
    [InlineData("nl-BE,nl;q=0.9,fr;q=0.5", null, "nl", "Nieuwe gebruiker")]
    [InlineData("fr-BE,fr;q=0.9", null, "fr", "Nouvel utilisateur")]
    [InlineData("de-DE", null, "en", "New user")]
    [InlineData("nl-BE", "fr", "fr", "Nouvel utilisateur")]
    [InlineData("fr-BE", "en", "en", "New user")]
    public async Task The_language_comes_from_the_query_else_Accept_Language_else_English(string acceptLanguage, string? lang, string expected, string newUser)
    {
        var (status, body, response) = await _client.GetAsync(lang is null ? "/" : "/?lang=" + lang, acceptLanguage);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<html lang=\"{expected}\">", body, StringComparison.Ordinal);
        Assert.Contains($">{newUser}</a>", PortalClient.Decode(body), StringComparison.Ordinal);
        Assert.Contains($"href=\"/register?lang={expected}\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.Contains("Culture", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/accessibility")]
    [InlineData("/online")]
    [InlineData("/logged-out")]
    [InlineData("/forgot/sent")]
    [InlineData("/reset/done")]
    [InlineData("/delete/done")]
    public async Task A_page_without_a_form_refuses_a_post_with_405_and_sets_no_cookie(string path)
    {
        var (status, _, response) = await _client.PostAsync(path, Fields(("username", "marie")));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Pages_set_no_cookie_but_the_antiforgery_one_of_their_forms()
    {
        foreach (string path in (string[])["/", "/accessibility", "/logged-out", "/forgot/sent", "/reset/done", "/delete/done", "/online", "/reset?token=nope"])
        {
            var (_, _, response) = await _client.GetAsync(path);

            Assert.False(response.Headers.Contains("Set-Cookie"), path);
        }

        var (_, _, login) = await _client.GetAsync("/login");
        Assert.All(login.Headers.GetValues("Set-Cookie"), cookie => Assert.StartsWith("portal-antiforgery=", cookie, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_page_has_the_security_headers()
    {
        foreach (string path in (string[])["/", "/register", "/login", "/forgot", "/delete", "/accessibility"])
        {
            var (status, _, response) = await _client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, status);
            string csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Theory]
    [InlineData("/favicon.ico")]
    [InlineData("/favicon.svg")]
    public async Task The_icon_is_served_as_an_image_and_every_page_links_it(string path)
    {
        var (status, icon, response) = await _client.GetAsync(path);
        var (_, page, _) = await _client.GetAsync("/register?lang=fr");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", icon, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_user_posts_and_redirects_and_the_account_logs_in()
    {
        var (status, _, response) = await _client.SubmitAsync("/register?lang=nl", Fields(("username", "marie.dubois"), ("password", "Flagey-2026-wifi"), ("email", "")));

        Assert.Equal(HttpStatusCode.SeeOther, status);
        string location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/online?lang=nl&who=", location, StringComparison.Ordinal);
        var (onlineStatus, online, _) = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, onlineStatus);
        Assert.Contains("Aangemeld als marie.dubois.", PortalClient.Decode(online), StringComparison.Ordinal);
        AccountService accounts = _portal.Services.GetRequiredService<AccountService>();
        Assert.True((await accounts.VerifyPasswordAsync("marie.dubois", "Flagey-2026-wifi", null)).IsAccepted);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_creates_nothing()
    {
        var (status, body, _) = await _client.SubmitAsync("/register", Fields(("username", "forged.user"), ("password", "Flagey-2026-wifi")), withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("This form has expired", body, StringComparison.Ordinal);
        Assert.Null(await _portal.Services.GetRequiredService<AccountService>().FindAsync("forged.user"));
    }

    [Fact]
    public async Task Errors_are_summarised_linked_to_their_field_and_marked_invalid()
    {
        var (status, body, _) = await _client.SubmitAsync("/register?lang=fr", Fields(("username", "m\u0430rie"), ("password", "short"), ("email", "not-an-address")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        string text = PortalClient.Decode(body);
        Assert.Contains("<title>Erreur : Nouvel utilisateur", text, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#username\">Utilisez uniquement les lettres a à z", text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#password\">Le mot de passe doit compter au moins 8 caractères.", text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#email\">Saisissez une adresse", text, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(body, "aria-invalid=\"true\""));
        Assert.Contains("aria-describedby=\"username-hint username-error\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_look_alike_of_a_taken_username_is_refused()
    {
        await _client.SubmitAsync("/register", Fields(("username", "marie"), ("password", "Flagey-2026-wifi")));

        var (status, body, _) = await _client.SubmitAsync("/register", Fields(("username", "rnarie"), ("password", "Flagey-2026-wifi")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("looks too much like one that is", PortalClient.Decode(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_once_through_the_mailed_link()
    {
        await _client.SubmitAsync("/register", Fields(("username", "jan.peeters"), ("password", "Beursplein-42a"), ("email", "jan@example.org")));
        await _client.SubmitAsync("/register", Fields(("username", "no.email"), ("password", "Beursplein-42a"), ("email", "")));

        var (status, _, response) = await _client.SubmitAsync("/forgot?lang=en", Fields(("username", "jan.peeters")));
        var (otherStatus, _, other) = await _client.SubmitAsync("/forgot?lang=en", Fields(("username", "no.email")));

        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.Equal(HttpStatusCode.SeeOther, otherStatus);
        Assert.Equal(response.Headers.Location, other.Headers.Location);
        string mail = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_portal.DataDirectory, "outbox"), "*.eml")));
        Assert.Contains("To: jan@example.org", mail, StringComparison.Ordinal);
        string link = mail.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http", StringComparison.Ordinal));
        string token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        string stored = string.Concat(Directory.GetFiles(_portal.DataDirectory, "portal.db*").Select(f => Convert.ToHexString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(token)), stored, StringComparison.Ordinal);

        var (resetStatus, _, _) = await _client.SubmitAsync(new Uri(link).PathAndQuery, Fields(("password", "Sint-Gorik-2027")));
        var (againStatus, again, _) = await _client.GetAsync(new Uri(link).PathAndQuery);

        Assert.Equal(HttpStatusCode.SeeOther, resetStatus);
        Assert.Equal(HttpStatusCode.NotFound, againStatus);
        Assert.Contains("not valid any more", again, StringComparison.Ordinal);
        AccountService accounts = _portal.Services.GetRequiredService<AccountService>();
        Assert.True((await accounts.VerifyPasswordAsync("jan.peeters", "Sint-Gorik-2027", null)).IsAccepted);
        Assert.False((await accounts.VerifyPasswordAsync("jan.peeters", "Beursplein-42a", null)).IsAccepted);
    }

    [Fact]
    public async Task Deleting_the_account_removes_it_and_the_personal_data_of_its_sessions()
    {
        await _client.SubmitAsync("/register", Fields(("username", "leaving.soon"), ("password", "Colignon-2026!"), ("email", "l@example.org")));
        SessionStore sessions = _portal.Services.GetRequiredService<SessionStore>();
        await sessions.RecordAsync(new AccountingRecord
        {
            StatusType = AcctStatusType.Start, AcctSessionId = "S-1", UserName = "leaving.soon", NasIdentifier = "hs-colignon",
            CallingStationId = "02-AA-BB-CC-DD-EE", FramedIpAddress = IPAddress.Parse("10.1.0.9"),
        });

        var (wrongStatus, _, _) = await _client.SubmitAsync("/delete", Fields(("username", "leaving.soon"), ("password", "not-the-password")));
        var (status, _, response) = await _client.SubmitAsync("/delete", Fields(("username", "leaving.soon"), ("password", "Colignon-2026!")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongStatus);
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.StartsWith("/delete/done", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(await _portal.Services.GetRequiredService<AccountService>().FindAsync("leaving.soon"));
        SessionInfo? session = await sessions.FindAsync("S-1");
        Assert.NotNull(session);
        Assert.Null(session.Username);
        Assert.Null(session.CallingStationId);
        Assert.Null(session.FramedIpAddress);
    }

    [Fact]
    public async Task Lockout_is_shown_with_the_time_to_wait()
    {
        await _client.SubmitAsync("/register", Fields(("username", "locked.user"), ("password", "Colignon-2026!")));
        for (int i = 0; i < 10; i++)
        {
            await _client.SubmitAsync("/login", Fields(("username", "locked.user"), ("password", "wrong-guess-" + i)));
        }

        var (status, body, _) = await _client.SubmitAsync("/login?lang=nl", Fields(("username", "locked.user"), ("password", "Colignon-2026!")));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("Te veel mislukte pogingen. Probeer opnieuw over 15 minuten.", PortalClient.Decode(body), StringComparison.Ordinal);
    }
}
