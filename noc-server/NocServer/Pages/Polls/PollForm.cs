using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using Network.Contracts;
using Network.WebPages;

namespace Network.Noc.Pages.Polls;

/// <summary>One option's row of the poll form, as typed.</summary>
public sealed record OptionRow(string Key, string Nl, string Fr, string En)
{
    public static OptionRow Blank { get; } = new("", "", "", "");

    public bool IsBlank => Key.Length == 0 && Nl.Length == 0 && Fr.Length == 0 && En.Length == 0;
}

/// <summary>
/// The poll form's fields as typed (shown again with the errors) and their reading into a <see cref="PollDraft"/> with
/// the limits the portal keeps (<see cref="PollLimits"/>), each problem an error at its field in the planner's language.
/// Moments are typed in the region's time (<see cref="PollTimes"/>). Option rows left empty are ignored; the form always
/// offers <see cref="BlankOptionRows"/> more, up to <see cref="PollLimits.MaxOptions"/>.
/// </summary>
public sealed class PollForm
{
    /// <summary>The empty option rows under the filled ones (no script: a planner who needs more saves and edits again).</summary>
    public const int BlankOptionRows = 3;

    /// <summary>The languages of the poll's texts, in the order of the form.</summary>
    public static IReadOnlyList<string> Languages => NocText.Languages;

    public Dictionary<string, string> Title { get; } = new(StringComparer.Ordinal) { ["nl"] = "", ["fr"] = "", ["en"] = "" };

    public Dictionary<string, string> Description { get; } = new(StringComparer.Ordinal) { ["nl"] = "", ["fr"] = "", ["en"] = "" };

    public string Opens { get; private set; } = "";

    public string Closes { get; private set; } = "";

    public bool Proposals { get; private set; } = true;

    /// <summary>Until when citizens propose; empty with <see cref="Proposals"/>: until the poll closes.</summary>
    public string ProposalsUntil { get; private set; } = "";

    public bool ResultsWhileOpen { get; private set; }

    public bool RequiresOnlineAccount { get; private set; } = true;

    public List<OptionRow> Options { get; } = [];

    /// <summary>The filled rows and the blank ones the form shows.</summary>
    public IReadOnlyList<OptionRow> Rows =>
        [.. Options, .. Enumerable.Repeat(OptionRow.Blank, Math.Max(0, Math.Min(BlankOptionRows, PollLimits.MaxOptions + BlankOptionRows - Options.Count)))];

    /// <summary>A stored poll in the form.</summary>
    public static PollForm From(PollDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var form = new PollForm
        {
            Opens = PollTimes.Input(draft.OpensAt),
            Closes = PollTimes.Input(draft.ClosesAt),
            Proposals = draft.ProposalsOpenUntil is not null,
            ProposalsUntil = draft.ProposalsOpenUntil is { } until && until != draft.ClosesAt ? PollTimes.Input(until) : "",
            ResultsWhileOpen = draft.ResultsWhileOpen,
            RequiresOnlineAccount = draft.RequiresOnlineAccount,
        };
        Set(form.Title, draft.Title);
        Set(form.Description, draft.Description);
        form.Options.AddRange(draft.Options.Select(o => new OptionRow(o.Key, o.Label.Nl, o.Label.Fr, o.Label.En)));
        return form;
    }

    /// <summary>The form as posted (missing fields are empty, unchecked boxes false).</summary>
    public static PollForm Read(IFormCollection posted)
    {
        ArgumentNullException.ThrowIfNull(posted);
        string Field(string name) => Clean(posted[name]);
        var form = new PollForm
        {
            Opens = Field("opens"),
            Closes = Field("closes"),
            Proposals = posted.ContainsKey("proposals"),
            ProposalsUntil = Field("proposals-until"),
            ResultsWhileOpen = posted.ContainsKey("results-while-open"),
            RequiresOnlineAccount = posted.ContainsKey("requires-online"),
        };
        foreach (string language in Languages)
        {
            form.Title[language] = Field("title-" + language);
            form.Description[language] = Clean(posted["description-" + language], multiline: true);
        }

        for (int i = 0; i < PollLimits.MaxOptions + BlankOptionRows; i++)
        {
            var row = new OptionRow(Field($"option-{i}-key"), Field($"option-{i}-nl"), Field($"option-{i}-fr"), Field($"option-{i}-en"));
            if (!row.IsBlank)
            {
                form.Options.Add(row);
            }
        }

        return form;
    }

    /// <summary>The draft, or null with <paramref name="errors"/> filled (field names as in the form, messages in the page's language).</summary>
    public PollDraft? ToDraft(IStringLocalizer<PollsText> texts, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        foreach (string language in Languages)
        {
            Text(errors, texts, "title-" + language, texts["Title_" + language], Title[language], PollLimits.TitleLength);
        }

        foreach (string language in Languages)
        {
            Text(errors, texts, "description-" + language, texts["Description_" + language], Description[language], PollLimits.DescriptionLength);
        }

        DateTimeOffset opens = Moment(errors, texts, "opens", texts["Opens"], Opens);
        DateTimeOffset closes = Moment(errors, texts, "closes", texts["Closes"], Closes);
        if (opens != default && closes != default && closes <= opens)
        {
            errors.Add(new FieldError("closes", texts["ErrClosesBeforeOpens"]));
        }

        DateTimeOffset? proposalsUntil = null;
        if (Proposals)
        {
            proposalsUntil = closes;
            if (ProposalsUntil.Length > 0)
            {
                DateTimeOffset until = Moment(errors, texts, "proposals-until", texts["ProposalsUntil"], ProposalsUntil);
                if (until != default && opens != default && closes != default && (until <= opens || until > closes))
                {
                    errors.Add(new FieldError("proposals-until", texts["ErrProposalsUntil"]));
                }

                proposalsUntil = until;
            }
        }

        List<PollOption> options = Choices(errors, texts);
        return errors.Count > before ? null : new PollDraft(
            new PollTexts(Title["nl"], Title["fr"], Title["en"]),
            new PollTexts(Description["nl"], Description["fr"], Description["en"]),
            opens, closes, options, proposalsUntil, ResultsWhileOpen, RequiresOnlineAccount);
    }

    /// <summary>
    /// An option's key from its English label when none is typed: lower-case ASCII letters and digits, a dash for anything
    /// else ("Metro stations" gives <c>metro-stations</c>, "Gare du Midi" <c>gare-du-midi</c>).
    /// </summary>
    public static string KeyFrom(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var key = new StringBuilder();
        foreach (char c in label.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            char lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                key.Append(lower);
            }
            else if (key.Length > 0 && key[^1] != '-')
            {
                key.Append('-');
            }

            if (key.Length >= PollLimits.OptionKeyLength)
            {
                break;
            }
        }

        return key.ToString().Trim('-');
    }

    /// <summary>Whether <paramref name="key"/> is one the portal takes: <c>[a-z0-9-]</c>, not empty, at most its length.</summary>
    public static bool IsKey(string key) =>
        key.Length is > 0 and <= PollLimits.OptionKeyLength && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private List<PollOption> Choices(List<FieldError> errors, IStringLocalizer<PollsText> texts)
    {
        var options = new List<PollOption>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Options.Count; i++)
        {
            OptionRow row = Options[i];
            string number = (i + 1).ToString(CultureInfo.CurrentCulture);
            string? missing = row.Nl.Length == 0 ? "nl" : row.Fr.Length == 0 ? "fr" : row.En.Length == 0 ? "en" : null;
            string? tooLong = new[] { ("nl", row.Nl), ("fr", row.Fr), ("en", row.En) }.FirstOrDefault(l => l.Item2.Length > PollLimits.OptionLabelLength).Item1;
            if ((missing ?? tooLong) is { } language)
            {
                errors.Add(new FieldError($"option-{i}-{language}", texts["ErrOptionLabel", number, PollLimits.OptionLabelLength]));
                continue;
            }

            string key = row.Key.Length > 0 ? row.Key : KeyFrom(row.En);
            if (!IsKey(key) || !keys.Add(key))
            {
                errors.Add(new FieldError($"option-{i}-key", texts["ErrOptionKey", number, PollLimits.OptionKeyLength]));
                continue;
            }

            Options[i] = row with { Key = key };
            options.Add(new PollOption(key, new PollTexts(row.Nl, row.Fr, row.En)));
        }

        if (Options.Count is < PollLimits.MinOptions or > PollLimits.MaxOptions)
        {
            errors.Add(new FieldError("option-0-nl", texts["ErrOptionCount", PollLimits.MinOptions, PollLimits.MaxOptions]));
        }

        return options;
    }

    private static void Text(List<FieldError> errors, IStringLocalizer<PollsText> texts, string field, string label, string value, int limit)
    {
        if (value.Length == 0 || value.Length > limit)
        {
            errors.Add(new FieldError(field, texts["ErrText", label, limit]));
        }
    }

    private static DateTimeOffset Moment(List<FieldError> errors, IStringLocalizer<PollsText> texts, string field, string label, string value)
    {
        PollTimes.Problem problem = PollTimes.TryParse(value, out DateTimeOffset instant);
        if (problem != PollTimes.Problem.None)
        {
            errors.Add(new FieldError(field, texts[problem == PollTimes.Problem.Skipped ? "ErrSkippedTime" : "ErrMoment", label]));
        }

        return instant;
    }

    private static void Set(Dictionary<string, string> target, PollTexts texts)
    {
        target["nl"] = texts.Nl;
        target["fr"] = texts.Fr;
        target["en"] = texts.En;
    }

    /// <summary>A posted value trimmed, one line unless <paramref name="multiline"/> (line ends as <c>\n</c>), without other control characters.</summary>
    private static string Clean(StringValues value, bool multiline = false)
    {
        string text = value.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        return new string([.. text.Where(c => !char.IsControl(c) || (multiline && c == '\n'))]).Trim();
    }
}
