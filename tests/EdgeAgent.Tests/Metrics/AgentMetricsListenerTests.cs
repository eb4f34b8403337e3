using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Network.EdgeAgent.Metrics;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Metrics;

public sealed class AgentMetricsListenerTests : IAsyncLifetime
{
    private readonly AgentMetricsListener _listener = new(
        new AgentMetricsOptions { Enabled = true, BindAddress = "127.0.0.1", Port = 0 }, NullLogger.Instance);

    public Task InitializeAsync() => _listener.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _listener.StopAsync(CancellationToken.None);
        _listener.Dispose();
    }

    [Fact]
    public async Task Curl_scrapes_the_metrics_as_Prometheus_text()
    {
        var (code, stdout, stderr) = await PeerProcess.RunAsync(Peers.Require("curl", "curl"), ["-sS", "-i", $"http://127.0.0.1:{_listener.BoundPort}/metrics"]);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", stdout, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\nprocess_cpu_seconds_total ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_reads_the_agents_metrics_without_a_complaint()
    {
        // Every feature's instruments, as a running agent has them.
        foreach (Type feature in new[] { typeof(Network.EdgeAgent.Forwarding.Forwarder), typeof(Network.EdgeAgent.Queue.QueueFeature), typeof(Network.EdgeAgent.Polling.PollingService) })
        {
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(feature.TypeHandle);
        }

        using var http = new HttpClient();
        string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_listener.BoundPort}/metrics"));

        Assert.Contains("# TYPE edge_agent_forward_batches_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("\nedge_agent_queue_dropped_records_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE edge_agent_queue_pending_records gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("\nprocess_resident_memory_bytes ", text, StringComparison.Ordinal);
        await Promtool.AssertValidAsync(text);
    }

    [Fact]
    public async Task Other_paths_and_methods_are_refused()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_listener.BoundPort}/") };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        using HttpResponseMessage post = await http.PostAsync(new Uri("/metrics", UriKind.Relative), new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
    }

    [Fact]
    public async Task An_endless_request_head_is_cut_off_and_the_listener_keeps_serving()
    {
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPAddress.Loopback, _listener.BoundPort);
            byte[] junk = Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX: " + new string('a', AgentMetricsListener.MaxRequestHead));
            await client.SendAsync(junk, SocketFlags.None);
            byte[] answer = new byte[256];
            int read = await client.ReceiveAsync(answer, SocketFlags.None);
            Assert.StartsWith("HTTP/1.1 431 ", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
        }

        using var http = new HttpClient();
        string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_listener.BoundPort}/metrics"));
        Assert.Contains("process_resident_memory_bytes", text, StringComparison.Ordinal);
    }
}
