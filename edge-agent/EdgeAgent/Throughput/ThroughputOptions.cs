using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Configuration;

namespace Network.EdgeAgent.Throughput;

/// <summary>What a throughput target is: the NOC's own endpoint (<c>Agent:Noc:Url</c>, the agent's token) or a stock <c>iperf3 -s</c>.</summary>
public enum ThroughputTargetKind
{
    Noc,
    Iperf3,
}

public sealed class ThroughputTargetOptions
{
    /// <summary>Name of the target in the samples' <c>target</c> label.</summary>
    public string Name { get; set; } = "";

    public ThroughputTargetKind Kind { get; set; } = ThroughputTargetKind.Noc;

    /// <summary>The iperf3 server's host name or address (not used for <see cref="ThroughputTargetKind.Noc"/>).</summary>
    public string? Host { get; set; }

    /// <summary>The iperf3 server's port (iperf3's default 5201).</summary>
    public int Port { get; set; } = 5201;
}

/// <summary>
/// The committed-rate test. Keys under <c>Agent:Throughput</c>. Nothing runs without targets. Each night, inside the
/// window (local time of <see cref="TimeZone"/>), at the site's own slot plus or minus <see cref="JitterMinutes"/>
/// (<see cref="ThroughputSchedule"/>); and whenever the NOC asks.
/// </summary>
public sealed class ThroughputOptions
{
    public const string Section = "Agent:Throughput";

    public List<ThroughputTargetOptions> Targets { get; set; } = [];

    /// <summary>The site whose uplink is measured: its samples carry it (default <c>Agent:Site:Id</c>).</summary>
    public string? Site { get; set; }

    /// <summary>Seconds measured per direction, after the warm-up (with it, within the NOC's 30 s bound).</summary>
    [Range(1, 25)]
    public int DurationSeconds { get; set; } = 10;

    /// <summary>Warm-up seconds per direction, not measured (TCP's slow start).</summary>
    [Range(0, 4)]
    public int OmitSeconds { get; set; } = 2;

    /// <summary>Start of the nightly window, local time.</summary>
    public TimeSpan WindowStart { get; set; } = TimeSpan.FromHours(1);

    /// <summary>End of the nightly window, local time (before the start: the window crosses midnight).</summary>
    public TimeSpan WindowEnd { get; set; } = TimeSpan.FromHours(5);

    /// <summary>The time zone of the window (IANA id).</summary>
    public string TimeZone { get; set; } = "Europe/Brussels";

    /// <summary>Random shift of each night's start around the site's slot, minutes either way.</summary>
    [Range(0, 120)]
    public int JitterMinutes { get; set; } = 10;

    /// <summary>Tries of a target whose NOC answers 503 (busy), waiting its Retry-After between them.</summary>
    [Range(1, 10)]
    public int BusyRetries { get; set; } = 3;
}

[OptionsValidator]
public sealed partial class ThroughputOptionsValidator : IValidateOptions<ThroughputOptions>;

/// <summary>Targets need a name, an iperf3 target a host and a port; the window and the time zone must make sense.</summary>
public sealed class ThroughputTargetsValidator : IValidateOptions<ThroughputOptions>
{
    public ValidateOptionsResult Validate(string? name, ThroughputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (int i = 0; i < options.Targets.Count; i++)
        {
            ThroughputTargetOptions t = options.Targets[i];
            string key = string.Create(CultureInfo.InvariantCulture, $"{ThroughputOptions.Section}:Targets:{i}");
            if (string.IsNullOrWhiteSpace(t.Name))
            {
                failures.Add($"{key}:Name: a throughput target needs a name");
            }

            if (t.Kind == ThroughputTargetKind.Iperf3 && (string.IsNullOrWhiteSpace(t.Host) || Uri.CheckHostName(t.Host) == UriHostNameType.Unknown))
            {
                failures.Add($"{key}:Host: '{t.Host}' is not a host name or IP address");
            }

            if (t.Port is < 1 or > 65535)
            {
                failures.Add($"{key}:Port: must be 1 to 65535, not {t.Port}");
            }
        }

        if (options.Site is not null && !SiteIdAttribute.IsSiteId(options.Site))
        {
            failures.Add($"{ThroughputOptions.Section}:Site: '{options.Site}' is not a site id");
        }

        foreach ((string key, TimeSpan value) in new[] { ("WindowStart", options.WindowStart), ("WindowEnd", options.WindowEnd) })
        {
            if (value < TimeSpan.Zero || value >= TimeSpan.FromDays(1))
            {
                failures.Add($"{ThroughputOptions.Section}:{key}: a time of day (00:00 to 23:59), not {value}");
            }
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"{ThroughputOptions.Section}:TimeZone: '{options.TimeZone}' is not a known time zone");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
