using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Network.EdgeAgent.Metrics;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Metrics;

public class MetricRegistryTests
{
    [Fact]
    public void Counters_and_gauges_are_written_in_the_text_format_with_escaped_help_and_label_values()
    {
        var registry = new MetricRegistry();
        MetricCounter batches = registry.CreateCounter("edge_agent_test_batches_total", "Batches\\sent,\nby result.", "result");
        MetricGauge pending = registry.CreateGauge("edge_agent_test_pending", "Pending records.");
        batches.WithLabels("delivered").Inc();
        batches.WithLabels("delivered").Inc(2);
        batches.WithLabels("say \"hi\"").Inc(0.5);
        pending.Set(-3);

        string text = registry.Collect();

        Assert.Equal(
            "# HELP edge_agent_test_batches_total Batches\\\\sent,\\nby result.\n" +
            "# TYPE edge_agent_test_batches_total counter\n" +
            "edge_agent_test_batches_total{result=\"delivered\"} 3\n" +
            "edge_agent_test_batches_total{result=\"say \\\"hi\\\"\"} 0.5\n" +
            "# HELP edge_agent_test_pending Pending records.\n" +
            "# TYPE edge_agent_test_pending gauge\n" +
            "edge_agent_test_pending -3\n",
            text);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e21, "1E+21")]
    [InlineData(0.1, "0.1")]
    public void Special_and_large_values_use_the_spellings_Prometheus_parses(double value, string expected)
    {
        Assert.Equal(expected, Metric.FormatValue(value));
    }

    [Theory]
    [InlineData("9lives")]
    [InlineData("with-dash")]
    [InlineData("")]
    [InlineData("espaço")]
    public void Invalid_metric_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => new MetricRegistry().CreateCounter(name, "help"));
    }

    [Fact]
    public void A_counter_never_goes_down_and_a_name_is_registered_once()
    {
        var registry = new MetricRegistry();
        MetricCounter counter = registry.CreateCounter("c_total", "help");

        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-1));
        Assert.Throws<InvalidOperationException>(() => registry.CreateGauge("c_total", "again"));
        Assert.Throws<InvalidOperationException>(() => counter.WithLabels("x"));
    }

    [Fact]
    public async Task Concurrent_increments_are_all_counted()
    {
        MetricCounter counter = new MetricRegistry().CreateCounter("c_total", "help", "k");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                counter.WithLabels("a").Inc();
            }
        })));

        Assert.Equal(80_000, counter.WithLabels("a").Value);
    }

    [Fact]
    public void The_default_registry_carries_the_process_metrics_with_live_values()
    {
        string text = MetricRegistry.Default.Collect();

        Assert.Contains("# TYPE process_cpu_seconds_total counter", text, StringComparison.Ordinal);
        string rss = text.Split('\n').Single(l => l.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal));
        Assert.True(double.Parse(rss.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 1_000_000, rss);
    }
}

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
