using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.Noc.TimeSeries;

/// <summary>The time-series layer, section <c>TimeSeries</c>: retention of the embedded store, its write path, and InfluxDB.</summary>
public sealed class TimeSeriesOptions : IValidatableObject
{
    public const string Section = "TimeSeries";

    /// <summary>How long raw points are kept. Points older than this are not accepted (they could not be deduplicated).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long 1-minute rollups are kept.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>How long 1-hour rollups are kept.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "36500.00:00:00")]
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(730);

    /// <summary>How often the background pass deletes what retention no longer keeps.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long written points may wait in memory (they are already in the point log, so a crash loses none) before
    /// they are merged into the stored hour chunks and rollups. Reads see them either way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Points held in memory before a write merges them at once (bounds memory during a backlog replay).</summary>
    [Range(1_000, 100_000_000)]
    public int MaxPendingPoints { get; set; } = 4_000_000;

    /// <summary>Most series the catalogue takes; points of further new series are dropped (a label explosion stops here).</summary>
    [Range(1, 100_000_000)]
    public int MaxSeries { get; set; } = 1_000_000;

    /// <summary>fsync the point log on every write (survives a power cut, not only a crash of the process; costs a disk flush per write).</summary>
    public bool SyncWrites { get; set; }

    /// <summary>A second sink: InfluxDB 2.x (or any engine that takes its write API). Enabled when <see cref="InfluxOptions.Url"/> is set.</summary>
    [ValidateObjectMembers]
    public InfluxOptions Influx { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinuteRetention < RawRetention)
        {
            yield return new ValidationResult("MinuteRetention must be at least RawRetention.", [nameof(MinuteRetention)]);
        }

        if (HourRetention < MinuteRetention)
        {
            yield return new ValidationResult("HourRetention must be at least MinuteRetention.", [nameof(HourRetention)]);
        }

        // Checked here rather than in InfluxOptions, so each failure names its full key (TimeSeries:Influx:Url).
        if (!Influx.Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Influx.Url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Influx:Url must be an absolute http or https address.", ["Influx.Url"]);
        }

        if (string.IsNullOrWhiteSpace(Influx.Org))
        {
            yield return new ValidationResult("Influx:Org is required when Influx:Url is set.", ["Influx.Org"]);
        }

        if (string.IsNullOrWhiteSpace(Influx.Bucket))
        {
            yield return new ValidationResult("Influx:Bucket is required when Influx:Url is set.", ["Influx.Bucket"]);
        }

        if (string.IsNullOrWhiteSpace(Influx.Token))
        {
            yield return new ValidationResult("Influx:Token is required when Influx:Url is set.", ["Influx.Token"]);
        }
    }
}

/// <summary>Where the InfluxDB sink writes, section <c>TimeSeries:Influx</c>.</summary>
public sealed class InfluxOptions
{
    /// <summary>Base address, for example <c>http://127.0.0.1:8086</c>; empty turns the sink off.</summary>
    public string? Url { get; set; }

    /// <summary>The organisation (InfluxDB 2.x <c>org</c> parameter).</summary>
    public string? Org { get; set; }

    /// <summary>The bucket.</summary>
    public string? Bucket { get; set; }

    /// <summary>The API token (sent as <c>Authorization: Token ...</c>; never logged).</summary>
    public string? Token { get; set; }

    /// <summary>Time allowed for one write request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the sink is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}

[OptionsValidator]
public sealed partial class TimeSeriesOptionsValidator : IValidateOptions<TimeSeriesOptions>;
