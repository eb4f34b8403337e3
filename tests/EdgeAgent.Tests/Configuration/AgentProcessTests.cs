using System.Text.Json.Nodes;
using Network.FleetSimulator;
using Network.FleetSimulator.Serving;
using Network.Hosting;
using Network.EdgeAgent.Tests.Forwarding;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Configuration;

/// <summary>The agent as the process systemd runs: a broken file stops it with a message naming the key; SIGTERM stops it cleanly.</summary>
public sealed class AgentProcessTests : IDisposable
{
    private readonly TempFolder _folder = new("agent-process");

    private static JsonObject ValidConfig(string queue, string nocUrl, string ca, int devicePort) => new()
    {
        ["Agent"] = new JsonObject
        {
            ["Site"] = new JsonObject { ["Id"] = "flageyplein", ["Kind"] = "hotspot" },
            ["Noc"] = new JsonObject { ["Url"] = nocUrl, ["Token"] = "token-1", ["CaCertificateFile"] = ca, ["IdleSeconds"] = 0.2 },
            ["Polling"] = new JsonObject
            {
                ["IntervalSeconds"] = 1,
                ["Devices"] = new JsonArray(new JsonObject { ["Name"] = "ap1", ["Address"] = $"127.0.0.1:{devicePort}", ["Community"] = "public" }),
            },
            ["Probes"] = new JsonObject
            {
                ["IntervalSeconds"] = 1,
                ["Count"] = 1,
                ["Targets"] = new JsonArray(new JsonObject { ["Name"] = "loopback", ["Host"] = "127.0.0.1", ["Method"] = "tcp", ["Port"] = new Uri(nocUrl).Port }),
            },
            ["Queue"] = new JsonObject { ["Folder"] = queue },
        },
    };

    private async Task<(int Code, string Stdout, string Stderr)> RunWithAsync(string fileText)
    {
        string path = _folder.PathOf("agent.json");
        await File.WriteAllTextAsync(path, fileText);
        return await ServiceProcess.RunAsync("edge-agent/EdgeAgent", "edge-agent", ["--config", path]);
    }

    [Theory]
    [InlineData("Agent:Polling:Devices:0:Address", "Address", "not-an-address")]
    [InlineData("Agent:Site:Id", "Id", "Flagey Plein!")]
    [InlineData("Agent:Noc:Url", "Url", "ftp://noc.example")]
    [InlineData("Agent:Site:Kind", "Kind", "stadium")]
    public async Task A_broken_field_stops_the_agent_with_exit_78_naming_the_key(string key, string field, string value)
    {
        JsonObject config = ValidConfig(_folder.PathOf("queue"), "https://127.0.0.1:9/", "", 161);
        JsonObject section = key switch
        {
            "Agent:Polling:Devices:0:Address" => config["Agent"]!["Polling"]!["Devices"]![0]!.AsObject(),
            "Agent:Site:Id" or "Agent:Site:Kind" => config["Agent"]!["Site"]!.AsObject(),
            _ => config["Agent"]!["Noc"]!.AsObject(),
        };
        section[field] = value;
        config["Agent"]!["Noc"]!.AsObject().Remove("CaCertificateFile");

        var (code, stdout, stderr) = await RunWithAsync(config.ToJsonString());

        Assert.True(code == ConfigurationErrors.ExitCode, $"exit {code}: {stdout} {stderr}");
        Assert.Contains(key, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_json_stops_the_agent_naming_the_file()
    {
        var (code, _, stderr) = await RunWithAsync("{ \"Agent\": { \"Site\": ");

        Assert.Equal(ConfigurationErrors.ExitCode, code);
        Assert.Contains("agent.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agent_polls_forwards_and_on_sigterm_flushes_and_exits_0()
    {
        var time = TimeProvider.System;
        Fleet fleet = Fleet.Create(new FleetOptions { Devices = 1, BasePort = Peers.FreeUdpPort(), Seed = 3 }, time);
        await using FleetServer server = FleetServer.Start(fleet, time);
        await using NocReceiver noc = await NocReceiver.StartAsync();
        string path = _folder.PathOf("agent.json");
        await File.WriteAllTextAsync(path, ValidConfig(_folder.PathOf("queue"), noc.Url.ToString(), noc.CaFile, fleet.Devices[0].Port).ToJsonString());

        await using PeerProcess agent = ServiceProcess.Start("edge-agent/EdgeAgent", "edge-agent", ["--config", path]);
        await Peers.WaitUntilAsync(() => Task.FromResult(noc.KeptSamples().Any(s => s.Metric == "if_in_bps")), TimeSpan.FromSeconds(30),
            "a rate reaching the NOC");
        var (killCode, _, killErr) = await PeerProcess.RunAsync("kill", ["-TERM", agent.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(killCode == 0, killErr);
        int exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.True(exit == 0, agent.Output);
        Assert.Contains("\"Message\":\"shutting down: delivered", agent.Output, StringComparison.Ordinal);
        Assert.Contains(noc.KeptSamples(), s => s.Metric == "probe_up" && s.Site == "flageyplein");
        Assert.All(noc.Requests, r => Assert.Equal("HTTP/2", r.Protocol));
    }

    public void Dispose() => _folder.Dispose();
}
