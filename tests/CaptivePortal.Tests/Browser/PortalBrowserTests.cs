using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Radius;
using Network.Radius.Server;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Browser;

/// <summary>
/// The real portal on 127.0.0.1 (Kestrel) with a small HTTP listener as the CoovaChilli gateway: it signs redirects, takes
/// the browser's /logon, decodes the PAP password as the gateway does and asks the portal's RADIUS server through
/// FreeRADIUS's radclient, then sends the browser back with res=success (or failed).
/// </summary>
public sealed class PortalWithGateway : IAsyncLifetime
{
    public const string UamSecret = "uam-secret-browser";
    public const string RadiusSecret = "gateway-secret-1";
    public const string Challenge = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private readonly ServiceFactory<Program> _portal = new();
    private readonly HttpListener _gateway = new();
    private readonly List<(string Username, string Password, TimeSpan Arrived, TimeSpan At, string Reply)> _logons = [];
    private int _portalPort;
    private int _gatewayPort;
    private string _radius = "";
    private Task? _gatewayLoop;

    /// <summary>Time since the fixture started, the clock of <see cref="Logons"/>.</summary>
    public Stopwatch Clock { get; } = new();

    public string PortalBase => $"http://127.0.0.1:{_portalPort}";

    public int GatewayPort => _gatewayPort;

    public IReadOnlyList<(string Username, string Password, TimeSpan Arrived, TimeSpan At, string Reply)> Logons
    {
        get
        {
            lock (_logons)
            {
                return [.. _logons];
            }
        }
    }

    public Task InitializeAsync()
    {
        _portalPort = Peers.FreeTcpPort();
        _portal.With("Radius:BindAddress", "127.0.0.1").With("Radius:AuthPort", "0").With("Radius:AcctPort", "0")
            .With("Radius:Clients:0:Name", "loopback-gateways").With("Radius:Clients:0:Address", "127.0.0.0/8")
            .With("Radius:Clients:0:Secret", RadiusSecret).With("Gateway:UamSecret", UamSecret);
        _portal.UseKestrel(_portalPort);
        _portal.StartServer();
        RadiusHost host = _portal.Services.GetRequiredService<RadiusHost>();
        _radius = host.EndPoints.Single(e => e.Port == RadiusPort.Authentication).EndPoint.ToString();
        _gatewayPort = Peers.FreeTcpPort();
        _gateway.Prefixes.Add($"http://127.0.0.1:{_gatewayPort}/");
        _gateway.Start();
        _gatewayLoop = Task.Run(ServeGatewayAsync);
        Clock.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _gateway.Stop();
        if (_gatewayLoop is not null)
        {
            await Task.WhenAny(_gatewayLoop, Task.Delay(1000));
        }

        _gateway.Close();
        await _portal.DisposeAsync();
    }

    /// <summary>The redirect CoovaChilli sends a new device to, signed with the UAM secret.</summary>
    public string Redirect(string res, string extra = "") => UamSignature.Sign(
        $"{PortalBase}/hotspot?res={res}&uamip=127.0.0.1&uamport={_gatewayPort}&challenge={Challenge}&called=AA-BB-CC-DD-EE-FF"
        + $"&mac=00-16-3E-12-34-56&ip=10.1.0.23&nasid=hs-beursplein&sessionid=5F0B0001&userurl=http%3A%2F%2Fexample.org%2F{extra}", UamSecret);

    /// <summary>The gateway's /logon: decode the PAP password (MD5(challenge ‖ secret), XOR per 16-byte block), ask RADIUS, answer the browser.</summary>
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

            TimeSpan arrived = Clock.Elapsed;
            var query = System.Web.HttpUtility.ParseQueryString(context.Request.Url!.Query);
            string username = query["username"] ?? "";
            byte[] cipher = Convert.FromHexString(query["password"] ?? "");
#pragma warning disable CA5351 // CoovaChilli's PAP encoding is defined with MD5.
            byte[] key = MD5.HashData([.. Convert.FromHexString(Challenge), .. Encoding.UTF8.GetBytes(UamSecret)]);
#pragma warning restore CA5351
            byte[] plain = [.. cipher.Select((b, i) => (byte)(b ^ key[i % 16]))];
            string password = Encoding.UTF8.GetString(plain).TrimEnd('\0');
            var (_, stdout, stderr) = await Radclient.SendAsync(
                $"User-Name=\"{username}\",User-Password=\"{password}\",Message-Authenticator=0x00,Calling-Station-Id=00-16-3E-12-34-56,NAS-Identifier=hs-beursplein",
                _radius, "auth", RadiusSecret, "-x", "-t", "3", "-r", "1");
            TimeSpan at = Clock.Elapsed;
            bool accepted = stdout.Contains("Received Access-Accept", StringComparison.Ordinal);
            lock (_logons)
            {
                _logons.Add((username, password, arrived, at, stdout + stderr));
            }

            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = accepted
                ? Redirect("success", $"&uid={username}&timeleft=14400")
                : Redirect("failed", "&reply=Wrong");
            context.Response.Close();
        }
    }
}

/// <summary>Headless Chromium against the real portal and a simulated CoovaChilli gateway.</summary>
public sealed class PortalBrowserTests(ChromiumFixture chromium, PortalWithGateway portal) : IClassFixture<ChromiumFixture>, IClassFixture<PortalWithGateway>
{
    private string PortalBase => portal.PortalBase;

    private string Redirect(string res, string extra = "") => portal.Redirect(res, extra);

    private async Task<IPage> NewPageAsync(string locale = "nl-BE", bool javaScript = true)
    {
        IBrowserContext context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            // Only so axe-core can be injected: the portal's CSP allows no inline script, and its own pages need none.
            BypassCSP = true,
        });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task New_user_through_the_gateway_is_accepted_by_RADIUS_within_a_second_and_lands_on_the_online_page()
    {
        IPage page = await NewPageAsync();
        IResponse? landing = await page.GotoAsync(Redirect("notyet"));
        Assert.Equal(200, landing?.Status);
        await page.GetByRole(AriaRole.Link, new() { Name = "Nieuwe gebruiker" }).ClickAsync();
        await page.GetByLabel("Gebruikersnaam").FillAsync("anna.janssens");
        await page.GetByLabel("Wachtwoord", new() { Exact = true }).FillAsync("Sint-Joost-2026!");

        TimeSpan submitted = portal.Clock.Elapsed;
        TimeSpan registered = TimeSpan.Zero;
        await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Account aanmaken en online gaan" }).ClickAsync(),
            response =>
            {
                bool done = response.Request.Method == "POST" && response.Url.Contains("/register", StringComparison.Ordinal);
                if (done)
                {
                    registered = portal.Clock.Elapsed;
                }

                return done;
            });
        await PageNavigation.ArrivesAtAsync(page, "/online", TimeSpan.FromSeconds(30));

        var logon = Assert.Single(portal.Logons, l => l.Username == "anna.janssens");
        Assert.Equal("anna.janssens", logon.Username);
        Assert.Equal("Sint-Joost-2026!", logon.Password);
        Assert.Contains("Received Access-Accept", logon.Reply, StringComparison.Ordinal);
        // Within a second of the registration (the portal's answer to the form), radclient's own start included.
        TimeSpan elapsed = logon.At - registered;
        Assert.True(registered > submitted && elapsed < TimeSpan.FromSeconds(1),
            $"Access-Accept {elapsed.TotalMilliseconds:F0} ms after the registration, {(logon.At - submitted).TotalMilliseconds:F0} ms after the click (at the gateway after {(logon.Arrived - submitted).TotalMilliseconds:F0} ms)");
        Assert.Equal("Je bent online", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("http://example.org/", await page.GetByRole(AriaRole.Link, new() { Name = "Verder naar de gevraagde pagina" }).GetAttributeAsync("href"));
    }

    [Fact]
    public async Task A_tampered_redirect_is_refused_in_the_browser()
    {
        IPage page = await NewPageAsync("en-GB");
        string tampered = Redirect("notyet").Replace($"uamport={portal.GatewayPort}", "uamport=8080", StringComparison.Ordinal);

        IResponse? response = await page.GotoAsync(tampered);

        Assert.Equal(400, response?.Status);
        Assert.Equal("This hotspot link was changed on the way", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task The_language_switch_works_and_the_choice_follows_the_links()
    {
        IPage page = await NewPageAsync("nl-BE", javaScript: false);
        await page.GotoAsync(PortalBase + "/");
        string dutch = await page.Locator("h1").InnerTextAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Français" }).ClickAsync();
        string french = await page.Locator("h1").InnerTextAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouvel utilisateur" }).ClickAsync();

        Assert.Equal("Welkom bij Urbizone", dutch);
        Assert.Equal("Bienvenue sur Urbizone", french);
        Assert.Equal("Nouvel utilisateur", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name.Contains("culture", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_forms_post_and_redirect_with_JavaScript_disabled()
    {
        IPage page = await NewPageAsync("en-GB", javaScript: false);
        await page.GotoAsync(PortalBase + "/register");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and go online" }).ClickAsync();
        string summary = await page.Locator(".error-summary").InnerTextAsync();
        bool rulesHidden = await page.Locator("#rules").IsHiddenAsync();

        await page.GetByLabel("Username").FillAsync("no.script");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Molenbeek-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and go online" }).ClickAsync();

        Assert.Contains("There is a problem", summary, StringComparison.Ordinal);
        Assert.True(rulesHidden);
        Assert.Contains("/online?", page.Url, StringComparison.Ordinal);
        Assert.Equal("Logged in as no.script.", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task With_JavaScript_the_rules_are_shown_as_one_types()
    {
        IPage page = await NewPageAsync("en-GB");
        await page.GotoAsync(PortalBase + "/register");
        await page.GetByLabel("Username").FillAsync("anna");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("short");
        string shortState = await page.Locator("[data-rule=length]").GetAttributeAsync("data-state") ?? "";

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("long enough now");

        Assert.True(await page.Locator("#rules").IsVisibleAsync());
        Assert.Equal("unmet", shortState);
        Assert.Equal("met", await page.Locator("[data-rule=length]").GetAttributeAsync("data-state"));
        Assert.Contains("(met)", await page.Locator("[data-rule=length]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_password_rule_shows_one_marker_the_stylesheets()
    {
        IPage page = await NewPageAsync("en-GB");
        await page.GotoAsync(PortalBase + "/register");
        await page.GetByLabel("Username").FillAsync("anna");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("long enough now");
        await page.Locator("#rules").WaitForAsync(new() { State = WaitForSelectorState.Visible });

        // The list's own marker (list-style) and the stylesheet's (::before) would be two per line.
        string[] markers = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("#rules li")].map(li =>
              getComputedStyle(li).listStyleType + " " + getComputedStyle(li, "::before").content + " " + li.dataset.state)
            """);

        Assert.Equal(3, markers.Length);
        Assert.All(markers, m => Assert.Matches("^none \"(\u2022|\u2713)\\s*\" (met|unmet)$", m));
        Assert.Contains(markers, m => m.Contains('\u2713', StringComparison.Ordinal));
    }

    public static TheoryData<string, string> Pages => new()
    {
        { "welcome", "/?lang=nl" },
        { "new user", "/register?lang=fr" },
        { "log in", "/login?lang=en" },
        { "forgotten password", "/forgot?lang=nl" },
        { "delete my account", "/delete?lang=fr" },
        { "accessibility statement", "/accessibility?lang=en" },
        { "logged out", "/logged-out?lang=nl" },
        { "reset link no longer valid", "/reset?lang=en&token=expired" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_finds_no_violation(string description, string path)
    {
        IPage page = await NewPageAsync();
        await page.GotoAsync(PortalBase + path);

        Assert.True(await AxeViolationsAsync(page) is var violations && violations.Length == 0, $"{description}: {violations}");
    }

    [Fact]
    public async Task Axe_finds_no_violation_on_the_pages_with_errors_and_the_gateway_pages()
    {
        IPage page = await NewPageAsync();
        await page.GotoAsync(PortalBase + "/register?lang=nl");
        await page.GetByLabel("Gebruikersnaam").FillAsync("m\u0430rie");
        await page.GetByRole(AriaRole.Button, new() { Name = "Account aanmaken en online gaan" }).ClickAsync();
        string errors = await AxeViolationsAsync(page);
        await page.GotoAsync(Redirect("notyet"));
        string gatewayWelcome = await AxeViolationsAsync(page);
        await page.GotoAsync(Redirect("notyet").Replace("hs-beursplein", "hs-other", StringComparison.Ordinal));
        string tampered = await AxeViolationsAsync(page);
        await page.GotoAsync(Redirect("success", "&uid=anna&timeleft=600"));
        string online = await AxeViolationsAsync(page);

        Assert.Equal("", errors);
        Assert.Equal("", gatewayWelcome);
        Assert.Equal("", tampered);
        Assert.Equal("", online);
    }

    /// <summary>Runs axe-core (npm, WCAG 2.0/2.1/2.2 A and AA rules) in the page; the violations as text, empty when none.</summary>
    internal static async Task<string> AxeViolationsAsync(IPage page)
    {
        string axe = Path.Combine(ServiceProcess.RepositoryRoot, "tests", "CaptivePortal.Tests", "Browser", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"{axe} is missing: building the test project runs npm ci in its Browser folder");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
        JsonElement result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
              return result.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
            }
            """);
        return string.Join("; ", result.EnumerateArray().Select(v => v.GetString()));
    }
}
