using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.Noc.Sla;

/// <summary>One line of a credit table: availability below <see cref="BelowPercent"/> owes <see cref="CreditPercent"/> of the monthly fee.</summary>
public sealed record CreditStep(double BelowPercent, double CreditPercent);

/// <summary>A school's SLA as it applies: the configured defaults with the school's own values over them.</summary>
/// <param name="CommittedDownMbps">The committed rate towards the school.</param>
/// <param name="CommittedUpMbps">The committed rate from the school.</param>
/// <param name="AvailabilityObjectivePercent">The availability a month must reach (99.5).</param>
/// <param name="Schedule">When availability is measured.</param>
/// <param name="LatencyObjectiveMs">The uplink probes' 95th percentile round trip must stay at or below this.</param>
/// <param name="LossObjectivePercent">The uplink probes' mean loss must stay at or below this.</param>
/// <param name="Credits">The credit table; the largest credit whose threshold the availability is below is owed.</param>
/// <param name="MonthlyFee">The school's monthly fee in euros (0: credits as percentages only).</param>
/// <param name="ThroughputTolerancePercent">A throughput test passes at or above the committed rate less this share.</param>
/// <param name="NoDataCountsAsDown">Whether time without data counts against availability (a school without reports cannot prove it was up).</param>
/// <param name="ActiveFrom">When the school joined the programme; earlier time is not measured (null: its installation date).</param>
public sealed record SlaDefinition(
    double CommittedDownMbps,
    double CommittedUpMbps,
    double AvailabilityObjectivePercent,
    SlaSchedule Schedule,
    double LatencyObjectiveMs,
    double LossObjectivePercent,
    IReadOnlyList<CreditStep> Credits,
    decimal MonthlyFee,
    double ThroughputTolerancePercent,
    bool NoDataCountsAsDown,
    DateTimeOffset? ActiveFrom);

/// <summary>One credit line in configuration (<c>Sla:Credits:0:BelowPercent</c>, <c>Sla:Credits:0:CreditPercent</c>).</summary>
public sealed class CreditStepOptions
{
    [Range(0.0, 100.0)]
    public double BelowPercent { get; set; }

    [Range(0.0, 100.0)]
    public double CreditPercent { get; set; }
}

/// <summary>The programme's SLA defaults and the report's settings, section <c>Sla</c>; each school may override the SLA's values.</summary>
public sealed class SlaOptions : IValidatableObject
{
    public const string Section = "Sla";

    /// <summary>What the credit table is when none is configured: below objective 10 %, below 98 % 25 %.</summary>
    public static readonly IReadOnlyList<CreditStep> DefaultCredits = [new(99.5, 10), new(98, 25)];

    /// <summary>The committed rate towards a school when neither the school's SLA nor the inventory names one.</summary>
    [Range(1.0, 100_000.0)]
    public double CommittedDownMbps { get; set; } = 100;

    /// <summary>The committed rate from a school, likewise.</summary>
    [Range(1.0, 100_000.0)]
    public double CommittedUpMbps { get; set; } = 100;

    [Range(0.0, 100.0)]
    public double AvailabilityObjectivePercent { get; set; } = 99.5;

    /// <summary>The schedule's time zone (IANA id).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Brussels";

    /// <summary>Weekly hours (<c>Mon-Fri 07:00-18:00</c>); none: every hour.</summary>
    public List<string> Hours { get; set; } = [];

    /// <summary>Excluded periods, local dates (<c>2026-02-16/2026-02-20 Krokusvakantie</c>): the region's school holidays.</summary>
    public List<string> Excluded { get; set; } = [];

    [Range(1.0, 60_000.0)]
    public double LatencyObjectiveMs { get; set; } = 50;

    [Range(0.0, 100.0)]
    public double LossObjectivePercent { get; set; } = 1;

    /// <summary>The credit table; none configured: <see cref="DefaultCredits"/>.</summary>
    [ValidateEnumeratedItems]
    public List<CreditStepOptions> Credits { get; set; } = [];

    [Range(typeof(decimal), "0", "1000000")]
    public decimal MonthlyFee { get; set; }

    /// <summary>A throughput test passes at or above the committed rate less this many percent.</summary>
    [Range(0.0, 50.0)]
    public double ThroughputTolerancePercent { get; set; } = 5;

    /// <summary>Whether periods without data count against availability (default: they do).</summary>
    public bool NoDataCountsAsDown { get; set; } = true;

    /// <summary>How far before a report's first month the alarm history is read for down periods still running then.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "400.00:00:00")]
    public TimeSpan IncidentLookback { get; set; } = TimeSpan.FromDays(92);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            SlaSchedule.Parse(Hours, Excluded, TimeZone);
        }
        catch (FormatException ex)
        {
            error = ex.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult($"Hours, Excluded or TimeZone: {error}.", [nameof(Hours)]);
        }
    }

    /// <summary>The programme's default SLA.</summary>
    public SlaDefinition Definition() => new(CommittedDownMbps, CommittedUpMbps, AvailabilityObjectivePercent, SlaSchedule.Parse(Hours, Excluded, TimeZone),
        LatencyObjectiveMs, LossObjectivePercent, Credits.Count == 0 ? DefaultCredits : [.. Credits.Select(c => new CreditStep(c.BelowPercent, c.CreditPercent))],
        MonthlyFee, ThroughputTolerancePercent, NoDataCountsAsDown, null);
}

[OptionsValidator]
public sealed partial class SlaOptionsValidator : IValidateOptions<SlaOptions>;

/// <summary>A school's own SLA values; a null keeps the programme's default (or, for the committed rates, the inventory's).</summary>
public sealed record SlaOverride(
    double? CommittedDownMbps = null,
    double? CommittedUpMbps = null,
    double? AvailabilityObjectivePercent = null,
    IReadOnlyList<string>? Hours = null,
    IReadOnlyList<string>? Excluded = null,
    double? LatencyObjectiveMs = null,
    double? LossObjectivePercent = null,
    IReadOnlyList<CreditStep>? Credits = null,
    decimal? MonthlyFee = null,
    DateTimeOffset? ActiveFrom = null)
{
    public const int MaxCredits = 20;

    /// <summary>What is wrong with these values, by field; empty when nothing is.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        Check(problems, nameof(CommittedDownMbps), CommittedDownMbps is null or (>= 1 and <= 100_000), "1 to 100,000 Mbit/s");
        Check(problems, nameof(CommittedUpMbps), CommittedUpMbps is null or (>= 1 and <= 100_000), "1 to 100,000 Mbit/s");
        Check(problems, nameof(AvailabilityObjectivePercent), AvailabilityObjectivePercent is null or (>= 0 and <= 100), "0 to 100 %");
        Check(problems, nameof(LatencyObjectiveMs), LatencyObjectiveMs is null or (>= 1 and <= 60_000), "1 to 60,000 ms");
        Check(problems, nameof(LossObjectivePercent), LossObjectivePercent is null or (>= 0 and <= 100), "0 to 100 %");
        Check(problems, nameof(MonthlyFee), MonthlyFee is null or (>= 0 and <= 1_000_000), "0 to 1,000,000 euros");
        Check(problems, nameof(Credits), Credits is null || (Credits.Count <= MaxCredits
            && Credits.All(c => c is { BelowPercent: >= 0 and <= 100, CreditPercent: >= 0 and <= 100 })), $"at most {MaxCredits} lines, each 0 to 100 %");
        try
        {
            SlaSchedule.Parse(Hours, Excluded, "UTC");
        }
        catch (FormatException ex)
        {
            problems["Schedule"] = [ex.Message];
        }

        return problems;
    }

    /// <summary>The school's SLA: these values over <paramref name="defaults"/>, the inventory's committed rate over the default's.</summary>
    public SlaDefinition Apply(SlaDefinition defaults, int? inventoryCommittedMbps)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        SlaSchedule schedule = Hours is null && Excluded is null
            ? defaults.Schedule
            : new SlaSchedule(
                Hours is null ? defaults.Schedule.Hours : [.. Hours.Select(WeeklyHours.Parse)],
                Excluded is null ? defaults.Schedule.Excluded : [.. Excluded.Select(ExcludedPeriod.Parse)],
                defaults.Schedule.Zone);
        return defaults with
        {
            CommittedDownMbps = CommittedDownMbps ?? inventoryCommittedMbps ?? defaults.CommittedDownMbps,
            CommittedUpMbps = CommittedUpMbps ?? inventoryCommittedMbps ?? defaults.CommittedUpMbps,
            AvailabilityObjectivePercent = AvailabilityObjectivePercent ?? defaults.AvailabilityObjectivePercent,
            Schedule = schedule,
            LatencyObjectiveMs = LatencyObjectiveMs ?? defaults.LatencyObjectiveMs,
            LossObjectivePercent = LossObjectivePercent ?? defaults.LossObjectivePercent,
            Credits = Credits ?? defaults.Credits,
            MonthlyFee = MonthlyFee ?? defaults.MonthlyFee,
            ActiveFrom = ActiveFrom ?? defaults.ActiveFrom,
        };
    }

    private static void Check(Dictionary<string, string[]> problems, string field, bool ok, string rule)
    {
        if (!ok)
        {
            problems[field] = [rule];
        }
    }
}
