using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Network.CaptivePortal.Radius;
using Network.Radius;
using Network.Radius.Codec;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Browser;

/// <summary>
/// The real portal on 127.0.0.1 (Kestrel) in the openNDS FAS flow, with a small HTTP listener as the openNDS gateway (it
/// takes <c>/opennds_auth/?tok=…&amp;redir=…</c> and, as openNDS does once the client is let through, sends the browser on
/// to <c>redir</c>) and a UDP relay between the portal's Access-Requests and its own RADIUS server that notes who asked
/// and what the server answered.
/// </summary>
public sealed class PortalWithOpenNds : IAsyncLifetime
{
    public const string FasKey = "opennds-fas-key";
    public const string RadiusSecret = "portal-radius-self";
    public const string Hid = "5d41402abc4b2a76b9719d911017c592aaf3f4b1d0c94b1f9a8ed1c3c4e7d1e2";
    private readonly ServiceFactory<Program> _portal = new();
    private readonly HttpListener _gateway = new();
    private readonly Socket _relay = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<(string Tok, string Redir)> _auths = [];
    private readonly List<(string User, RadiusCode Reply)> _radius = [];
    private readonly Dictionary<byte, (EndPoint Requester, string User)> _inFlight = [];
    private IPEndPoint _radiusServer = null!;
    private int _portalPort;
    private Task? _gatewayLoop;
    private Task? _relayLoop;

    public string PortalBase => $"http://127.0.0.1:{_portalPort}";

    public int GatewayPort { get; private set; }

    /// <summary>What reached the gateway's auth URL.</summary>
    public IReadOnlyList<(string Tok, string Redir)> Auths
    {
        get
        {
            lock (_auths)
            {
                return [.. _auths];
            }
        }
    }

    /// <summary>Each Access-Request the portal sent (its User-Name) and the code the portal's RADIUS server answered with.</summary>
    public IReadOnlyList<(string User, RadiusCode Reply)> RadiusExchanges
    {
        get
        {
            lock (_radius)
            {
                return [.. _radius];
            }
        }
    }

    public static string ExpectedToken => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Hid + FasKey)));

    public Task InitializeAsync()
    {
        _relay.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _portalPort = Peers.FreeTcpPort();
        GatewayPort = Peers.FreeTcpPort();
        _portal.With("Radius:BindAddress", "127.0.0.1").With("Radius:AuthPort", "0").With("Radius:AcctPort", "0")
            .With("Radius:Clients:0:Name", "portal-via-relay").With("Radius:Clients:0:Address", "127.0.0.1").With("Radius:Clients:0:Secret", RadiusSecret)
            .With("Gateway:External:FasKey", FasKey).With("Gateway:External:Secret", RadiusSecret)
            .With("Gateway:External:GatewayNetworks:0", "127.0.0.0/8").With("Gateway:External:RadiusTimeout", "00:00:05")
            .With("Gateway:External:RadiusServer", ((IPEndPoint)_relay.LocalEndPoint!).ToString());
        _portal.UseKestrel(_portalPort);
        _portal.StartServer();
        _radiusServer = _portal.Services.GetRequiredService<RadiusHost>().EndPoints.Single(e => e.Port == RadiusPort.Authentication).EndPoint;
        _relayLoop = Task.Run(RelayAsync);
        _gateway.Prefixes.Add($"http://127.0.0.1:{GatewayPort}/");
        _gateway.Start();
        _gatewayLoop = Task.Run(ServeGatewayAsync);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _gateway.Stop();
        _relay.Dispose();
        await Task.WhenAny(Task.WhenAll(_gatewayLoop ?? Task.CompletedTask, _relayLoop ?? Task.CompletedTask), Task.Delay(1000));
        _gateway.Close();
        await _portal.DisposeAsync();
    }

    /// <summary>openNDS's fas_secure_enabled=1 redirect to the portal's faspath.</summary>
    public string Redirect(string gatewayAddress = "")
    {
        string gateway = gatewayAddress.Length > 0 ? gatewayAddress : $"127.0.0.1:{GatewayPort}";
        string payload = $"hid={Hid}, clientip=10.1.0.42, clientmac=00:16:3e:aa:bb:cc, client_type=cpd_can, cpi_query=none, gatewayname=hs-sint-joost, "
            + $"gatewayurl=http%3A%2F%2F127.0.0.1, version=10.1.0, gatewayaddress={gateway}, gatewaymac=aa:bb:cc:dd:ee:ff, "
            + "originurl=http%3A%2F%2Fexample.org%2F, clientif=br-lan, ";
        // As openNDS writes it: the base64 unescaped in the query string.
        return $"{PortalBase}/opennds?fas={Convert.ToBase64String(Encoding.UTF8.GetBytes(payload))}&redir=http%3A%2F%2Fexample.org%2F";
    }

    private async Task ServeGatewayAsync()
    {
        while (_gateway.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _gateway.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var query = System.Web.HttpUtility.ParseQueryString(context.Request.Url!.Query);
            if (context.Request.Url.AbsolutePath == "/opennds_auth/" && query["tok"] is { } tok && query["redir"] is { } redir)
            {
                lock (_auths)
                {
                    _auths.Add((tok, redir));
                }

                context.Response.StatusCode = 302;
                context.Response.RedirectLocation = redir;
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }

    // Requests from the portal go on to its RADIUS server; replies come back to the portal by Identifier.
    private async Task RelayAsync()
    {
        byte[] buffer = new byte[4096];
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _relay.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                return;
            }

            byte[] datagram = buffer[..received.ReceivedBytes];
            RadiusPacket packet = RadiusCodec.Decode(datagram);
            if (received.RemoteEndPoint.Equals(_radiusServer))
            {
                (EndPoint requester, string user) = _inFlight[packet.Identifier];
                lock (_radius)
                {
                    _radius.Add((user, packet.Code));
                }

                await _relay.SendToAsync(datagram, SocketFlags.None, requester);
            }
            else
            {
                _inFlight[packet.Identifier] = (received.RemoteEndPoint, packet.GetString(RadiusAttributes.UserName) ?? "");
                await _relay.SendToAsync(datagram, SocketFlags.None, _radiusServer);
            }
        }
    }
}

/// <summary>Headless Chromium through the openNDS FAS flow: the portal asks RADIUS itself, then opens the gateway.</summary>
public sealed class ExternalPortalBrowserTests(ChromiumFixture chromium, PortalWithOpenNds portal) : IClassFixture<ChromiumFixture>, IClassFixture<PortalWithOpenNds>
{
    private async Task<IPage> NewPageAsync(string locale = "nl-BE")
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            // Only so axe-core can be injected (see PortalBrowserTests).
            BypassCSP = true,
        });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task New_user_is_accepted_by_the_portals_RADIUS_and_the_browser_reaches_the_gateway_with_the_right_tok()
    {
        IPage page = await NewPageAsync();
        IResponse? landing = await page.GotoAsync(portal.Redirect());
        Assert.Equal(200, landing?.Status);
        await page.GetByRole(AriaRole.Link, new() { Name = "Nieuwe gebruiker" }).ClickAsync();
        await page.GetByLabel("Gebruikersnaam").FillAsync("lotte.maes");
        await page.GetByLabel("Wachtwoord", new() { Exact = true }).FillAsync("Sint-Joost-plein-7");

        await page.GetByRole(AriaRole.Button, new() { Name = "Account aanmaken en online gaan" }).ClickAsync();
        try
        {
            await PageNavigation.ArrivesAtAsync(page, "/online", TimeSpan.FromSeconds(60));
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"the browser stayed at {page.Url} ({await page.Locator("main").InnerTextAsync()}); RADIUS: "
                + string.Join(", ", portal.RadiusExchanges) + "; gateway: " + string.Join(", ", portal.Auths.Select(a => a.Tok)));
        }

        Assert.Contains(("lotte.maes", RadiusCode.AccessAccept), portal.RadiusExchanges);
        (string tok, string redir) = Assert.Single(portal.Auths, a => a.Redir.Contains("/online", StringComparison.Ordinal) && a.Redir.StartsWith(portal.PortalBase, StringComparison.Ordinal));
        Assert.Equal(PortalWithOpenNds.ExpectedToken, tok);
        Assert.Equal("Je bent online", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("lotte.maes", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("http://example.org/", await page.GetByRole(AriaRole.Link, new() { Name = "Verder naar de gevraagde pagina" }).GetAttributeAsync("href"));
    }

    [Fact]
    public async Task Refused_credentials_keep_the_gateway_closed_and_say_so_in_the_persons_language()
    {
        IPage page = await NewPageAsync("fr-BE");
        await page.GotoAsync(portal.Redirect());
        int authsBefore = portal.Auths.Count;
        await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).ClickAsync();
        await page.GetByLabel("Nom d'utilisateur").FillAsync("nobody.here");
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync("Not-the-password-1");

        IResponse response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/login", StringComparison.Ordinal));

        Assert.Equal(422, response.Status);
        Assert.Contains(("nobody.here", RadiusCode.AccessReject), portal.RadiusExchanges);
        Assert.Equal(authsBefore, portal.Auths.Count);
        Assert.Contains("Nom d'utilisateur ou mot de passe incorrect.", await page.Locator(".error-summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("", await PortalBrowserTests.AxeViolationsAsync(page));
    }

    [Fact]
    public async Task A_redirect_naming_another_gateway_is_refused_and_the_new_pages_pass_axe()
    {
        IPage page = await NewPageAsync("en-GB");
        await page.GotoAsync(portal.Redirect());
        string welcome = await PortalBrowserTests.AxeViolationsAsync(page);

        IResponse? refused = await page.GotoAsync(portal.Redirect(gatewayAddress: "203.0.113.5:2050"));
        string refusedPage = await PortalBrowserTests.AxeViolationsAsync(page);
        await page.GotoAsync($"{portal.PortalBase}/opennds?clientip=10.1.0.42&gatewayname=hs-sint-joost&status=authenticated");
        string already = await page.Locator("main").InnerTextAsync();
        string alreadyPage = await PortalBrowserTests.AxeViolationsAsync(page);

        Assert.Equal(400, refused?.Status);
        Assert.Equal("", welcome);
        Assert.Equal("", refusedPage);
        Assert.Contains("This device is already logged in.", already, StringComparison.Ordinal);
        Assert.Equal("", alreadyPage);
    }
}
