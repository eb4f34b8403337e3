using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Tests.Portal;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Gateway;

/// <summary>
/// The openNDS FAS flow through the in-memory portal, with the portal's own RADIUS server on a loopback port: the portal
/// sends the Access-Request itself and opens the gateway only on Access-Accept.
/// </summary>
public sealed class ExternalPortalFlowTests : IAsyncLifetime
{
    private const string FasKey = "flagey-fas-key-1";
    private const string RadiusSecret = "portal-self-secret";
    private const string Hid = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    private readonly ServiceFactory<Program> _portal = Portal();
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

    /// <summary>
    /// The portal asking its own RADIUS server, or <paramref name="radiusServer"/>. The wait for an answer is generous by
    /// default: a wrong password costs a full Argon2id on a loaded CI machine, and a retransmission of a request still
    /// being verified is dropped as a duplicate (RFC 5080), so a short wait would read a slow Reject as no answer.
    /// </summary>
    private static ServiceFactory<Program> Portal(string? radiusServer = null, string radiusTimeout = "00:00:05") => new ServiceFactory<Program>()
        .With("Radius:BindAddress", "127.0.0.1").With("Radius:AuthPort", "0").With("Radius:AcctPort", "0")
        .With("Radius:Clients:0:Name", "portal-itself").With("Radius:Clients:0:Address", "127.0.0.1").With("Radius:Clients:0:Secret", RadiusSecret)
        .With("Gateway:External:FasKey", FasKey).With("Gateway:External:Secret", RadiusSecret)
        .With("Gateway:External:GatewayNetworks:0", "10.0.0.0/8")
        .With("Gateway:External:RadiusServer", radiusServer).With("Gateway:External:RadiusTimeout", radiusTimeout).With("Gateway:External:RadiusRetries", "1");

    /// <summary>openNDS's level 1 redirect: ?fas=base64("hid=…, clientip=…, …")&amp;redir=…</summary>
    private static string Redirect(string mac = "00:16:3e:12:34:56")
    {
        string payload = $"hid={Hid}, clientip=10.1.0.23, clientmac={mac}, client_type=cpd_can, gatewayname=hs-flageyplein, "
            + "gatewayurl=http%3A%2F%2F10.1.0.1, version=10.1.0, gatewayaddress=10.1.0.1:2050, originurl=http%3A%2F%2Fexample.org%2Fnews, clientif=br-lan, ";
        return "/opennds?fas=" + Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(payload))) + "&redir=http%3A%2F%2Fexample.org%2Fnews";
    }

    private static string ExpectedToken() => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Hid + FasKey)));

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    private async Task<string> LandAsync(string language)
    {
        var (status, _, landing) = await _client.GetAsync(Redirect(), language);
        Assert.Equal(HttpStatusCode.SeeOther, status);
        return landing.Headers.Location!.OriginalString.Split('?')[1];
    }

    [Fact]
    public async Task New_user_is_accepted_by_RADIUS_and_the_browser_goes_to_the_gateways_auth_URL_with_the_return_token()
    {
        string query = await LandAsync("nl");
        var (_, welcome, _) = await _client.GetAsync("/?" + query);

        var (status, _, response) = await _client.SubmitAsync("/register?" + query, Fields(("username", "marie.dubois"), ("password", "Flagey-2026-wifi!")));

        Assert.Contains("hs-flageyplein", welcome, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Uri auth = response.Headers.Location!;
        Assert.Equal("http://10.1.0.1:2050/opennds_auth/", auth.GetLeftPart(UriPartial.Path));
        Dictionary<string, string> parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(auth.Query).ToDictionary(q => q.Key, q => q.Value.ToString());
        Assert.Equal(ExpectedToken(), parameters["tok"]);
        Assert.Contains("form-action 'self' http://10.1.0.1:2050", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        // openNDS sends the browser on to redir: the portal's "You are online" page, without a CoovaChilli log-off link.
        var (onlineStatus, online, _) = await _client.GetAsync(parameters["redir"]);
        Assert.Equal(HttpStatusCode.OK, onlineStatus);
        Assert.Contains("Je bent online", online, StringComparison.Ordinal);
        Assert.Contains("marie.dubois", online, StringComparison.Ordinal);
        Assert.Contains("href=\"http://example.org/news\"", online, StringComparison.Ordinal);
        Assert.DoesNotContain("/logoff", online, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_by_RADIUS_and_shown_in_the_persons_language_without_opening_the_gateway()
    {
        string nl = await LandAsync("nl");
        await _client.SubmitAsync("/register?" + nl, Fields(("username", "paul.peeters"), ("password", "Flagey-2026-wifi!")));
        string fr = (await LandAsync("fr")).Replace("lang=nl", "lang=fr", StringComparison.Ordinal);

        var (wrong, body, response) = await _client.SubmitAsync("/login?" + fr, Fields(("username", "paul.peeters"), ("password", "Flagey-2026-wifi?")));
        var (right, _, accepted) = await _client.SubmitAsync("/login?" + fr, Fields(("username", "paul.peeters"), ("password", "Flagey-2026-wifi!")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Nom d'utilisateur ou mot de passe incorrect.", PortalClient.Decode(body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, right);
        Assert.StartsWith($"http://10.1.0.1:2050/opennds_auth/?tok={ExpectedToken()}&redir=", accepted.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_RADIUS_server_that_does_not_answer_is_said_so_and_the_gateway_stays_closed()
    {
        int silent = Peers.FreeUdpPort();
        await using ServiceFactory<Program> portal = Portal($"127.0.0.1:{silent}", radiusTimeout: "00:00:00.300");
        using var client = new PortalClient(portal);
        var (_, _, landing) = await client.GetAsync(Redirect(), "en");
        string query = landing.Headers.Location!.OriginalString.Split('?')[1];

        var (status, body, response) = await client.SubmitAsync("/register?" + query, Fields(("username", "nobody.answers"), ("password", "Flagey-2026-wifi!")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Null(response.Headers.Location);
        Assert.Contains("The login service did not answer.", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no parameters", "/opennds")]
    [InlineData("fas= that is not base64", "/opennds?fas=%21%21%21")]
    [InlineData("a level 0 redirect, not accepted here", "/opennds?authaction=http://10.1.0.1:2050/opennds_auth/?clientip=10.1.0.23&tok=770bfe05&redir=http%3A%2F%2Fexample.org")]
    public async Task A_changed_or_incomplete_redirect_is_refused(string description, string url)
    {
        var (status, body, response) = await _client.GetAsync(url, "en");

        Assert.True(status == HttpStatusCode.BadRequest, description);
        Assert.Null(response.Headers.Location);
        Assert.Contains("This hotspot link is incomplete", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_address_outside_the_configured_networks_is_refused()
    {
        string redirect = Redirect();
        string payload = Encoding.UTF8.GetString(Convert.FromBase64String(Uri.UnescapeDataString(redirect.Split("fas=")[1].Split('&')[0])));
        string moved = "/opennds?fas=" + Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace("10.1.0.1:2050", "192.168.1.1:2050", StringComparison.Ordinal))));

        var (status, _, _) = await _client.GetAsync(moved, "en");

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task The_redirect_that_openNDS_sends_over_http_lands_on_the_portals_https_address()
    {
        await using ServiceFactory<Program> portal = Portal().With("Portal:PublicUrl", "https://portal.urbizone.example/");
        using var client = new PortalClient(portal);

        var (status, _, landing) = await client.GetAsync(Redirect(), "nl");

        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.StartsWith("https://portal.urbizone.example/?lang=nl&uam=", landing.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authenticated_client_coming_back_is_told_it_is_online()
    {
        var (status, body, _) = await _client.GetAsync("/opennds?clientip=10.1.0.23&gatewayname=hs-flageyplein&status=authenticated", "en");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("This device is already logged in.", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:External:FasKey", "k", "Gateway:External:Secret")]
    [InlineData("Gateway:External:RadiusServer", "radius.example", "Gateway:External:RadiusServer")]
    [InlineData("Gateway:External:GatewayNetworks:0", "10.0.0.0/33", "Gateway:External:GatewayNetworks:0")]
    public void A_bad_external_portal_setting_is_named_by_its_key(string key, string value, string named)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Configuration[key] = value;
        builder.AddGateway();
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GatewayOptions>>().Value);

        Assert.StartsWith(named + ":", Assert.Single(error.Failures), StringComparison.Ordinal);
    }
}
