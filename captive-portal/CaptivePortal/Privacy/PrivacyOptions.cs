using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Privacy;

/// <summary>How long the portal keeps what it records about people. Section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Accounting records and closed sessions (who was online where, when, how much): 365 days by default, the 12 months
    /// Belgian data-retention law (2022) sets for the identification data that providers of public electronic communication
    /// services keep; shorten it where that duty does not apply. Hourly figures without names (registrations per hotspot) follow the same setting.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan AccountingRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// The mail outbox (reset links, which name a person's address): 7 days by default, long enough for a relay to have
    /// picked the mail up, short enough that the links, dead after <c>Portal:ResetLinkLifetime</c>, do not pile up.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention runs.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

[OptionsValidator]
public sealed partial class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>;
