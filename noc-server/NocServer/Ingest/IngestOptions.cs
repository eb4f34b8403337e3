using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.Noc.Ingest;

/// <summary>Limits of the ingest API, section <c>Ingest</c>: everything an agent (or a stranger with a stolen token) can send is bounded.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest request body as sent (compressed), bytes.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 16L << 20;

    /// <summary>Largest body after gzip decompression, bytes (a small gzip bomb stops here).</summary>
    [Range(1024, 1L << 31)]
    public long MaxDecompressedBytes { get; set; } = 128L << 20;

    /// <summary>Most samples in one batch.</summary>
    [Range(1, 10_000_000)]
    public int MaxSamples { get; set; } = 200_000;

    /// <summary>Most events in one batch.</summary>
    [Range(0, 1_000_000)]
    public int MaxEvents { get; set; } = 10_000;

    /// <summary>Most labels on one sample.</summary>
    [Range(0, 64)]
    public int MaxLabels { get; set; } = 16;

    /// <summary>How far in the future a timestamp may be (agents' clocks drift).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How old a sample may be: an agent replays its queue after an outage with the original timestamps.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "400.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Points accepted but not yet stored, across all requests; beyond it the NOC answers 429 with Retry-After.</summary>
    [Range(1000, 100_000_000)]
    public int MaxPendingPoints { get; set; } = 2_000_000;

    /// <summary>Most points the writer stores in one go (one transaction).</summary>
    [Range(1, 10_000_000)]
    public int MaxPointsPerWrite { get; set; } = 100_000;
}

[OptionsValidator]
public sealed partial class IngestOptionsValidator : IValidateOptions<IngestOptions>;
