using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.Noc.Throughput;

/// <summary>
/// Bounds of the throughput endpoint, section <c>Throughput</c>: a test lasts at most <see cref="MaxDuration"/> and moves at
/// most <see cref="MaxBytes"/> either way, and at most <see cref="MaxConcurrentTests"/> run at once (more get 503), so a
/// crowd of agents cannot saturate the NOC's link or its cores.
/// </summary>
public sealed class ThroughputOptions
{
    public const string Section = "Throughput";

    [Range(1, 1000)]
    public int MaxConcurrentTests { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes one download sends or one upload takes, at most (4 GiB: 30 s at 1 Gbit/s and some).</summary>
    [Range(1024, 1L << 40)]
    public long MaxBytes { get; set; } = 4L << 30;

    /// <summary>What a refused agent is told to wait (Retry-After); agents add up to a minute at random.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(2);
}

[OptionsValidator]
public sealed partial class ThroughputOptionsValidator : IValidateOptions<ThroughputOptions>;
