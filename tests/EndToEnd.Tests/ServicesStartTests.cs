using System.Net;
using Network.TestSupport;

namespace Network.EndToEnd.Tests;

/// <summary>Each service, started as its own process the way run.sh starts it, answers and stops cleanly on bad configuration.</summary>
public class ServicesStartTests
{
    public static TheoryData<string, string> WebServices() => new()
    {
        { "noc-server/NocServer", "Network.Noc" },
        { "captive-portal/CaptivePortal", "Network.CaptivePortal" },
    };

    [Theory]
    [MemberData(nameof(WebServices))]
    public async Task Web_service_process_answers_healthz_readyz_and_metrics(string project, string assembly)
    {
        using var data = new TempFolder("e2e-data");
        int port = Peers.FreeTcpPort();
        await using PeerProcess service = ServiceProcess.Start(project, assembly, ["--urls", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = data.FullPath,
                // The portal's RADIUS listeners on free loopback ports, not 1812/1813 on every address, which other
                // suites running at the same time (and a FreeRADIUS on the machine) may hold. The NOC ignores these.
                ["Radius__BindAddress"] = "127.0.0.1",
                ["Radius__AuthPort"] = "0",
                ["Radius__AcctPort"] = "0",
            });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };

        await Peers.WaitUntilAsync(async () =>
        {
            Assert.False(service.HasExited, service.Output);
            using var live = await http.GetAsync(new Uri("healthz", UriKind.Relative));
            return live.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), $"{assembly} answering /healthz");

        using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
        string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("process_start_time_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", metrics, StringComparison.Ordinal);
        await Promtool.AssertValidAsync(metrics);
        Assert.Contains("\"Category\":", service.Output, StringComparison.Ordinal); // structured (JSON) logs
    }

    [Theory]
    [MemberData(nameof(WebServices))]
    public async Task Web_service_with_a_bad_setting_exits_78_with_one_line_naming_the_key(string project, string assembly)
    {
        var (code, _, stderr) = await ServiceProcess.RunAsync(project, assembly, ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["Storage__DataDirectory"] = " " });

        Assert.Equal(78, code);
        Assert.StartsWith("configuration error: Storage:DataDirectory: ", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    /// <summary>A minimal agent configuration: one device nobody answers for, a NOC nobody listens on, a queue in a temp folder.</summary>
    private static string AgentConfig(TempFolder folder)
    {
        string path = folder.PathOf("agent.json");
        File.WriteAllText(path, $$"""
            {
              "Agent": {
                "Site": { "Id": "e2e-site", "Kind": "hotspot" },
                "Noc": { "Url": "http://127.0.0.1:{{Peers.FreeTcpPort()}}/", "Token": "e2e-token-0123456789" },
                "Polling": { "Devices": [ { "Name": "ap1", "Address": "127.0.0.1:{{Peers.FreeUdpPort()}}" } ] },
                "Queue": { "Folder": "{{folder.PathOf("queue")}}" }
              }
            }
            """);
        return path;
    }

    [Fact]
    public async Task Agent_with_metrics_enabled_serves_Prometheus_text_on_loopback()
    {
        int port = Peers.FreeTcpPort();
        using var folder = new TempFolder("e2e-agent");
        await using PeerProcess agent = ServiceProcess.Start("edge-agent/EdgeAgent", "edge-agent", ["--config", AgentConfig(folder)],
            new Dictionary<string, string> { ["Agent__Metrics__Enabled"] = "true", ["Agent__Metrics__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string text = "";

        await Peers.WaitUntilAsync(async () =>
        {
            Assert.False(agent.HasExited, agent.Output);
            text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            return true;
        }, TimeSpan.FromSeconds(30), "the agent's metrics listener");

        Assert.Contains("# TYPE process_cpu_seconds_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE edge_agent_queue_pending_records gauge", text, StringComparison.Ordinal);
        await Promtool.AssertValidAsync(text);
    }

    [Fact]
    public async Task Agent_with_a_non_numeric_port_exits_78_naming_the_key()
    {
        using var folder = new TempFolder("e2e-agent");
        var (code, _, stderr) = await ServiceProcess.RunAsync("edge-agent/EdgeAgent", "edge-agent", ["--config", AgentConfig(folder)],
            new Dictionary<string, string> { ["Agent__Metrics__Port"] = "ninety" });

        Assert.Equal(78, code);
        Assert.Contains("'Agent:Metrics:Port'", stderr, StringComparison.Ordinal);
    }
}
