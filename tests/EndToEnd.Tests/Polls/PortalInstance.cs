using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Network.TestSupport;

namespace Network.EndToEnd.Tests.Polls;

/// <summary>
/// The real captive portal as a process on 127.0.0.1 with its polls on: the management token the NOC is given, a
/// pseudonym key, RADIUS on free loopback ports, and citizens' accounts made with <c>users add</c> before it starts.
/// </summary>
public sealed class PortalInstance : IAsyncDisposable
{
    public const string Project = "captive-portal/CaptivePortal";
    public const string Assembly = "Network.CaptivePortal";
    public const string CitizenPassword = "a citizen's long password";

    private readonly TempFolder _data;
    private readonly PeerProcess _process;

    private PortalInstance(TempFolder data, PeerProcess process, int port, string token)
    {
        _data = data;
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        ManagementToken = token;
        Management = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        Management.DefaultRequestHeaders.Authorization = new("Bearer", token);
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, no trailing slash.</summary>
    public string BaseUrl { get; }

    public string ManagementToken { get; }

    /// <summary>A client of the management API with the token (for what the test checks on the portal's side).</summary>
    public HttpClient Management { get; }

    public string Output => _process.Output;

    /// <summary>Starts the portal with an account for each of <paramref name="citizens"/> (password <see cref="CitizenPassword"/>).</summary>
    public static async Task<PortalInstance> StartAsync(IEnumerable<string> citizens)
    {
        var data = new TempFolder("e2e-portal");
        try
        {
            string token = "e2e-polls-management-token-" + Convert.ToHexString(Guid.NewGuid().ToByteArray());
            var settings = new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data.FullPath,
                ["Radius__BindAddress"] = "127.0.0.1",
                ["Radius__AuthPort"] = "0",
                ["Radius__AcctPort"] = "0",
                ["Polls__ManagementToken"] = token,
                ["Polls__PseudonymKey"] = "e2e-polls-pseudonym-key-" + Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            };
            foreach (string citizen in citizens)
            {
                var (code, stdout, stderr) = await ServiceProcess.RunAsync(Project, Assembly, ["users", "add", citizen, "--password-stdin", "--create-store"], settings,
                    CitizenPassword + "\n");
                Assert.True(code == 0, $"users add {citizen}: exit {code}: {stdout}{stderr}");
            }

            int port = Peers.FreeTcpPort();
            PeerProcess process = ServiceProcess.Start(Project, Assembly, ["--urls", $"http://127.0.0.1:{port}"], settings);
            var portal = new PortalInstance(data, process, port, token);
            try
            {
                await Peers.WaitUntilAsync(async () =>
                {
                    Assert.False(process.HasExited, process.Output);
                    using HttpResponseMessage ready = await portal.Management.GetAsync(new Uri("/readyz", UriKind.Relative));
                    return ready.StatusCode == HttpStatusCode.OK;
                }, TimeSpan.FromSeconds(30), "the portal answering /readyz");
            }
            catch
            {
                await portal.DisposeAsync();
                throw;
            }

            return portal;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Asks the management API (GET) and returns its JSON; fails on anything but 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await Management.GetAsync(new Uri(path, UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Sends a JSON body to the management API and returns the answer's JSON; fails unless it is a success.</summary>
    public async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)) };
        using HttpResponseMessage response = await Management.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A proposal's id by its name, from the management API.</summary>
    public async Task<long> ProposalIdAsync(long poll, string name) =>
        (await GetJsonAsync($"/api/v1/polls/{poll}/proposals")).GetProperty("proposals").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

    public async ValueTask DisposeAsync()
    {
        Management.Dispose();
        await _process.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>A citizen on the portal's polls pages over HTTP (cookies, antiforgery), signed in with their Urbizone account.</summary>
public sealed class PortalCitizen : IDisposable
{
    private readonly HttpClient _http;

    private PortalCitizen(HttpClient http) => _http = http;

    public static async Task<PortalCitizen> SignInAsync(PortalInstance portal, string name)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(portal.BaseUrl),
            Timeout = TimeSpan.FromSeconds(10),
        };
        var citizen = new PortalCitizen(http);
        await citizen.PostAsync("/polls/signin", new() { ["username"] = name, ["password"] = PortalInstance.CitizenPassword, ["back"] = "/polls" });
        return citizen;
    }

    public Task ProposeAsync(long poll, string name, string commune, string why, string? option = null) =>
        PostAsync($"/polls/{poll}/propose", new()
        {
            ["name"] = name, ["commune"] = commune, ["address"] = name + " 1", ["why"] = why, ["option"] = option ?? "",
        });

    public Task VoteAsync(long poll, string option) => PostAsync($"/polls/{poll}", new() { ["kind"] = "vote", ["option"] = option });

    public Task RateAsync(long poll, long proposal, int hearts) => PostAsync($"/polls/{poll}", new()
    {
        ["kind"] = "rate", ["proposal"] = proposal.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["hearts"] = hearts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>A page of the portal as this citizen sees it.</summary>
    public Task<string> PageAsync(string path) => _http.GetStringAsync(new Uri(path, UriKind.Relative));

    public void Dispose() => _http.Dispose();

    /// <summary>Posts a form of the page at <paramref name="path"/> with that page's antiforgery token; fails unless the portal took it.</summary>
    private async Task PostAsync(string path, Dictionary<string, string> fields)
    {
        string page = await _http.GetStringAsync(new Uri(path.Split('?')[0], UriKind.Relative));
        fields[AntiforgeryField.Name] = AntiforgeryField.Of(page);
        using HttpResponseMessage response = await _http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && !body.Contains("class=\"error-summary\"", StringComparison.Ordinal),
            $"POST {path}: {(int)response.StatusCode} {body}");
    }
}
