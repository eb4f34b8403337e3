using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Sessions;
using Network.CaptivePortal.Tests.Portal;
using Network.Radius.Dictionary;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Gateway;

/// <summary>CoovaChilli's side in memory: signed redirects, the hand-off to /logon, WISPr, and the RFC 8908 API.</summary>
public sealed class GatewayFlowTests : IAsyncLifetime
{
    private const string UamSecret = "uam-secret-for-tests";
    private const string Challenge = "00112233445566778899aabbccddeeff";
    private readonly ServiceFactory<Program> _portal = new ServiceFactory<Program>().With("Radius:Enabled", "false").With("Gateway:UamSecret", UamSecret);
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

    /// <summary>The redirect CoovaChilli builds for a device, signed with the UAM secret.</summary>
    private string Redirect(string res = "notyet", string mac = "00-11-22-33-44-55", string extra = "") =>
        UamSignature.Sign($"{_client.Http.BaseAddress}hotspot?res={res}&uamip=10.1.0.1&uamport=3990&challenge={Challenge}"
            + $"&called=AA-BB-CC-DD-EE-FF&mac={mac}&ip=10.1.0.5&nasid=hs-flageyplein&sessionid=5F0A0001&userurl=http%3A%2F%2Fexample.org%2Fnews{extra}", UamSecret);

    [Fact]
    public async Task A_signed_redirect_leads_to_the_welcome_page_and_New_user_hands_the_browser_to_the_gateway()
    {
        var (status, _, landing) = await _client.GetAsync(Redirect(), "nl");
        string home = landing.Headers.Location!.OriginalString;
        var (_, welcome, _) = await _client.GetAsync(home);
        string register = "/register?" + home.Split('?')[1];

        var (posted, _, response) = await _client.SubmitAsync(register, Fields(("username", "marie.dubois"), ("password", "Flagey-2026-wifi!")));

        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.StartsWith("/?lang=nl&uam=", home, StringComparison.Ordinal);
        Assert.Contains("hs-flageyplein", welcome, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, posted);
        Uri logon = response.Headers.Location!;
        Assert.Equal("http://10.1.0.1:3990/logon", logon.GetLeftPart(UriPartial.Path));
        Dictionary<string, string> query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(logon.Query).ToDictionary(q => q.Key, q => q.Value.ToString());
        Assert.Equal("marie.dubois", query["username"]);
        Assert.Equal("Flagey-2026-wifi!", ChilliPap.Decode(query["password"], Convert.FromHexString(Challenge), UamSecret));
        Assert.Equal("http://example.org/news", query["userurl"]);
        Assert.Contains("form-action 'self' http://10.1.0.1:3990", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("the MAC changed", "mac=00-11-22-33-44-55", "mac=00-11-22-33-44-66")]
    [InlineData("the gateway address changed", "uamip=10.1.0.1", "uamip=203.0.113.9")]
    [InlineData("the signature changed", "&md=", "&md=0")]
    public async Task A_tampered_redirect_is_refused(string description, string from, string to)
    {
        string tampered = Redirect().Replace(from, to, StringComparison.Ordinal);

        var (status, body, _) = await _client.GetAsync(tampered, "en");

        Assert.True(status == HttpStatusCode.BadRequest, description);
        Assert.Contains("This hotspot link was changed on the way", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gateway_results_lead_to_their_pages()
    {
        var (_, _, success) = await _client.GetAsync(Redirect("success", extra: "&uid=marie.dubois&timeleft=3600"), "fr");
        var (_, online, _) = await _client.GetAsync(success.Headers.Location!.OriginalString);
        var (_, _, failed) = await _client.GetAsync(Redirect("failed"), "en");
        var (_, login, _) = await _client.GetAsync(failed.Headers.Location!.OriginalString);
        var (_, _, logoff) = await _client.GetAsync(Redirect("logoff"), "nl");

        string text = PortalClient.Decode(online);
        Assert.Contains("Vous êtes en ligne", text, StringComparison.Ordinal);
        Assert.Contains("Connecté en tant que marie.dubois.", text, StringComparison.Ordinal);
        Assert.Contains("60 minutes", text, StringComparison.Ordinal);
        Assert.Contains("href=\"http://example.org/news\"", online, StringComparison.Ordinal);
        Assert.Contains("href=\"http://10.1.0.1:3990/logoff\"", online, StringComparison.Ordinal);
        Assert.Contains("Wrong username or password.", login, StringComparison.Ordinal);
        Assert.StartsWith("/logged-out?lang=nl", logoff.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_randomised_MAC_is_explained_and_a_fixed_one_can_be_remembered()
    {
        var (_, _, random) = await _client.GetAsync(Redirect(mac: "DA-A1-19-00-11-22"), "en");
        var (_, randomForm, _) = await _client.GetAsync("/login?" + random.Headers.Location!.OriginalString.Split('?')[1]);
        var (_, _, fixedMac) = await _client.GetAsync(Redirect(mac: "00-11-22-33-44-55"), "en");
        string query = fixedMac.Headers.Location!.OriginalString.Split('?')[1];
        var (_, fixedForm, _) = await _client.GetAsync("/login?" + query);
        var (_, withoutGateway, _) = await _client.GetAsync("/login", "en");

        var (status, _, _) = await _client.SubmitAsync("/register?" + query, Fields(("username", "fixed.device"), ("password", "Flagey-2026-wifi"), ("remember", "yes")));

        Assert.Contains("private (randomised) Wi-Fi address", randomForm, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"remember\"", randomForm, StringComparison.Ordinal);
        Assert.Contains("<input type=\"checkbox\" id=\"remember\" name=\"remember\" value=\"yes\" aria-describedby=\"remember-hint\">", fixedForm, StringComparison.Ordinal);
        Assert.Contains("<p class=\"hint\" id=\"remember-hint\">", fixedForm, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"remember", withoutGateway, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, status);
        var accounts = _portal.Services.GetRequiredService<Network.CaptivePortal.Accounts.AccountService>();
        Assert.Equal("fixed.device", (await accounts.VerifyMacAsync("00-11-22-33-44-55")).Username);
    }

    [Fact]
    public async Task A_WISPr_client_with_a_wrong_password_gets_an_AuthenticationReply_100()
    {
        var (_, _, landing) = await _client.GetAsync(Redirect(), "en");
        string query = landing.Headers.Location!.OriginalString.Split('?')[1];

        var (status, body, response) = await _client.PostAsync("/wispr?" + query, Fields(("UserName", "nobody"), ("Password", "wrong-password")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<MessageType>120</MessageType>", body, StringComparison.Ordinal);
        Assert.Contains("<ResponseCode>100</ResponseCode>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_WISPr_client_posting_to_the_signed_LoginURL_is_sent_to_the_gateway_and_a_tampered_one_is_not()
    {
        await _client.SubmitAsync("/register", Fields(("username", "smart.client"), ("password", "Flagey-2026-wifi")));
        string loginUrl = Redirect("smartclient");

        var (_, _, good) = await _client.PostAsync(loginUrl, Fields(("UserName", "smart.client"), ("Password", "Flagey-2026-wifi")));
        var (_, wrong, _) = await _client.PostAsync(loginUrl, Fields(("UserName", "smart.client"), ("Password", "not-the-password")));
        var (_, tampered, _) = await _client.PostAsync(loginUrl.Replace("uamip=10.1.0.1", "uamip=10.9.9.9", StringComparison.Ordinal),
            Fields(("UserName", "smart.client"), ("Password", "Flagey-2026-wifi")));

        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal("http://10.1.0.1:3990/logon", good.Headers.Location!.GetLeftPart(UriPartial.Path));
        Assert.Contains("<ResponseCode>100</ResponseCode>", wrong, StringComparison.Ordinal);
        Assert.Contains("<ResponseCode>255</ResponseCode>", tampered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_captive_portal_API_says_captive_until_the_gateway_reports_a_session()
    {
        var (before, beforeBody, beforeResponse) = await _client.GetAsync("/api/captive?mac=02:11:22:33:44:55");
        SessionStore sessions = _portal.Services.GetRequiredService<SessionStore>();
        await sessions.RecordAsync(new AccountingRecord
        {
            StatusType = AcctStatusType.InterimUpdate, AcctSessionId = "API-1", UserName = "marie.dubois", NasIdentifier = "hs-flageyplein",
            CallingStationId = "02-11-22-33-44-55", FramedIpAddress = IPAddress.Parse("10.1.0.5"), SessionTime = 600,
        });
        var (_, afterBody, afterResponse) = await _client.GetAsync("/api/captive?mac=02-11-22-33-44-55");
        var (_, byIp, _) = await _client.GetAsync("/api/captive?ip=10.1.0.5");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal("application/captive+json", beforeResponse.Content.Headers.ContentType!.MediaType);
        Assert.True(beforeResponse.Headers.CacheControl is { Private: true, NoStore: true });
        using JsonDocument captive = JsonDocument.Parse(beforeBody);
        Assert.True(captive.RootElement.GetProperty("captive").GetBoolean());
        Assert.StartsWith("http://localhost/", captive.RootElement.GetProperty("user-portal-url").GetString(), StringComparison.Ordinal);
        Assert.False(captive.RootElement.TryGetProperty("seconds-remaining", out _));
        using JsonDocument online = JsonDocument.Parse(afterBody);
        Assert.False(online.RootElement.GetProperty("captive").GetBoolean());
        Assert.Equal((4 * 3600) - 600, online.RootElement.GetProperty("seconds-remaining").GetInt64());
        Assert.False(online.RootElement.GetProperty("can-extend-session").GetBoolean());
        Assert.Equal("application/captive+json", afterResponse.Content.Headers.ContentType!.MediaType);
        using JsonDocument ip = JsonDocument.Parse(byIp);
        Assert.False(ip.RootElement.GetProperty("captive").GetBoolean());
    }

    [Fact]
    public async Task With_quotas_the_API_and_the_online_page_show_what_the_session_policy_leaves()
    {
        await using ServiceFactory<Program> portal = new ServiceFactory<Program>().With("Radius:Enabled", "false").With("Gateway:UamSecret", UamSecret)
            .With("Sessions:Policy:TimeQuota", "02:00:00").With("Sessions:Policy:DataQuotaMegabytes", "500");
        using var client = new PortalClient(portal);
        SessionStore sessions = portal.Services.GetRequiredService<SessionStore>();
        await sessions.RecordAsync(new AccountingRecord
        {
            StatusType = AcctStatusType.InterimUpdate, AcctSessionId = "Q-1", UserName = "quota.user", NasIdentifier = "hs-flageyplein",
            CallingStationId = "02-11-22-33-44-77", SessionTime = 1800, InputOctets = 50_000_000, OutputOctets = 50_000_000,
        });

        var (_, body, _) = await client.GetAsync("/api/captive?mac=02-11-22-33-44-77");
        var (_, _, success) = await client.GetAsync(UamSignature.Sign($"{client.Http.BaseAddress}hotspot?res=success&uamip=10.1.0.1&uamport=3990"
            + $"&challenge={Challenge}&mac=02-11-22-33-44-77&nasid=hs-flageyplein&uid=quota.user", UamSecret), "en");
        var (_, online, _) = await client.GetAsync(success.Headers.Location!.OriginalString);

        using JsonDocument json = JsonDocument.Parse(body);
        Assert.False(json.RootElement.GetProperty("captive").GetBoolean());
        // The open session keeps counting while the test runs: 2 h less the 30 min reported, less a few seconds.
        Assert.InRange(json.RootElement.GetProperty("seconds-remaining").GetInt64(), 5300, 5400);
        Assert.Equal(400_000_000, json.RootElement.GetProperty("bytes-remaining").GetInt64());
        Assert.Matches("(88|89|90) minutes", online);
        Assert.Contains("400 MB", online, StringComparison.Ordinal);
    }
}
