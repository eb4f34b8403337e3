using System.Text.Json;
using System.Text.Json.Serialization;

namespace Network.Contracts;

// The citizens' polls' management API: the portal stores the polls and serves it under /api/v1/polls, the NOC's
// planners' pages call it with the bearer token both sides are configured with (docs/architecture.md, "Polls").
//
//   GET  /api/v1/polls                                        -> PollList
//   POST /api/v1/polls                    PollDraft           -> 201 PollView (Location: /api/v1/polls/{id})
//   GET  /api/v1/polls/{id}                                   -> PollView
//   PUT  /api/v1/polls/{id}               PollDraft           -> PollView (options fixed once the poll has opened: 409)
//   GET  /api/v1/polls/{id}/proposals?state=new|approved|merged|refused (absent: all) -> ProposalList
//   GET  /api/v1/polls/{id}/proposals/{pid}                   -> ProposalView (with its moderation records)
//   POST /api/v1/polls/{id}/proposals/{pid}/moderation  ModerationRequest -> ProposalView
//   GET  /api/v1/polls/{id}/results                           -> PollResults (at any moment: planners see them while it runs)
//   GET  /api/v1/polls/{id}/results.csv                       -> text/csv, PollCsv.ResultsHeader then one line a proposal
//
// Every answer but 2xx carries a PollProblem. 400 bad input, 401 token missing or wrong, 404 no such poll or proposal
// (or the API off: no token configured on the portal), 409 a state conflict (see ModerationRequest.ExpectedState).

/// <summary>One text in the three languages; each is required.</summary>
public sealed record PollTexts(string Nl, string Fr, string En);

/// <summary>One answer to a poll's question (for example a zone): <see cref="Key"/> is stable, lower-case <c>[a-z0-9-]</c>, unique in its poll.</summary>
public sealed record PollOption(string Key, PollTexts Label);

/// <summary>
/// A poll as a planner writes it (POST and PUT). Instants are absolute (the NOC's pages read them in Europe/Brussels).
/// <see cref="ProposalsOpenUntil"/> null: no proposals; otherwise citizens propose places until then (at most the close).
/// <see cref="ResultsWhileOpen"/>: the public results page shows while the poll runs, otherwise only after it closes.
/// <see cref="RequiresOnlineAccount"/>: only accounts that have been online over Urbizone at least once (the portal's accounting) vote, propose and rate.
/// </summary>
public sealed record PollDraft(
    PollTexts Title,
    PollTexts Description,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    IReadOnlyList<PollOption> Options,
    DateTimeOffset? ProposalsOpenUntil,
    bool ResultsWhileOpen,
    bool RequiresOnlineAccount);

/// <summary>A stored poll: its draft, its state at the moment of the answer (<see cref="PollStates"/>) and its counts.</summary>
public sealed record PollView(
    long Id,
    PollDraft Poll,
    string State,
    long Votes,
    long ProposalsNew,
    long ProposalsApproved,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record PollList(IReadOnlyList<PollView> Polls);

/// <summary>
/// A citizen's proposal. <see cref="ProposerName"/> is the account's name only when the proposer chose to show it,
/// otherwise null. <see cref="OptionKey"/> is the poll's option (zone) the proposer placed it in, if any.
/// <see cref="MergedInto"/> is set in state <c>merged</c>. <see cref="Moderation"/> is filled only when one proposal is asked for.
/// </summary>
public sealed record ProposalView(
    long Id,
    long PollId,
    string Name,
    string Commune,
    string Address,
    double? Latitude,
    double? Longitude,
    string Why,
    string? OptionKey,
    string? ProposerName,
    string State,
    long? MergedInto,
    DateTimeOffset SubmittedAt,
    long Ratings,
    double MeanHearts,
    IReadOnlyList<ModerationRecord>? Moderation = null);

public sealed record ProposalList(IReadOnlyList<ProposalView> Proposals);

/// <summary>
/// A moderation decision. <see cref="Action"/>: <see cref="ModerationActions"/>. <see cref="Moderator"/>: the planner's NOC
/// username (recorded, required). <see cref="MergeInto"/>: the proposal of the same poll that a <c>merge</c> joins (not
/// itself, not refused or merged). <see cref="Reason"/>: one of <see cref="RefusalReasons"/>, required for <c>refuse</c>.
/// <see cref="Note"/>: optional, at most <see cref="PollLimits.NoteLength"/> characters, shown to the proposer as text.
/// <see cref="ExpectedState"/>: the decision applies only while the proposal is in this state (null means <c>new</c>),
/// otherwise 409 with the state it is in, so of two planners at once one wins and the other is told.
/// </summary>
public sealed record ModerationRequest(
    string Action,
    string Moderator,
    long? MergeInto = null,
    string? Reason = null,
    string? Note = null,
    string? ExpectedState = null);

/// <summary>One recorded decision: who, when, what.</summary>
public sealed record ModerationRecord(
    long Id,
    long ProposalId,
    string Action,
    string Moderator,
    DateTimeOffset At,
    long? MergeInto,
    string? Reason,
    string? Note);

/// <summary>
/// A poll's results. <see cref="Proposals"/> are the approved proposals, best first, ranked by
/// <see cref="RankedProposal.Score"/>: the Bayesian average of hearts, (C·m + Σ hearts) / (C + n), with the prior
/// mean m = <see cref="PriorMean"/> (the mean of all ratings in the poll) and weight C = <see cref="PriorWeight"/>
/// ratings, so one five-heart rating cannot top a place many rated well. Ties: more ratings first, then the lower id.
/// </summary>
public sealed record PollResults(
    long PollId,
    string State,
    long Votes,
    IReadOnlyList<OptionResult> Options,
    IReadOnlyList<RankedProposal> Proposals,
    double PriorMean,
    double PriorWeight);

/// <summary>An option's votes and its share of all votes (0..1; 0 when nobody voted).</summary>
public sealed record OptionResult(string Key, PollTexts Label, long Votes, double Share);

/// <summary>An approved proposal in the ranking (<see cref="Rank"/> from 1), with what the NOC keeps when it becomes a planned site.</summary>
public sealed record RankedProposal(
    int Rank,
    long ProposalId,
    string Name,
    string Commune,
    string Address,
    double? Latitude,
    double? Longitude,
    string? OptionKey,
    long Ratings,
    double MeanHearts,
    double Score);

/// <summary>The body of every refusal: a stable snake_case <see cref="Code"/> and an English sentence for the log.</summary>
public sealed record PollProblem(string Code, string Message);

/// <summary>Values of <see cref="PollView.State"/> and <see cref="PollResults.State"/>.</summary>
public static class PollStates
{
    public const string Upcoming = "upcoming";
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>Values of <see cref="ProposalView.State"/>.</summary>
public static class ProposalStates
{
    public const string New = "new";
    public const string Approved = "approved";
    public const string Merged = "merged";
    public const string Refused = "refused";

    public static bool IsKnown(string? state) => state is New or Approved or Merged or Refused;
}

/// <summary>Values of <see cref="ModerationRequest.Action"/>.</summary>
public static class ModerationActions
{
    public const string Approve = "approve";
    public const string Merge = "merge";
    public const string Refuse = "refuse";

    public static bool IsKnown(string? action) => action is Approve or Merge or Refuse;
}

/// <summary>Values of <see cref="ModerationRequest.Reason"/>; the portal shows each in the proposer's language.</summary>
public static class RefusalReasons
{
    public const string Advertising = "advertising";
    public const string TooVague = "too_vague";
    public const string OutsideRegion = "outside_region";
    public const string Offensive = "offensive";
    public const string Duplicate = "duplicate";

    public static readonly IReadOnlyList<string> All = [Advertising, TooVague, OutsideRegion, Offensive, Duplicate];

    public static bool IsKnown(string? reason) => reason is Advertising or TooVague or OutsideRegion or Offensive or Duplicate;
}

/// <summary>What the portal accepts (characters, after trimming); the NOC's forms may check the same before sending.</summary>
public static class PollLimits
{
    public const int TitleLength = 200;
    public const int DescriptionLength = 4000;
    public const int MinOptions = 2;
    public const int MaxOptions = 20;
    public const int OptionKeyLength = 40;
    public const int OptionLabelLength = 200;
    public const int ProposalNameLength = 120;
    public const int AddressLength = 200;
    public const int WhyLength = 2000;
    public const int NoteLength = 1000;
    public const int ModeratorLength = 64;

    /// <summary>The management API's request bodies are refused above this many bytes (413).</summary>
    public const int RequestBodyBytes = 64 * 1024;

    /// <summary>The shortest <c>Polls:ManagementToken</c> the portal starts with.</summary>
    public const int ManagementTokenMinLength = 32;
}

/// <summary>The results' CSV (RFC 4180, UTF-8, comma, CRLF, invariant numbers): this header, then one line per ranked proposal.</summary>
public static class PollCsv
{
    public const string ResultsHeader = "rank,proposal_id,name,commune,address,latitude,longitude,option_key,ratings,mean_hearts,score";
}

/// <summary>Source-generated JSON for the polls' management API.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PollDraft))]
[JsonSerializable(typeof(PollView))]
[JsonSerializable(typeof(PollList))]
[JsonSerializable(typeof(ProposalView))]
[JsonSerializable(typeof(ProposalList))]
[JsonSerializable(typeof(ModerationRequest))]
[JsonSerializable(typeof(PollResults))]
[JsonSerializable(typeof(PollProblem))]
public sealed partial class PollsJsonContext : JsonSerializerContext;
