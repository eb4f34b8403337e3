using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Network.Contracts;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// The citizens' polls. Section <c>Polls</c>. The pages are on while <see cref="PseudonymKey"/> is set, the management
/// API while <see cref="ManagementToken"/> is set; both secrets are never logged.
/// </summary>
public sealed class PollsOptions
{
    public const string Section = "Polls";

    /// <summary>
    /// The key of the pseudonyms votes and ratings are stored under (HMAC-SHA256 of the account's id), at least 32
    /// characters. Changing it gives every account a new pseudonym: set it once. Empty: no polls pages.
    /// </summary>
    [EmptyOrAtLeast(32)]
    public string PseudonymKey { get; set; } = "";

    /// <summary>The bearer token the NOC's planners' pages send to <c>/api/v1/polls</c>, at least 32 characters. Empty: the API answers 404.</summary>
    [EmptyOrAtLeast(PollLimits.ManagementTokenMinLength)]
    public string ManagementToken { get; set; } = "";

    /// <summary>How long a citizen stays signed in to the polls (the <c>polls</c> cookie's ticket) without signing in again.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The weight of the prior in the ranking's Bayesian average, in ratings (see <see cref="PollRanking"/>).</summary>
    [Range(1, 1000)]
    public int RankingPriorWeight { get; set; } = 5;

    /// <summary>How often closed polls are looked for, to fold their votes and ratings into counts.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan CloseCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

}

/// <summary>A secret that is either not set or at least so many characters; the message never holds the value.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EmptyOrAtLeastAttribute(int length) : ValidationAttribute($"must be empty or at least {length} characters")
{
    public int Length { get; } = length;

    public override bool IsValid(object? value) => value is not string text || text.Length == 0 || text.Length >= Length;
}

[OptionsValidator]
public sealed partial class PollsOptionsValidator : IValidateOptions<PollsOptions>;
