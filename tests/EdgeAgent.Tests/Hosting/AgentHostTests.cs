using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Queue;
using Network.Hosting;

namespace Network.EdgeAgent.Tests.Hosting;

/// <summary>The agent's own host: order of start and stop, a failing service, every configuration failure at once, the log lines.</summary>
public sealed partial class AgentHostTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
        .Build();

    private sealed class Recorder(string name, List<string> journal) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            journal.Add("start " + name);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            journal.Add("stop " + name);
            return Task.CompletedTask;
        }
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("the disk is gone");
        }
    }

    [Fact]
    public async Task Services_start_in_order_and_stop_in_reverse_order_when_asked()
    {
        var journal = new List<string>();
        var builder = new AgentHostBuilder(Config(), NullLoggerFactory.Instance)
            .AddHostedService(_ => new Recorder("forwarding", journal))
            .AddHostedService(_ => new Recorder("polling", journal));
        using AgentHost host = builder.Build();

        Task<int> running = host.RunAsync();
        await WaitForAsync(() => journal.Count == 2);
        host.Stop();

        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["start forwarding", "start polling", "stop polling", "stop forwarding"], journal);
    }

    [Fact]
    public async Task A_failing_service_stops_the_others_and_the_exit_code_is_1()
    {
        var journal = new List<string>();
        var builder = new AgentHostBuilder(Config(), NullLoggerFactory.Instance)
            .AddHostedService(_ => new Recorder("forwarding", journal))
            .AddHostedService(_ => new Failing());
        using AgentHost host = builder.Build();

        int exit = await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, exit);
        Assert.Equal(["start forwarding", "stop forwarding"], journal);
    }

    [Fact]
    public void Every_configuration_failure_is_reported_at_once_naming_its_key_and_nothing_is_made()
    {
        bool made = false;
        var builder = new AgentHostBuilder(Config(("Agent:Site:Id", "Flagey Plein!"), ("Agent:Queue:Folder", "/tmp/q"), ("Agent:Queue:MaxBytes", "lots")),
            NullLoggerFactory.Instance).AddAgentSite().AddAgentQueue();
        builder.AddHostedService(_ =>
        {
            made = true;
            return new Recorder("x", []);
        });

        var error = Assert.Throws<OptionsValidationException>(builder.Build);

        Assert.True(ConfigurationErrors.TryDescribe(error, out string? message));
        Assert.Contains("Agent:Site:Id", message, StringComparison.Ordinal);
        Assert.Contains("'Agent:Queue:MaxBytes'", message, StringComparison.Ordinal);
        Assert.False(made);
    }

    [Fact]
    public void Options_bound_and_valid_are_had_from_the_builder()
    {
        var builder = new AgentHostBuilder(Config(("Agent:Site:Id", "flageyplein"), ("Agent:Site:Kind", "school"), ("Agent:Queue:Folder", "/tmp/q")),
            NullLoggerFactory.Instance).AddAgentSite().AddAgentQueue();
        using AgentHost host = builder.Build();

        Assert.Equal(SiteKind.School, builder.Get<SiteOptions>().Kind);
        Assert.Equal(64L << 20, builder.Get<QueueOptions>().MaxBytes);
    }

    [Fact]
    public void Log_lines_are_json_objects_with_the_named_values_and_levels_follow_the_configuration()
    {
        using var output = new MemoryStream();
        var factory = new JsonLineLoggerFactory(output, Config(("Logging:LogLevel:Default", "Warning"), ("Logging:LogLevel:Network.EdgeAgent.Polling", "Debug")));
        ILogger polling = factory.CreateLogger("Network.EdgeAgent.Polling");
        ILogger queue = factory.CreateLogger("Network.EdgeAgent.Queue");

        LogPolled(polling, "ap1 \"guest\"", 50);
        LogPolled(queue, "not written", 1);
        queue.LogWarning(new IOException("disk full"), "queue {Segment} failed", "00000000000000000001.seg");

        string[] lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        JsonElement root = first.RootElement;
        Assert.Equal("Debug", root.GetProperty("LogLevel").GetString());
        Assert.Equal("Network.EdgeAgent.Polling", root.GetProperty("Category").GetString());
        Assert.Equal("polled ap1 \"guest\": 50 interfaces", root.GetProperty("Message").GetString());
        Assert.Equal(50, root.GetProperty("State").GetProperty("Interfaces").GetInt32());
        Assert.EndsWith("Z", root.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        Assert.Contains("disk full", second.RootElement.GetProperty("Exception").GetString(), StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "polled {Device}: {Interfaces} interfaces")]
    private static partial void LogPolled(ILogger logger, string device, int interfaces);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
