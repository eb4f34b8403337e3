using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.EndToEnd.Tests;

/// <summary>
/// Issue 5's promise end to end, with every part real: the edge agent polls net-snmp's snmpd every second and sends to
/// the NOC process; the NOC is stopped for 60 seconds and started again on the same store; afterwards the NOC holds
/// one reading per poll, with no gap across the outage and none twice.
/// </summary>
public sealed partial class AgentOutageTests : IClassFixture<SnmpdFixture>, IDisposable
{
    private const string Site = "hs-beursplein";
    private const string Token = "e2e-outage-token-0123456789abcdef";
    private const string Password = "correct horse battery staple";

    private readonly SnmpdFixture _snmpd;
    private readonly TempFolder _folder = new("e2e-outage");

    public AgentOutageTests(SnmpdFixture snmpd) => _snmpd = snmpd;

    [Fact]
    public async Task A_60_second_NOC_outage_loses_no_sample_and_duplicates_none()
    {
        int port = Peers.FreeTcpPort();
        var settings = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = _folder.PathOf("noc"),
            ["Inventory__SeedFile"] = Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer", "Inventory", "demo-sites.json"),
        };
        await RunNocCommandAsync(settings, ["agents", "add", "agent-e2e", "--token-stdin", "--create-store"], Token);
        await RunNocCommandAsync(settings, ["users", "add", "admin", "--role", "admin", "--password-stdin"], Password);

        string config = _folder.PathOf("agent.json");
        await File.WriteAllTextAsync(config, new JsonObject
        {
            ["Agent"] = new JsonObject
            {
                ["Site"] = new JsonObject { ["Id"] = Site, ["Kind"] = "hotspot", ["AgentId"] = "agent-e2e" },
                ["Noc"] = new JsonObject { ["Url"] = $"http://127.0.0.1:{port}/", ["Token"] = Token, ["IdleSeconds"] = 0.2, ["MaxBackoffSeconds"] = 2 },
                ["Polling"] = new JsonObject
                {
                    ["IntervalSeconds"] = 1,
                    ["Devices"] = new JsonArray(new JsonObject { ["Name"] = Site, ["Address"] = _snmpd.Endpoint, ["Community"] = SnmpdFixture.Community }),
                },
                ["Queue"] = new JsonObject { ["Folder"] = _folder.PathOf("queue") },
            },
        }.ToJsonString());

        DateTimeOffset started = DateTimeOffset.UtcNow;
        PeerProcess noc = StartNoc(settings, port);
        await using PeerProcess agent = ServiceProcess.Start("edge-agent/EdgeAgent", "edge-agent", ["--config", config]);
        try
        {
            using HttpClient admin = await SignInAsync(port);
            await Peers.WaitUntilAsync(async () => (await ReadingsAsync(admin, started)).Count >= 5, TimeSpan.FromSeconds(60), "readings before the outage");

            await StopAsync(noc);
            await Task.Delay(TimeSpan.FromSeconds(60));
            Assert.False(agent.HasExited, agent.Output);
            DateTimeOffset restarted = DateTimeOffset.UtcNow;
            noc = StartNoc(settings, port);

            using HttpClient again = await SignInAsync(port);
            await Peers.WaitUntilAsync(async () => (await ReadingsAsync(again, started)).Any(t => t > restarted.AddSeconds(5)),
                TimeSpan.FromSeconds(90), "the backlog and fresh readings after the outage");
            await StopAsync(agent);

            IReadOnlyList<DateTimeOffset> readings = await ReadingsAsync(again, started);
            Assert.Equal(readings.Count, readings.Distinct().Count());
            var gaps = readings.Zip(readings.Skip(1), (a, b) => b - a).ToList();
            TimeSpan widest = gaps.Max();
            Assert.True(widest < TimeSpan.FromSeconds(1.8),
                $"a gap of {widest.TotalSeconds:0.0} s in {readings.Count} readings from {readings[0]:HH:mm:ss} to {readings[^1]:HH:mm:ss}");
            Assert.True(readings[^1] - readings[0] > TimeSpan.FromSeconds(65), "the readings span the outage");
        }
        finally
        {
            await noc.DisposeAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    private static PeerProcess StartNoc(Dictionary<string, string> settings, int port) =>
        ServiceProcess.Start("noc-server/NocServer", "Network.Noc", ["--urls", $"http://127.0.0.1:{port}"], settings);

    private static async Task RunNocCommandAsync(Dictionary<string, string> settings, string[] arguments, string stdin)
    {
        var (code, stdout, stderr) = await ServiceProcess.RunAsync("noc-server/NocServer", "Network.Noc", arguments, settings, stdin + "\n");
        Assert.True(code == 0, $"{string.Join(' ', arguments)}: exit {code}: {stdout}{stderr}");
    }

    private static async Task StopAsync(PeerProcess process)
    {
        var (code, _, stderr) = await PeerProcess.RunAsync("kill", ["-TERM", process.Pid.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(code == 0, stderr);
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Signs in through the login form; waits for the NOC to answer first.</summary>
    private static async Task<HttpClient> SignInAsync(int port)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        string form = "";
        await Peers.WaitUntilAsync(async () =>
        {
            try
            {
                form = await http.GetStringAsync(new Uri("/login", UriKind.Relative));
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the NOC answering");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "admin", ["password"] = Password, ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
        });
        using HttpResponseMessage response = await http.PostAsync(new Uri("/login", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    /// <summary>The timestamps of the device's <c>device_reachable</c> readings since <paramref name="from"/>, raw, oldest first.</summary>
    private static async Task<IReadOnlyList<DateTimeOffset>> ReadingsAsync(HttpClient http, DateTimeOffset from)
    {
        string query = $"/api/v1/sites/{Site}/series?metric=device_reachable&resolution=raw&from={Uri.EscapeDataString(from.AddMinutes(-1).ToString("O"))}";
        JsonElement series = await http.GetFromJsonAsync<JsonElement>(new Uri(query, UriKind.Relative));
        return [.. series.EnumerateArray().SelectMany(s => s.GetProperty("buckets").EnumerateArray())
            .Select(b => DateTimeOffset.FromUnixTimeMilliseconds(b.GetProperty("timestampMs").GetInt64())).Order()];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
