using Network.Contracts;
using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Metrics;
using Network.EdgeAgent.Queue;
using Network.Snmp.Client;

namespace Network.EdgeAgent.Polling;

public static class PollingFeature
{
    /// <summary>Needs the site and the queue (<c>AddAgentSite</c>, <c>AddAgentQueue</c>) registered before it.</summary>
    public static AgentHostBuilder AddAgentPolling(this AgentHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PollingOptions o = builder.AddOptions(PollingOptions.Section, static (c, o) => c.Bind(o), new PollingOptionsValidator(),
            new DeviceOptionsValidator());
        builder.AddHostedService(b => new PollingService(o, b.Get<SiteOptions>(), b.Get<SegmentStore>(), b.Logger("Network.EdgeAgent.Polling"), b.Time));
        return builder;
    }
}

/// <summary>
/// Every <see cref="PollingOptions.IntervalSeconds"/>, polls all devices at once and appends what they gave to the
/// queue in one batch (one fsync). The first round runs at start.
/// </summary>
public sealed partial class PollingService(
    PollingOptions options, SiteOptions site, SegmentStore queue, ILogger logger, TimeProvider time)
    : BackgroundService
{
    private static readonly Counter<long> s_polls = AgentMeter.Meter.CreateCounter<long>("edge_agent_polls_total", description: "Device polls, by result.");
    private readonly TimeProvider _time = time;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        PollingOptions o = options;
        if (o.Devices.Count == 0)
        {
            LogNoDevices(logger);
            return;
        }

        await using SnmpClient client = SnmpClient.CreateUdp();
        DevicePoller[] pollers = [.. o.Devices.Select(d => new DevicePoller(d, site, client, _time, logger, o.MaxRepetitions))];
        LogStarted(logger, pollers.Length, o.IntervalSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.IntervalSeconds), _time);
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        do
        {
            await PollRoundAsync(pollers, queue, buffer, stoppingToken).ConfigureAwait(false);
        }
        while (await Tick(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Polls every device once and appends one record per device; what a BackgroundService tick does, testable alone.</summary>
    public static async Task<int> PollRoundAsync(IReadOnlyList<DevicePoller> pollers, SegmentStore queue, CancellationToken cancellationToken) =>
        await PollRoundAsync(pollers, queue, new ArrayBufferWriter<byte>(), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The same, serialising the reports into <paramref name="buffer"/>: the service keeps one for its life, so a round's
    /// records (about 150 KB a 50-interface router) are not new large-object-heap arrays every time.
    /// </summary>
    internal static async Task<int> PollRoundAsync(IReadOnlyList<DevicePoller> pollers, SegmentStore queue, ArrayBufferWriter<byte> buffer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pollers);
        ArgumentNullException.ThrowIfNull(queue);
        AgentReport[] reports = await Task.WhenAll(pollers.Select(p => p.PollAsync(cancellationToken))).ConfigureAwait(false);
        buffer.ResetWrittenCount();
        var ends = new int[reports.Length];
        using (var json = new Utf8JsonWriter(buffer))
        {
            for (int i = 0; i < reports.Length; i++)
            {
                bool reachable = reports[i].Samples.Any(s => s.Metric == MetricNames.DeviceReachable && s.Value == 1);
                s_polls.Add(1, AgentMeter.Tag("result", reachable ? "ok" : "unreachable"));
                reports[i].WriteTo(json);
                json.Flush();
                json.Reset();
                ends[i] = buffer.WrittenCount;
            }
        }

        var payloads = new ReadOnlyMemory<byte>[reports.Length];
        for (int i = 0; i < reports.Length; i++)
        {
            int start = i == 0 ? 0 : ends[i - 1];
            payloads[i] = buffer.WrittenMemory[start..ends[i]];
        }

        queue.Append(payloads);
        return reports.Sum(r => r.Samples.Count);
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "no devices configured under Agent:Polling:Devices: polling nothing")]
    private static partial void LogNoDevices(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "polling {Devices} devices every {Seconds} s")]
    private static partial void LogStarted(ILogger logger, int devices, int seconds);
}
