using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Metrics;
using Network.Hosting;

namespace Network.EdgeAgent.Tests.Metrics;

public class AgentMetricsOptionsTests
{
    private static AgentMetricsOptions Resolve(params (string Key, string Value)[] settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var builder = new AgentHostBuilder(configuration, NullLoggerFactory.Instance).AddAgentMetrics();
        using AgentHost host = builder.Build();
        return builder.Get<AgentMetricsOptions>();
    }

    [Fact]
    public void Metrics_listener_is_off_by_default_and_bound_to_loopback()
    {
        AgentMetricsOptions options = Resolve();

        Assert.False(options.Enabled);
        Assert.Equal("127.0.0.1", options.BindAddress);
        Assert.Equal(9464, options.Port);
    }

    [Fact]
    public void A_port_out_of_range_is_refused_naming_the_full_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(("Agent:Metrics:Port", "70000")));

        Assert.True(ConfigurationErrors.TryDescribe(error, out string? message));
        Assert.StartsWith("Agent:Metrics:Port: ", message, StringComparison.Ordinal);
        Assert.Contains("65535", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_that_is_not_a_number_is_refused_naming_the_full_key()
    {
        var error = Assert.ThrowsAny<Exception>(() => Resolve(("Agent:Metrics:Port", "ninety")));

        Assert.True(ConfigurationErrors.TryDescribe(error, out string? message), error.ToString());
        Assert.Contains("'Agent:Metrics:Port'", message, StringComparison.Ordinal);
    }
}
