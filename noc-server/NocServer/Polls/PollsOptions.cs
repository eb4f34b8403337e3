using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.Noc.Polls;

/// <summary>
/// Where the citizens' polls are: the portal's management API, section <c>Polls</c>. Without <see cref="PortalUrl"/> the
/// feature is off (the planners' pages say the polls are not configured); with it, the token is required.
/// </summary>
public sealed class PollsOptions : IValidatableObject
{
    public const string Section = "Polls";

    /// <summary>The shortest management token taken: a bearer token a person could guess is no token.</summary>
    public const int MinTokenLength = Network.Contracts.PollLimits.ManagementTokenMinLength;

    /// <summary>The portal's base URL (<c>https://portal.example.org</c>); the management API is under <c>/api/v1/polls</c> there. Empty: no polls.</summary>
    public string? PortalUrl { get; set; }

    /// <summary>The bearer token the portal expects on its management API. Never logged.</summary>
    public string ManagementToken { get; set; } = "";

    /// <summary>How long one call to the portal may take before the page says the portal does not answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the polls are configured (a portal URL is set).</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(PortalUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Configured)
        {
            if (ManagementToken.Length > 0)
            {
                yield return new ValidationResult("PortalUrl: a management token is set but no portal URL: set both or neither.", [nameof(PortalUrl)]);
            }

            yield break;
        }

        if (!Uri.TryCreate(PortalUrl, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            yield return new ValidationResult("PortalUrl: an http or https base URL without query, fragment or user (https://portal.example.org).", [nameof(PortalUrl)]);
        }

        if (ManagementToken.Length < MinTokenLength || ManagementToken.Any(c => c <= ' ' || c > '~'))
        {
            yield return new ValidationResult(
                $"ManagementToken: required with a portal URL, at least {MinTokenLength} printable ASCII characters without spaces (the portal's management token).",
                [nameof(ManagementToken)]);
        }
    }

    /// <summary>The base address the client calls, always ending with <c>/</c> so relative paths keep a path prefix.</summary>
    public Uri BaseAddress() => new(PortalUrl!.EndsWith('/') ? PortalUrl : PortalUrl + "/", UriKind.Absolute);
}

[OptionsValidator]
public sealed partial class PollsOptionsValidator : IValidateOptions<PollsOptions>;
