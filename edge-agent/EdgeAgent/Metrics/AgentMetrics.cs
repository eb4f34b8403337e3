using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Hosting;
using Network.Metrics;

namespace Network.EdgeAgent.Metrics;

/// <summary>The agent's own Prometheus listener. Keys under <c>Agent:Metrics</c>; off by default.</summary>
public sealed class AgentMetricsOptions
{
    public const string Section = "Agent:Metrics";

    public bool Enabled { get; set; }

    /// <summary>Loopback by default: a router's metrics are for whoever is on it, not for the street.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BindAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 9464;
}

[OptionsValidator]
public sealed partial class AgentMetricsOptionsValidator : IValidateOptions<AgentMetricsOptions>;

/// <summary>
/// The agent's meter: each feature declares its instruments on it, by their Prometheus names
/// (<c>edge_agent_polls_total</c>, ...), and the listener exports them with the process metrics.
/// </summary>
internal static class AgentMeter
{
    public const string Name = "Network.EdgeAgent";

    public static Meter Meter { get; } = new(Name);

    /// <summary>A tag for a measurement; a struct, so adding it to a counter allocates nothing.</summary>
    public static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}

public static class AgentMetricsExtensions
{
    public static AgentHostBuilder AddAgentMetrics(this AgentHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AgentMetricsOptions options = builder.AddOptions(AgentMetricsOptions.Section, static (c, o) => c.Bind(o), new AgentMetricsOptionsValidator());
        // The exporter listens from now on, before the features that count are built, so nothing counted is missed.
        PrometheusExporter? exporter = options.Enabled ? new PrometheusExporter() : null;
        builder.AddHostedService(b => new AgentMetricsListener(options, b.Logger("Network.EdgeAgent.Metrics"), exporter));
        return builder;
    }
}

/// <summary>
/// Serves <c>GET /metrics</c> in the Prometheus text format when <c>Agent:Metrics:Enabled</c> is true: a plain HTTP/1.1
/// responder on a socket, one connection at a time, <c>Connection: close</c>. Whoever connects gets 5 seconds and
/// 8 KiB to send a request head; anything else is answered 400, 404 or 405 and the connection closed. The text is
/// <see cref="PrometheusExporter"/>'s, the services' exporter.
/// </summary>
public sealed partial class AgentMetricsListener(AgentMetricsOptions options, ILogger logger, PrometheusExporter? exporter = null)
    : IHostedService, IDisposable
{
    private readonly PrometheusExporter _exporter = exporter ?? new PrometheusExporter();

    internal const int MaxRequestHead = 8 * 1024;
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;

    /// <summary>The port actually bound (the configured one, or the one the system chose for 0).</summary>
    public int BoundPort => (_listener?.LocalEndPoint as IPEndPoint)?.Port ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        AgentMetricsOptions o = options;
        if (!o.Enabled)
        {
            return Task.CompletedTask;
        }

        IPAddress address = IPAddress.Parse(o.BindAddress);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, o.Port));
        _listener.Listen(16);
        _accepting = AcceptLoopAsync(_listener, _exporter, _stopping.Token);
        LogListening(logger, o.BindAddress, BoundPort);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // stopping
        }
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _stopping.Dispose();
        _exporter.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, PrometheusExporter exporter, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket connection = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            using (connection)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    timeout.CancelAfter(RequestTimeout);
                    await ServeAsync(connection, exporter, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !stopping.IsCancellationRequested))
                {
                    LogConnectionFailed(logger, ex.Message);
                }
            }
        }
    }

    /// <summary>Reads one request head (RFC 9112 section 2.1) and answers it.</summary>
    internal static async Task ServeAsync(Socket connection, PrometheusExporter exporter, CancellationToken cancellationToken)
    {
        byte[] head = new byte[MaxRequestHead];
        int length = 0;
        int end;
        while ((end = head.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (length == head.Length)
            {
                await AnswerAsync(connection, "431 Request Header Fields Too Large", "request head too large\n", cancellationToken).ConfigureAwait(false);
                return;
            }

            int read = await connection.ReceiveAsync(head.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return; // closed before a whole request
            }

            length += read;
        }

        // request-line = method SP request-target SP HTTP-version
        string line = Encoding.ASCII.GetString(head, 0, head.AsSpan(0, end + 2).IndexOf("\r\n"u8));
        string[] parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            await AnswerAsync(connection, "400 Bad Request", "bad request\n", cancellationToken).ConfigureAwait(false);
            return;
        }

        string path = parts[1].Split('?')[0];
        if (path != "/metrics")
        {
            await AnswerAsync(connection, "404 Not Found", "not found: the metrics are at /metrics\n", cancellationToken).ConfigureAwait(false);
        }
        else if (parts[0] is not ("GET" or "HEAD"))
        {
            await AnswerAsync(connection, "405 Method Not Allowed", "only GET\n", cancellationToken, "Allow: GET, HEAD\r\n").ConfigureAwait(false);
        }
        else
        {
            await AnswerAsync(connection, "200 OK", exporter.Collect(), cancellationToken, contentType: PrometheusExporter.ContentType,
                headOnly: parts[0] == "HEAD").ConfigureAwait(false);
        }
    }

    private static async Task AnswerAsync(Socket connection, string status, string body, CancellationToken cancellationToken,
        string extraHeaders = "", string contentType = "text/plain; charset=utf-8", bool headOnly = false)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        string head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\n{extraHeaders}Connection: close\r\n\r\n";
        await connection.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (!headOnly)
        {
            await connection.SendAsync(content, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        connection.Shutdown(SocketShutdown.Send);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "metrics on http://{Address}:{Port}/metrics")]
    private static partial void LogListening(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "metrics connection dropped: {Reason}")]
    private static partial void LogConnectionFailed(ILogger logger, string reason);
}
