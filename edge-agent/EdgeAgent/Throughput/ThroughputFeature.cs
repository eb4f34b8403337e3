using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Network.Contracts;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Metrics;
using Network.EdgeAgent.Queue;

namespace Network.EdgeAgent.Throughput;

/// <summary>One target's test: the rate each way, and how long each was measured.</summary>
public sealed record ThroughputResult(string Target, ThroughputTargetKind Kind, ThroughputMeasurement Download, ThroughputMeasurement Upload)
{
    /// <summary>
    /// The samples of a test, at <paramref name="at"/> (its start), for the site's uplink (device <see cref="DeviceNames.UplinkProbe"/>):
    /// <c>throughput_download_mbps</c>, <c>throughput_upload_mbps</c> and two <c>throughput_test_seconds</c> (per direction).
    /// </summary>
    public IReadOnlyList<Sample> Samples(string site, DateTimeOffset at)
    {
        string method = Kind == ThroughputTargetKind.Noc ? LabelNames.MethodNoc : LabelNames.MethodIperf3;
        var labels = new Dictionary<string, string> { [LabelNames.Target] = Target, [LabelNames.Method] = method };
        return
        [
            new Sample(site, DeviceNames.UplinkProbe, MetricNames.ThroughputDownloadMbps, at, Math.Round(Download.Mbps, 3), labels),
            new Sample(site, DeviceNames.UplinkProbe, MetricNames.ThroughputUploadMbps, at, Math.Round(Upload.Mbps, 3), labels),
            new Sample(site, DeviceNames.UplinkProbe, MetricNames.ThroughputTestSeconds, at, Math.Round(Download.Interval.TotalSeconds, 3),
                new Dictionary<string, string>(labels) { [LabelNames.Direction] = "download" }),
            new Sample(site, DeviceNames.UplinkProbe, MetricNames.ThroughputTestSeconds, at, Math.Round(Upload.Interval.TotalSeconds, 3),
                new Dictionary<string, string>(labels) { [LabelNames.Direction] = "upload" }),
        ];
    }
}

/// <summary>Runs one direction of a test against one target (the real ones: <see cref="ThroughputTester"/>).</summary>
public interface IThroughputRunner
{
    Task<ThroughputMeasurement> RunAsync(ThroughputTargetOptions target, bool download, TimeSpan omit, TimeSpan duration, CancellationToken cancellationToken);
}

/// <summary>The real tests: iperf3's protocol for <see cref="ThroughputTargetKind.Iperf3"/>, HTTP to the NOC for <see cref="ThroughputTargetKind.Noc"/>.</summary>
public sealed class ThroughputTester(ForwardingOptions noc, TimeProvider time, TcpSocketFactory? sockets = null) : IThroughputRunner
{
    public async Task<ThroughputMeasurement> RunAsync(ThroughputTargetOptions target, bool download, TimeSpan omit, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Kind == ThroughputTargetKind.Iperf3)
        {
            return await new Iperf3Client(target.Host!, target.Port, time, sockets).RunAsync(download, omit, duration, cancellationToken).ConfigureAwait(false);
        }

        using var client = new NocThroughputClient(new Uri(noc.Url), noc.Token, Forwarder.CreateHandler(noc), time, sockets);
        return await client.RunAsync(download, omit, duration, cancellationToken).ConfigureAwait(false);
    }
}

public static class ThroughputFeature
{
    /// <summary>Needs the site, the queue and forwarding (<c>AddAgentSite</c>, <c>AddAgentQueue</c>, <c>AddAgentForwarding</c>) registered before it.</summary>
    public static AgentHostBuilder AddAgentThroughput(this AgentHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ThroughputOptions o = builder.AddOptions(ThroughputOptions.Section, static (c, o) => c.Bind(o), new ThroughputOptionsValidator(),
            new ThroughputTargetsValidator());
        builder.AddHostedService(b => new ThroughputService(o, o.Site ?? b.Get<SiteOptions>().Id, b.Get<SegmentStore>(), b.Get<NocRequests>(),
            new ThroughputTester(b.Get<ForwardingOptions>(), b.Time), b.Logger("Network.EdgeAgent.Throughput"), b.Time));
        return builder;
    }
}

/// <summary>
/// Runs the test of every target at the site's nightly start (<see cref="ThroughputSchedule"/>) and whenever the NOC asks
/// (<see cref="AgentRequests.ThroughputTest"/>), one target and one direction at a time (download, then upload), and
/// appends each target's samples to the queue. A target that fails is logged and counted; a busy NOC is tried again
/// after its Retry-After.
/// </summary>
public sealed partial class ThroughputService(ThroughputOptions options, string site, SegmentStore queue, NocRequests requests,
    IThroughputRunner runner, ILogger logger, TimeProvider time, Random? random = null) : BackgroundService
{
    private static readonly Counter<long> s_tests = AgentMeter.Meter.CreateCounter<long>("edge_agent_throughput_tests_total",
        description: "Throughput tests of one target, by result.");

    private readonly Random _random = random ?? Random.Shared;

    /// <summary>Tests run to their end (done or failed): a test can wait on this count instead of a clock.</summary>
    public int Completed => Volatile.Read(ref _completed);

    private int _completed;

    /// <summary>When the next scheduled test starts (for logs and tests).</summary>
    public DateTimeOffset? NextRun { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Targets.Count == 0)
        {
            return;
        }

        var schedule = new ThroughputSchedule(options.WindowStart, options.WindowEnd, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), site,
            TimeSpan.FromMinutes(options.JitterMinutes), _random);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTimeOffset next = schedule.Next(time.GetUtcNow());
                NextRun = next;
                LogScheduled(logger, next);
                using (var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    Task due = Task.Delay(Max(next - time.GetUtcNow(), TimeSpan.Zero), time, wake.Token);
                    Task asked = requests.WaitForAsync(AgentRequests.ThroughputTest, wake.Token);
                    Task first = await Task.WhenAny(due, asked).ConfigureAwait(false);
                    await wake.CancelAsync().ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                    if (first == asked)
                    {
                        LogRequested(logger);
                    }
                }

                await RunAllAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Every target once; each target's samples are one queue record.</summary>
    public async Task RunAllAsync(CancellationToken cancellationToken)
    {
        TimeSpan omit = TimeSpan.FromSeconds(options.OmitSeconds);
        TimeSpan duration = TimeSpan.FromSeconds(options.DurationSeconds);
        foreach (ThroughputTargetOptions target in options.Targets)
        {
            DateTimeOffset at = time.GetUtcNow();
            try
            {
                ThroughputMeasurement download = await WithRetriesAsync(target, true, omit, duration, cancellationToken).ConfigureAwait(false);
                ThroughputMeasurement upload = await WithRetriesAsync(target, false, omit, duration, cancellationToken).ConfigureAwait(false);
                var result = new ThroughputResult(target.Name, target.Kind, download, upload);
                queue.Append([new AgentReport(result.Samples(site, at)).ToBytes()]);
                s_tests.Add(1, AgentMeter.Tag("result", "done"));
                LogDone(logger, target.Name, download.Mbps, upload.Mbps);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                s_tests.Add(1, AgentMeter.Tag("result", ex is ThroughputBusyException ? "busy" : "failed"));
                LogFailed(logger, target.Name, ex.Message);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }

    private async Task<ThroughputMeasurement> WithRetriesAsync(ThroughputTargetOptions target, bool download, TimeSpan omit, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await runner.RunAsync(target, download, omit, duration, cancellationToken).ConfigureAwait(false);
            }
            catch (ThroughputBusyException busy) when (attempt < options.BusyRetries)
            {
                // Retry-After, at most ten minutes, plus up to a minute at random: the agents the NOC turned away do not return together.
                TimeSpan wait = Max(busy.RetryAfter, TimeSpan.Zero);
                wait = (wait > TimeSpan.FromMinutes(10) ? TimeSpan.FromMinutes(10) : wait) + TimeSpan.FromSeconds(_random.NextDouble() * 60);
                LogBusy(logger, target.Name, wait.TotalSeconds);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "next throughput test at {Next:o}")]
    private static partial void LogScheduled(ILogger logger, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Information, Message = "the NOC asked for a throughput test: running it now")]
    private static partial void LogRequested(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "throughput test with {Target}: {Download:0.0} Mbit/s down, {Upload:0.0} Mbit/s up")]
    private static partial void LogDone(ILogger logger, string target, double download, double upload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "throughput test with {Target} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "throughput target {Target} is busy: trying again in {Seconds:0} s")]
    private static partial void LogBusy(ILogger logger, string target, double seconds);
}
