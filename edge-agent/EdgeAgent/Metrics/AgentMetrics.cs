using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Network.Hosting;
using Prometheus;

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

public static class AgentMetricsExtensions
{
    public static IServiceCollection AddAgentMetrics(this IServiceCollection services)
    {
        services.AddOptions<AgentMetricsOptions>().BindConfiguration(AgentMetricsOptions.Section)
            .ValidateOnStartNamingKeys(AgentMetricsOptions.Section, new AgentMetricsOptionsValidator());
        services.AddHostedService<AgentMetricsListener>();
        return services;
    }
}

/// <summary>Serves <c>/metrics</c> in the Prometheus text format when <c>Agent:Metrics:Enabled</c> is true.</summary>
public sealed partial class AgentMetricsListener(IOptions<AgentMetricsOptions> options, ILogger<AgentMetricsListener> logger)
    : IHostedService, IDisposable
{
    private MetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        AgentMetricsOptions o = options.Value;
        if (!o.Enabled)
        {
            return Task.CompletedTask;
        }

        _server = new MetricServer(o.BindAddress, o.Port);
        _server.Start();
        LogListening(logger, o.BindAddress, o.Port);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _server?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "metrics on http://{Address}:{Port}/metrics")]
    private static partial void LogListening(ILogger logger, string address, int port);
}
