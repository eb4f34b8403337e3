using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Queue;

namespace Network.EdgeAgent.Probes;

/// <summary>How a target is probed: ICMP echo when the process may send it (else TCP), or always one of the two.</summary>
public enum ProbeMethod
{
    Auto,
    Icmp,
    Tcp,
}

public sealed class ProbeTargetOptions
{
    /// <summary>Name of the target in the samples' <c>target</c> label.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// The site whose uplink this target measures: its samples carry this site (default: <c>Agent:Site:Id</c>). An
    /// agent that polls many sites gives each its own target, so each site's latency is its own.
    /// </summary>
    public string? Site { get; set; }

    /// <summary>IP address or host name. Only configured targets are ever probed.</summary>
    public string Host { get; set; } = "";

    public ProbeMethod Method { get; set; } = ProbeMethod.Auto;

    /// <summary>TCP port for <see cref="ProbeMethod.Tcp"/>, and for <see cref="ProbeMethod.Auto"/> when ICMP is not permitted.</summary>
    public int Port { get; set; } = 443;
}

/// <summary>Uplink probes. Keys under <c>Agent:Probes</c>.</summary>
public sealed class ProbeOptions
{
    public const string Section = "Agent:Probes";

    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>Echoes (or connects) per target per round: loss is the share that failed.</summary>
    [Range(1, 100)]
    public int Count { get; set; } = 5;

    [Range(10, 30_000)]
    public int TimeoutMs { get; set; } = 1000;

    public List<ProbeTargetOptions> Targets { get; set; } = [];
}

[OptionsValidator]
public sealed partial class ProbeOptionsValidator : IValidateOptions<ProbeOptions>;

/// <summary>Each target needs a name and a host; ports are 1 to 65535.</summary>
public sealed class ProbeTargetsValidator : IValidateOptions<ProbeOptions>
{
    public ValidateOptionsResult Validate(string? name, ProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (int i = 0; i < options.Targets.Count; i++)
        {
            ProbeTargetOptions t = options.Targets[i];
            string key = string.Create(CultureInfo.InvariantCulture, $"{ProbeOptions.Section}:Targets:{i}");
            if (string.IsNullOrWhiteSpace(t.Name))
            {
                failures.Add($"{key}:Name: a probe target needs a name");
            }

            if (string.IsNullOrWhiteSpace(t.Host) || Uri.CheckHostName(t.Host) == UriHostNameType.Unknown)
            {
                failures.Add($"{key}:Host: '{t.Host}' is not a host name or IP address");
            }

            if (t.Site is not null && !SiteIdAttribute.IsSiteId(t.Site))
            {
                failures.Add($"{key}:Site: '{t.Site}' is not a site id (1 to 64 of a-z, 0-9, '.', '_' and '-')");
            }

            if (t.Port is < 1 or > 65535)
            {
                failures.Add($"{key}:Port: must be 1 to 65535, not {t.Port}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>One probe round of one target: how many answered, and their mean round-trip time.</summary>
public sealed record ProbeResult(string Target, ProbeMethod Method, int Sent, int Answered, double? MeanRttMs)
{
    public double Loss => Sent == 0 ? 1 : (Sent - Answered) / (double)Sent;
}

/// <summary>
/// Reachability, latency and loss of the uplink: ICMP echo (System.Net.NetworkInformation.Ping) where the process may
/// send it, else a TCP connect to the target's port, timed. In <see cref="ProbeMethod.Auto"/>, the first
/// <see cref="PingException"/> switches the target to TCP for good.
/// </summary>
public sealed partial class UplinkProber(ProbeOptions options, ILogger logger)
{
    private readonly HashSet<string> _icmpRefused = new(StringComparer.Ordinal);

    public async Task<ProbeResult> ProbeAsync(ProbeTargetOptions target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ProbeMethod method = target.Method == ProbeMethod.Auto && _icmpRefused.Contains(target.Name) ? ProbeMethod.Tcp : target.Method;
        if (method != ProbeMethod.Tcp)
        {
            try
            {
                return await PingAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (PingException ex) when (method == ProbeMethod.Auto)
            {
                _icmpRefused.Add(target.Name);
                LogIcmpRefused(logger, target.Name, ex.InnerException?.Message ?? ex.Message);
            }
        }

        return await ConnectAsync(target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProbeResult> PingAsync(ProbeTargetOptions target, CancellationToken cancellationToken)
    {
        using var ping = new Ping();
        var rtts = new List<double>();
        for (int i = 0; i < options.Count; i++)
        {
            PingReply reply = await ping.SendPingAsync(target.Host, TimeSpan.FromMilliseconds(options.TimeoutMs), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (reply.Status == IPStatus.Success)
            {
                rtts.Add(reply.RoundtripTime);
            }
        }

        return new ProbeResult(target.Name, ProbeMethod.Icmp, options.Count, rtts.Count, rtts.Count > 0 ? rtts.Average() : null);
    }

    private async Task<ProbeResult> ConnectAsync(ProbeTargetOptions target, CancellationToken cancellationToken)
    {
        var rtts = new List<double>();
        for (int i = 0; i < options.Count; i++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.TimeoutMs);
            long start = Stopwatch.GetTimestamp();
            try
            {
                await socket.ConnectAsync(target.Host, target.Port, timeout.Token).ConfigureAwait(false);
                rtts.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            catch (SocketException)
            {
                // refused, unreachable: lost
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // timed out: lost
            }
        }

        return new ProbeResult(target.Name, ProbeMethod.Tcp, options.Count, rtts.Count, rtts.Count > 0 ? rtts.Average() : null);
    }

    /// <summary>The samples of one result: <c>probe_up</c>, <c>probe_loss_ratio</c> and, when anything answered, <c>probe_rtt_ms</c>.</summary>
    public static IEnumerable<Sample> Samples(ProbeResult result, string site, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(result);
        var labels = new Dictionary<string, string> { [LabelNames.Target] = result.Target, [LabelNames.Method] = result.Method == ProbeMethod.Icmp ? "icmp" : "tcp" };
        yield return new Sample(site, DeviceNames.UplinkProbe, MetricNames.ProbeUp, at, result.Answered > 0 ? 1 : 0, labels);
        yield return new Sample(site, DeviceNames.UplinkProbe, MetricNames.ProbeLossRatio, at, result.Loss, labels);
        if (result.MeanRttMs is double rtt)
        {
            yield return new Sample(site, DeviceNames.UplinkProbe, MetricNames.ProbeRttMs, at, rtt, labels);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "probe target {Target}: ICMP echo not permitted ({Reason}), probing with TCP connect")]
    private static partial void LogIcmpRefused(ILogger logger, string target, string reason);
}

public static class ProbesFeature
{
    /// <summary>Needs the site and the queue (<c>AddAgentSite</c>, <c>AddAgentQueue</c>) registered before it.</summary>
    public static AgentHostBuilder AddAgentProbes(this AgentHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ProbeOptions o = builder.AddOptions(ProbeOptions.Section, static (c, o) => c.Bind(o), new ProbeOptionsValidator(), new ProbeTargetsValidator());
        builder.AddHostedService(b => new ProbeService(o, b.Get<SiteOptions>(), b.Get<SegmentStore>(), b.Logger("Network.EdgeAgent.Probes"), b.Time));
        return builder;
    }
}

/// <summary>
/// Every <see cref="ProbeOptions.IntervalSeconds"/>, probes every target and appends one record to the queue; each
/// target's samples carry its own site, else the agent's.
/// </summary>
public sealed class ProbeService(ProbeOptions options, SiteOptions site, SegmentStore queue, ILogger logger, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ProbeOptions o = options;
        if (o.Targets.Count == 0)
        {
            return;
        }

        var prober = new UplinkProber(o, logger);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.IntervalSeconds), time);
        try
        {
            do
            {
                DateTimeOffset at = time.GetUtcNow();
                ProbeResult[] results = await Task.WhenAll(o.Targets.Select(t => prober.ProbeAsync(t, stoppingToken))).ConfigureAwait(false);
                var report = new AgentReport([.. results.SelectMany((r, i) => UplinkProber.Samples(r, o.Targets[i].Site ?? site.Id, at))]);
                queue.Append([report.ToBytes()]);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
