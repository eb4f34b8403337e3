using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Sessions;

/// <summary>Which attribute names the hotspot of a session.</summary>
public enum HotspotSource
{
    /// <summary>NAS-Identifier (one per gateway, as CoovaChilli and openNDS are configured); Called-Station-Id when absent.</summary>
    NasIdentifier,

    /// <summary>Called-Station-Id (one per access point or SSID); NAS-Identifier when absent.</summary>
    CalledStationId,
}

/// <summary>Accounting policy. Section <c>Sessions</c>.</summary>
public sealed class SessionsOptions
{
    public const string Section = "Sessions";

    /// <summary>The Acct-Interim-Interval the gateways use (the RADIUS host sends it in Access-Accept).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan InterimInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An open session with no update for this many intervals counts as gone.</summary>
    [Range(1, 100)]
    public int StaleAfterIntervals { get; set; } = 3;

    public HotspotSource HotspotBy { get; set; } = HotspotSource.NasIdentifier;

    /// <summary>Quotas and the simultaneous-sessions limit. Section <c>Sessions:Policy</c>.</summary>
    [ValidateObjectMembers]
    public SessionPolicyOptions Policy { get; set; } = new();
}

/// <summary>Over which stretch of the calendar the quotas run.</summary>
public enum QuotaPeriod
{
    Day,

    /// <summary>Monday to Sunday.</summary>
    Week,

    Month,
}

/// <summary>
/// What one user may use across all their devices: time and data a period, sessions at once. Usage counts against the
/// period in which its session started (in <see cref="TimeZone"/>), so a session is never split between two periods.
/// </summary>
public sealed class SessionPolicyOptions
{
    /// <summary>Online time a user may use a period, all devices together; zero: no time quota.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "31.00:00:00")]
    public TimeSpan TimeQuota { get; set; }

    /// <summary>Megabytes (10^6 octets, in and out together) a user may use a period; zero: no data quota.</summary>
    [Range(0, 100_000_000)]
    public long DataQuotaMegabytes { get; set; }

    /// <summary>Devices of one user online at once; zero: no limit. A device logging in again does not count twice.</summary>
    [Range(0, 1000)]
    public int MaxSessions { get; set; } = 3;

    public QuotaPeriod Period { get; set; } = QuotaPeriod.Day;

    /// <summary>The time zone whose midnight starts a period (IANA name).</summary>
    [Required(AllowEmptyStrings = false)]
    public string TimeZone { get; set; } = "Europe/Brussels";

    /// <summary>
    /// False (default): a session the gateway ended for inactivity (Acct-Terminate-Cause Idle-Timeout) is charged its
    /// Acct-Session-Time less the Idle-Timeout it was granted (<c>Radius:Reply:IdleTimeout</c>), the time nobody used it.
    /// True: the gateway's Acct-Session-Time as reported.
    /// </summary>
    public bool CountIdleTime { get; set; }
}

[OptionsValidator]
public sealed partial class SessionsOptionsValidator : IValidateOptions<SessionsOptions>;
