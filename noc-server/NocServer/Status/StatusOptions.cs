using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.Noc.Status;

/// <summary>How the status engine judges devices, section <c>Status</c>.</summary>
public sealed class StatusOptions
{
    public const string Section = "Status";

    /// <summary>Consecutive bad readings before a device goes down or degraded (hysteresis).</summary>
    [Range(1, 100)]
    public int RaiseAfter { get; set; } = 2;

    /// <summary>Consecutive good readings before it is up again.</summary>
    [Range(1, 100)]
    public int ClearAfter { get; set; } = 2;

    /// <summary>No reading for this long makes a device unknown ("no data") and opens an alarm.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>This many state changes (or speed drops) within <see cref="FlapWindow"/> mark a device flapping.</summary>
    [Range(2, 100)]
    public int FlapTransitions { get; set; } = 4;

    /// <summary>The window flapping is counted over; a device stops flapping after a whole window without a change.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Probe loss ratio from which the uplink is degraded.</summary>
    [Range(0.0, 1.0)]
    public double DegradedLossRatio { get; set; } = 0.1;

    /// <summary>Probe round-trip time from which the uplink is degraded, milliseconds.</summary>
    [Range(1.0, 60_000.0)]
    public double DegradedRttMs { get; set; } = 150;

    /// <summary>How often staleness is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(5);
}

[OptionsValidator]
public sealed partial class StatusOptionsValidator : IValidateOptions<StatusOptions>;
