using System.Text.RegularExpressions;
using Network.Contracts;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// What a poll, a proposal and a moderation decision must be (<see cref="PollLimits"/>), checked before anything is stored.
/// Each check answers the first problem as a snake_case code (the API's <see cref="PollProblem.Code"/>), or null.
/// </summary>
public static partial class PollRules
{
    /// <summary>The first problem of a planner's poll, or null.</summary>
    public static string? CheckDraft(PollDraft? draft)
    {
        if (draft is null)
        {
            return "body_missing";
        }

        if (!Texts(draft.Title, PollLimits.TitleLength) || !Texts(draft.Description, PollLimits.DescriptionLength))
        {
            return "text_missing_or_too_long";
        }

        if (draft.ClosesAt <= draft.OpensAt)
        {
            return "closes_before_it_opens";
        }

        if (draft.ProposalsOpenUntil is { } until && (until <= draft.OpensAt || until > draft.ClosesAt))
        {
            return "proposals_outside_the_poll";
        }

        if (draft.Options is null || draft.Options.Count is < PollLimits.MinOptions or > PollLimits.MaxOptions)
        {
            return "options_count";
        }

        if (draft.Options.Any(o => o is null || o.Key is null || !OptionKey().IsMatch(o.Key) || !Texts(o.Label, PollLimits.OptionLabelLength)))
        {
            return "option_invalid";
        }

        return draft.Options.Select(o => o.Key).Distinct(StringComparer.Ordinal).Count() != draft.Options.Count ? "option_key_repeated" : null;
    }

    /// <summary>The first problem of a moderation decision, or null.</summary>
    public static string? CheckModeration(ModerationRequest? request)
    {
        if (request is null)
        {
            return "body_missing";
        }

        if (!ModerationActions.IsKnown(request.Action))
        {
            return "action_unknown";
        }

        if (string.IsNullOrWhiteSpace(request.Moderator) || request.Moderator.Length > PollLimits.ModeratorLength)
        {
            return "moderator_missing";
        }

        if (request.Action == ModerationActions.Merge && request.MergeInto is null)
        {
            return "merge_target_missing";
        }

        if (request.Action == ModerationActions.Refuse && !RefusalReasons.IsKnown(request.Reason))
        {
            return "reason_unknown";
        }

        if (request.Note is { Length: > PollLimits.NoteLength })
        {
            return "note_too_long";
        }

        return request.ExpectedState is null || ProposalStates.IsKnown(request.ExpectedState) ? null : "state_unknown";
    }

    /// <summary>Text as typed, trimmed, with line ends kept; control characters other than line ends removed.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        return new string([.. text.Where(c => c is '\n' or '\t' || !char.IsControl(c))]).Trim();
    }

    private static bool Texts(PollTexts? texts, int max) =>
        texts is not null && Text(texts.Nl, max) && Text(texts.Fr, max) && Text(texts.En, max);

    private static bool Text(string? text, int max) => !string.IsNullOrWhiteSpace(text) && text.Length <= max;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex OptionKey();
}
