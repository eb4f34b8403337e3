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
}

[OptionsValidator]
public sealed partial class SessionsOptionsValidator : IValidateOptions<SessionsOptions>;
