using System.Globalization;
using Microsoft.Extensions.Localization;
using Network.CaptivePortal.Portal;
using Network.Contracts;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// The polls pages' texts: <c>PollText.resx</c> (English, the fallback), <c>PollText.nl.resx</c>, <c>PollText.fr.resx</c>,
/// apart from the portal's own texts so that the feature keeps its words to itself. Every key is in all three files.
/// </summary>
public sealed class PollText;

/// <summary>
/// The polls' words for one request (one per request): a text in the visit's language, a poll's own texts in it, and times
/// in Europe/Brussels, numbers and shares in that language's Belgian (or British) form.
/// </summary>
public sealed class PollWords(IStringLocalizer<PollText> text, PortalVisit visit)
{
    private static readonly TimeZoneInfo s_brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public string Lang => visit.Lang;

    /// <summary>nl-BE, fr-BE or en-GB: how dates and numbers are written.</summary>
    public CultureInfo Culture { get; } = CultureInfo.GetCultureInfo(visit.Lang switch { "nl" => "nl-BE", "fr" => "fr-BE", _ => "en-GB" });

    /// <summary>A text in the page's language. A missing key is a bug the resource test catches; it shows as the key.</summary>
    public string Say(string key) => text[key].Value;

    public string Say(string key, params object[] arguments) => string.Format(Culture, Say(key), arguments);

    /// <summary>The poll's own text (title, description, an option) in the page's language.</summary>
    public string Of(PollTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return visit.Lang switch { "nl" => texts.Nl, "fr" => texts.Fr, _ => texts.En };
    }

    /// <summary>A moment as a date and time in Brussels, in the page's language.</summary>
    public string When(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, s_brussels).ToString("f", Culture);

    /// <summary>A moment for the datetime attribute of &lt;time&gt;.</summary>
    public static string Machine(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    public string Share(double share) => share.ToString("P0", Culture);

    public string Number(double value, string format = "0.00") => value.ToString(format, Culture);

    public string Commune(string key) => Communes.Name(key, visit.Lang);

    /// <summary>A state of one of my proposals, in words.</summary>
    public string State(string state) => state switch
    {
        ProposalStates.Approved => Say("StateApproved"),
        ProposalStates.Merged => Say("StateMerged"),
        ProposalStates.Refused => Say("StateRefused"),
        _ => Say("StateNew"),
    };

    /// <summary>A refusal's reason, in words.</summary>
    public string Reason(string? reason) => reason switch
    {
        RefusalReasons.Advertising => Say("ReasonAdvertising"),
        RefusalReasons.TooVague => Say("ReasonTooVague"),
        RefusalReasons.OutsideRegion => Say("ReasonOutsideRegion"),
        RefusalReasons.Offensive => Say("ReasonOffensive"),
        RefusalReasons.Duplicate => Say("ReasonDuplicate"),
        _ => "",
    };

    /// <summary>A citizen's vote, rating or proposal that was not taken, in words.</summary>
    public string Refusal(CitizenOutcome outcome) => outcome switch
    {
        CitizenOutcome.NoSuchPoll => Say("ErrNoSuchPoll"),
        CitizenOutcome.NoSuchOption => Say("ErrNoSuchOption"),
        CitizenOutcome.NotApproved => Say("ErrNotApproved"),
        CitizenOutcome.OutOfRange => Say("ErrHeartsRange"),
        CitizenOutcome.AccountLocked => Say("ErrAccountLocked"),
        CitizenOutcome.NotOnlineYet => Say("ErrNotOnlineYet"),
        _ => Say("ErrPollNotOpen"),
    };
}
