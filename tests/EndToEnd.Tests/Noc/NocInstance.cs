using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// One sample as an agent sends it (the JSON of <c>Network.Contracts.Sample</c>: this project starts the NOC as a
/// process and does not reference its assemblies).
/// </summary>
public sealed record NocSample(string Site, string Device, string Metric, DateTimeOffset Timestamp, double Value, IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>A site of the demo seed file, as the tests expect to see it.</summary>
public sealed record SeededSite(string Id, string Name, string Kind, string Commune, double Latitude, double Longitude, IReadOnlyList<string> Devices);

/// <summary>
/// The real NOC as a process on 127.0.0.1: a temporary data folder, the demo fleet seeded from
/// <c>Inventory/demo-sites.json</c>, an admin created with <c>users add ... --password-stdin</c> and an agent token
/// made with <c>agents add</c>, both before the service starts, the way an operator does it.
/// </summary>
public sealed partial class NocInstance : IAsyncDisposable
{
    public const string Project = "noc-server/NocServer";
    public const string Assembly = "Network.Noc";
    public const string AdminName = "admin";
    public const string AdminPassword = "correct horse battery staple";
    public const string AgentId = "e2e-agent";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly TempFolder _data;
    private readonly Dictionary<string, string> _settings;
    private readonly int _port;
    private readonly HttpClient _http;
    private PeerProcess _process;
    private long _sequence;

    private NocInstance(TempFolder data, Dictionary<string, string> settings, int port, string agentToken, IReadOnlyList<SeededSite> sites)
    {
        _data = data;
        _settings = settings;
        _port = port;
        AgentToken = agentToken;
        BaseUrl = $"http://127.0.0.1:{port}";
        Sites = sites;
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        _process = StartProcess();
    }

    /// <summary>The bearer token of agent <see cref="AgentId"/> (for an edge agent pointed at this NOC).</summary>
    public string AgentToken { get; }

    /// <summary>The settings the process runs with (environment variables), data folder and seed file included.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary><c>http://127.0.0.1:PORT</c>, no trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>The sites of the seed file, in its order.</summary>
    public IReadOnlyList<SeededSite> Sites { get; }

    /// <summary>Everything the process printed, for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>The seed file the instance starts with.</summary>
    public static string SeedFile => Path.Combine(ServiceProcess.RepositoryRoot, Project, "Inventory", "demo-sites.json");

    /// <summary>
    /// Starts the NOC. <paramref name="users"/> adds more users (name, role, password) next to the admin;
    /// <paramref name="environment"/> adds settings (for example <c>Status__RaiseAfter</c>).
    /// </summary>
    public static async Task<NocInstance> StartAsync(
        IEnumerable<(string Name, string Role, string Password)>? users = null, IDictionary<string, string>? environment = null)
    {
        var data = new TempFolder("e2e-noc");
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data.FullPath,
                ["Inventory__SeedFile"] = SeedFile,
            };
            foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }

            foreach ((string name, string role, string password) in (IEnumerable<(string, string, string)>)[(AdminName, "admin", AdminPassword), .. users ?? []])
            {
                var (code, stdout, stderr) = await ServiceProcess.RunAsync(Project, Assembly, ["users", "add", name, "--role", role, "--password-stdin", "--create-store"], settings, password + "\n");
                Assert.True(code == 0, $"users add {name}: exit {code}: {stdout}{stderr}");
            }

            var (agentCode, agentOut, agentErr) = await ServiceProcess.RunAsync(Project, Assembly, ["agents", "add", AgentId], settings);
            Assert.True(agentCode == 0, $"agents add: exit {agentCode}: {agentOut}{agentErr}");
            Match token = TokenLine().Match(agentOut);
            Assert.True(token.Success, $"agents add printed no token: {agentOut}");

            var noc = new NocInstance(data, settings, Peers.FreeTcpPort(), token.Groups[1].Value, ReadSeed());
            try
            {
                await noc.WaitUntilReadyAsync();
            }
            catch
            {
                await noc.DisposeAsync();
                throw;
            }

            return noc;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Stops the process (killed, as a crash or a power cut would) and starts it again on the same port and data.</summary>
    public async Task RestartAsync(TimeSpan? downFor = null)
    {
        await StopAsync();
        if (downFor is TimeSpan pause)
        {
            await Task.Delay(pause);
        }

        _process = StartProcess();
        await WaitUntilReadyAsync();
    }

    /// <summary>Kills the process; <see cref="RestartAsync"/> brings it back.</summary>
    public ValueTask StopAsync() => _process.DisposeAsync();

    /// <summary>Sends one batch as the test agent (<c>POST /api/v1/ingest</c> with its bearer token); fails unless it is accepted.</summary>
    public async Task IngestAsync(IReadOnlyList<NocSample> samples)
    {
        var batch = new { AgentId, Sequence = Interlocked.Increment(ref _sequence), SentAt = DateTimeOffset.UtcNow, Samples = samples };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/ingest", UriKind.Relative))
        {
            Content = JsonContent.Create(batch, options: s_json),
        };
        request.Headers.Authorization = new("Bearer", AgentToken);
        using HttpResponseMessage response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>
    /// Readings that make the status engine judge every device of <paramref name="site"/> reachable or not, sent as
    /// many times as its hysteresis needs (<paramref name="readings"/>, default 2 = <c>Status:RaiseAfter</c>).
    /// </summary>
    public async Task ReportReachableAsync(SeededSite site, bool reachable, int readings = 2)
    {
        for (int i = 0; i < readings; i++)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            await IngestAsync([.. site.Devices.Select(d => new NocSample(site.Id, d, "device_reachable", now, reachable ? 1 : 0))]);
        }
    }

    private PeerProcess StartProcess() => ServiceProcess.Start(Project, Assembly, ["--urls", $"http://127.0.0.1:{_port}"], _settings);

    private Task WaitUntilReadyAsync() => Peers.WaitUntilAsync(async () =>
    {
        Assert.False(_process.HasExited, _process.Output);
        using HttpResponseMessage ready = await _http.GetAsync(new Uri("/readyz", UriKind.Relative));
        return ready.StatusCode == HttpStatusCode.OK;
    }, TimeSpan.FromSeconds(30), "the NOC answering /readyz");

    /// <summary>An HTTP client signed in through the login form (antiforgery and all) as <paramref name="name"/>.</summary>
    public async Task<HttpClient> SignInAsync(string name = AdminName, string password = AdminPassword)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        string form = await http.GetStringAsync(new Uri("/login", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = name, ["password"] = password, ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
        });
        using HttpResponseMessage response = await http.PostAsync(new Uri("/login", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    /// <summary>A site of the seed file by id.</summary>
    public SeededSite Site(string id) => Sites.Single(s => s.Id == id);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        _data.Dispose();
    }

    private static List<SeededSite> ReadSeed()
    {
        using JsonDocument seed = JsonDocument.Parse(File.ReadAllText(SeedFile));
        return [.. seed.RootElement.GetProperty("sites").EnumerateArray().Select(s => new SeededSite(
            s.GetProperty("id").GetString()!,
            s.GetProperty("name").GetString()!,
            s.GetProperty("kind").GetString()!,
            s.GetProperty("commune").GetString()!,
            s.GetProperty("latitude").GetDouble(),
            s.GetProperty("longitude").GetDouble(),
            s.TryGetProperty("devices", out JsonElement devices)
                ? [.. devices.EnumerateArray().Select(d => d.GetProperty("name").GetString()!)]
                : []))];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"token \(shown once\): (\S+)")]
    private static partial Regex TokenLine();
}
