using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Network.Contracts;
using Network.Noc.Polls;
using Network.WebPages;

namespace Network.Noc.Pages.Polls;

/// <summary>
/// <c>/polls/{id}/moderation</c>: the poll's new proposals, oldest first, each with its three decisions (approve, merge
/// into another proposal of the poll, refuse with a reason and an optional note). Everyone signed in reads the queue;
/// only planners and admins decide (403 otherwise). The moderator sent to the portal is the signed-in NOC user. A
/// decision goes back to the queue with its outcome (post/redirect/get); a proposal someone else decided meanwhile is
/// said so (the portal's 409).
/// </summary>
[RequestFormLimits(KeyLengthLimit = 64, ValueCountLimit = 16, ValueLengthLimit = 4 * PollLimits.NoteLength)]
[RequestSizeLimit(16 * 1024)]
public sealed class ModerationModel(PollsClient client, IAuthorizationService authorization, IStringLocalizer<PollsText> texts)
    : PollsPageModel(client, authorization, texts)
{
    /// <summary>The outcomes a decision redirects with (<c>?done=</c>).</summary>
    public static IReadOnlyList<string> Outcomes { get; } = [ModerationActions.Approve, ModerationActions.Merge, ModerationActions.Refuse, "conflict"];

    public long Id { get; private set; }

    public PollView? Poll { get; private set; }

    /// <summary>The proposals waiting for a decision, oldest first.</summary>
    public IReadOnlyList<ProposalView> Queue { get; private set; } = [];

    /// <summary>What a proposal may be merged into: the poll's new and approved proposals.</summary>
    public IReadOnlyList<ProposalView> Targets { get; private set; } = [];

    /// <summary>The last decision's outcome (one of <see cref="Outcomes"/>), shown once after the redirect.</summary>
    public string? Done { get; private set; }

    public List<FieldError> Errors { get; } = [];

    /// <summary>The values typed in the form that came back with errors, by field name.</summary>
    public Dictionary<string, string> Typed { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken cancellationToken)
    {
        await MayEditAsync();
        Id = id;
        Done = Outcomes.Contains(done) ? done : null;
        return await ShowAsync(() => LoadAsync(cancellationToken));
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!await MayEditAsync())
        {
            return Forbidden();
        }

        Id = id;
        IFormCollection form = await Request.ReadFormAsync(cancellationToken);
        string action = form["action"].ToString();
        string note = form["note"].ToString().Trim();
        if (!long.TryParse(form["proposal"], NumberStyles.None, CultureInfo.InvariantCulture, out long proposal) || !ModerationActions.IsKnown(action))
        {
            return BadRequest();
        }

        long? mergeInto = null;
        string? reason = null;
        if (action == ModerationActions.Merge)
        {
            if (long.TryParse(form["merge-into"], NumberStyles.None, CultureInfo.InvariantCulture, out long target) && target != proposal)
            {
                mergeInto = target;
            }
            else
            {
                Errors.Add(new FieldError($"merge-into-{proposal}", Texts["ErrMergeTarget"]));
            }
        }
        else if (action == ModerationActions.Refuse)
        {
            reason = form["reason"].ToString();
            Typed[$"reason-{proposal}"] = reason;
            Typed[$"note-{proposal}"] = note;
            if (!RefusalReasons.IsKnown(reason))
            {
                Errors.Add(new FieldError($"reason-{proposal}", Texts["ErrReason"]));
            }

            if (note.Length > PollLimits.NoteLength || note.Any(c => char.IsControl(c) && c is not '\n' and not '\r'))
            {
                Errors.Add(new FieldError($"note-{proposal}", Texts["ErrNote", PollLimits.NoteLength]));
            }
        }

        if (Errors.Count == 0)
        {
            var decision = new ModerationRequest(action, User.Identity!.Name!, mergeInto,
                reason, action == ModerationActions.Refuse && note.Length > 0 ? note.Replace("\r\n", "\n", StringComparison.Ordinal) : null,
                ProposalStates.New);
            try
            {
                if (await AskAsync(c => c.ModerateAsync(id, proposal, decision, cancellationToken)) is not null)
                {
                    return Redirect($"/polls/{id}/moderation?done={action}");
                }
            }
            catch (PollRefusedException ex) when (ex.Status == HttpStatusCode.Conflict)
            {
                return Redirect($"/polls/{id}/moderation?done=conflict");
            }
            catch (PollRefusedException ex) when (ex.Status != HttpStatusCode.NotFound)
            {
                Errors.Add(new FieldError($"action-{proposal}", Texts["ErrModerationRefused", ex.Problem.Code]));
            }
        }

        Response.StatusCode = Unavailable is null ? StatusCodes.Status400BadRequest : Response.StatusCode;
        return await ShowAsync(() => LoadAsync(cancellationToken));
    }

    /// <summary>The error at <paramref name="field"/>, if any.</summary>
    public string? ErrorAt(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    /// <summary>A merge target's name in the select: its name, commune and number.</summary>
    public static string TargetName(ProposalView proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return $"{proposal.Name} ({proposal.Commune}, #{proposal.Id.ToString(CultureInfo.InvariantCulture)})";
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Poll = await AskAsync(c => c.GetAsync(Id, cancellationToken));
        if (Poll is null)
        {
            return;
        }

        IReadOnlyList<ProposalView> all = await AskAsync(c => c.ProposalsAsync(Id, null, cancellationToken)) ?? [];
        Queue = [.. all.Where(p => p.State == ProposalStates.New).OrderBy(p => p.SubmittedAt).ThenBy(p => p.Id)];
        Targets = [.. all.Where(p => p.State is ProposalStates.New or ProposalStates.Approved).OrderBy(p => p.Name, StringComparer.CurrentCulture)];
    }
}
