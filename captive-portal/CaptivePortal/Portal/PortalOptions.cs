using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Portal;

/// <summary>The wifi users' pages. Section <c>Portal</c>.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The network's name on every page.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(40)]
    public string NetworkName { get; set; } = "Urbizone";

    /// <summary>
    /// The portal's address as phones reach it (<c>https://portal.example.org/</c>): the RFC 8908 <c>user-portal-url</c>,
    /// reset links in mails, and a second base against which a gateway's <c>md</c> is checked. Empty: taken from each request.
    /// </summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>RFC 8908 <c>venue-info-url</c>: a page about the place; empty leaves it out.</summary>
    [Url]
    public string? VenueInfoUrl { get; set; }

    /// <summary>Where people report problems (the accessibility statement names it).</summary>
    [Required(AllowEmptyStrings = false)]
    [EmailAddress]
    public string ContactEmail { get; set; } = "helpdesk@urbizone.example";

    /// <summary>How long a password-reset link works (it works once).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Registrations in one minute, portal-wide, beyond which a new one must wait <see cref="ChallengeDelay"/> and submit again.</summary>
    [Range(1, 100_000)]
    public int RegistrationBurst { get; set; } = 30;

    /// <summary>The wait a registration in a burst is asked to take (no puzzle: a person just presses the button again).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ChallengeDelay { get; set; } = TimeSpan.FromSeconds(5);

    [ValidateObjectMembers]
    public PortalRateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>
/// Attempts per fixed window on the login and registration forms, per source IP address and per device (the MAC the
/// gateway vouched for). The IP limits are higher: a hotspot's users often share one NATed address.
/// </summary>
public sealed class PortalRateLimitOptions
{
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 100_000)]
    public int LoginsPerIp { get; set; } = 60;

    [Range(1, 10_000)]
    public int LoginsPerDevice { get; set; } = 10;

    [Range(1, 100_000)]
    public int RegistrationsPerIp { get; set; } = 20;

    [Range(1, 10_000)]
    public int RegistrationsPerDevice { get; set; } = 3;

    /// <summary>The polls' votes, ratings and proposals per address (a hotspot's voters share one); their sign-in counts as a login.</summary>
    [Range(1, 10_000_000)]
    public int PollPostsPerIp { get; set; } = 600;
}

[OptionsValidator]
public sealed partial class PortalOptionsValidator : IValidateOptions<PortalOptions>;
