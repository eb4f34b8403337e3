using System.Globalization;
using System.Net;
using System.Text.Json;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Throughput;
using Network.TestSupport;
using Xunit.Abstractions;

namespace Network.EdgeAgent.Tests.Throughput;

/// <summary>
/// The agent's test on a link whose rate tc sets (root; CI runs as root), against both targets: a stock <c>iperf3 -s</c>
/// (Debian's iperf3, spoken to in its own protocol) and the NOC process's endpoint. Each direction must come within 10 %
/// of iperf3's own client on the same link and of the shaped rate.
/// </summary>
public sealed class ShapedLinkThroughputTests(ITestOutputHelper output)
{
    private const string Token = "throughput-link-test-token-0123456789abcdef";
    // Two seconds of warm-up: on the 60 Mbit/s bucket, slow start's overshoot can cost a retransmission timeout in the first second.
    private static readonly TimeSpan s_omit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(4);

    [Theory]
    [InlineData(100)]
    [InlineData(60)]
    public async Task Against_iperf3_the_agent_measures_what_iperf3s_own_client_and_the_shaping_say(int rateMbps)
    {
        string iperf3 = Peers.Require("iperf3", "iperf3");
        using ShapedLink link = await ShapedLink.CreateAsync(rateMbps);
        int port = Peers.FreeTcpPort();
        await using PeerProcess server = await StartIperf3Async(iperf3, link, port);

        (double referenceDown, double referenceUp) = await ReferenceAsync(link, port);
        var client = new Iperf3Client(link.ServerAddress, port, TimeProvider.System, link.SchoolSockets);
        ThroughputMeasurement down = await client.RunAsync(download: true, s_omit, s_duration, CancellationToken.None);
        ThroughputMeasurement up = await client.RunAsync(download: false, s_omit, s_duration, CancellationToken.None);

        AssertClose(down.Mbps, referenceDown, rateMbps, "download", server.Output);
        AssertClose(up.Mbps, referenceUp, rateMbps, "upload", server.Output);
        Assert.True(down.Interval >= s_duration * 0.99, $"measured over {down.Interval.TotalSeconds:0.000} s"); // timers may fire a millisecond early
    }

    [Theory]
    [InlineData(100)]
    [InlineData(60)]
    public async Task Against_the_NOC_the_agent_measures_what_iperf3_and_the_shaping_say(int rateMbps)
    {
        string iperf3 = Peers.Require("iperf3", "iperf3");
        using ShapedLink link = await ShapedLink.CreateAsync(rateMbps);
        using var data = new TempFolder("throughput-noc");
        var settings = new Dictionary<string, string> { ["Storage__DataDirectory"] = data.FullPath };
        var (code, stdout, stderr) = await ServiceProcess.RunAsync("noc-server/NocServer", "Network.Noc",
            ["agents", "add", "agent-link", "--token-stdin", "--create-store"], settings, Token + "\n");
        Assert.True(code == 0, stdout + stderr);

        int nocPort = Peers.FreeTcpPort();
        string url = $"http://{link.ServerAddress}:{nocPort}/";
        await using PeerProcess noc = ServiceProcess.Start("noc-server/NocServer", "Network.Noc", ["--urls", url.TrimEnd('/')], settings);
        using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            await Peers.WaitUntilAsync(async () => (await probe.GetAsync(new Uri(url + "healthz"))).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), "the NOC answering");
        }

        int iperfPort = Peers.FreeTcpPort();
        await using PeerProcess server = await StartIperf3Async(iperf3, link, iperfPort);
        (double referenceDown, double referenceUp) = await ReferenceAsync(link, iperfPort);

        var options = new ForwardingOptions { Url = url, Token = Token };
        var tester = new ThroughputTester(options, TimeProvider.System, link.SchoolSockets);
        var target = new ThroughputTargetOptions { Name = "noc", Kind = ThroughputTargetKind.Noc };
        ThroughputMeasurement down = await tester.RunAsync(target, download: true, s_omit, s_duration, CancellationToken.None);
        ThroughputMeasurement up = await tester.RunAsync(target, download: false, s_omit, s_duration, CancellationToken.None);

        AssertClose(down.Mbps, referenceDown, rateMbps, "download", noc.Output);
        AssertClose(up.Mbps, referenceUp, rateMbps, "upload", noc.Output);
    }

    /// <summary>Debian's <c>iperf3 -s</c> on the NOC's side of the link, once it says it listens.</summary>
    private static async Task<PeerProcess> StartIperf3Async(string iperf3, ShapedLink link, int port)
    {
        PeerProcess server = PeerProcess.Start(iperf3, ["-s", "-B", link.ServerAddress, "-p", port.ToString(CultureInfo.InvariantCulture), "--forceflush"]);
        try
        {
            await Peers.WaitUntilAsync(() => Task.FromResult(server.Output.Contains("Server listening", StringComparison.Ordinal)), TimeSpan.FromSeconds(20),
                "iperf3 -s listening");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>iperf3's own client in the school's namespace, each way: the receiver's rate (<c>sum_received</c>).</summary>
    private static async Task<(double Down, double Up)> ReferenceAsync(ShapedLink link, int port)
    {
        double down = await ReferenceOnceAsync(link, port, reverse: true);
        double up = await ReferenceOnceAsync(link, port, reverse: false);
        return (down, up);
    }

    private static async Task<double> ReferenceOnceAsync(ShapedLink link, int port, bool reverse)
    {
        string[] command = ["iperf3", "-c", link.ServerAddress, "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "4", "-O", "2", "-J", .. reverse ? new[] { "-R" } : []];
        var (code, stdout, stderr) = await link.RunInsideAsync(TimeSpan.FromSeconds(60), command);
        Assert.True(code == 0, $"iperf3 -c: exit {code}: {stdout}{stderr}");
        using JsonDocument json = JsonDocument.Parse(stdout);
        return json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 1e6;
    }

    private void AssertClose(double measured, double reference, int shaped, string direction, string peerOutput)
    {
        string what = $"{direction}: agent {measured:0.0} Mbit/s, iperf3 {reference:0.0} Mbit/s, link {shaped} Mbit/s";
        output.WriteLine(what);
        Assert.True(Math.Abs(measured - reference) <= reference * 0.10, what + " (against iperf3)\n" + peerOutput);
        Assert.True(Math.Abs(measured - shaped) <= shaped * 0.10, what + " (against the shaped rate)");
    }
}
