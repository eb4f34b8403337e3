using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;
using Network.Contracts;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>
/// A poll: its description, the vote (one option, changeable until it closes) and the approved proposals to rate with one
/// to five hearts, each a plain form (radio buttons, no JavaScript). <c>?done=</c> says what was just recorded.
/// </summary>
public sealed class PollModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn) : PollPageModel(visit, words, polls, signIn)
{
    public StoredPoll Poll { get; private set; } = null!;

    public string State { get; private set; } = PollStates.Upcoming;

    public IReadOnlyList<ProposalView> Proposals { get; private set; } = [];

    public string? MyVote { get; private set; }

    public IReadOnlyDictionary<long, int> MyRatings { get; private set; } = new Dictionary<long, int>();

    /// <summary>What was just recorded: <c>vote</c>, <c>changed</c>, <c>rated</c>, <c>proposed</c>; null otherwise.</summary>
    public string? Done { get; private set; }

    /// <summary>The option or hearts chosen in a form that came back.</summary>
    public string? ChosenOption { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        long id = PollId;
        string? done = Request.Query["done"].ToString();
        Done = done is "vote" or "changed" or "rated" or "proposed" ? done : null;
        return await LoadAsync(id).ConfigureAwait(false) ? Page() : NoSuchPoll();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        long id = PollId;
        (IFormCollection form, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        if (!await LoadAsync(id).ConfigureAwait(false))
        {
            return NoSuchPoll();
        }

        string kind = form["kind"].ToString();
        if (!valid)
        {
            return Expired(kind == "rate" ? FieldOf(form) : "option");
        }

        if (Citizen is not PollCitizen citizen)
        {
            return ToSignIn($"/polls/{id}");
        }

        if (kind == "rate")
        {
            string field = FieldOf(form);
            if (!long.TryParse(form["proposal"], NumberStyles.None, CultureInfo.InvariantCulture, out long proposal)
                || !Proposals.Any(p => p.Id == proposal))
            {
                return Form([new(field, Words.Say("ErrNotApproved"))], StatusCodes.Status422UnprocessableEntity);
            }

            if (!int.TryParse(form["hearts"], NumberStyles.None, CultureInfo.InvariantCulture, out int hearts) || hearts is < 1 or > 5)
            {
                return Form([new(field, Words.Say("ErrHeartsRange"))], StatusCodes.Status422UnprocessableEntity);
            }

            CitizenOutcome rated = await Polls.RateAsync(id, proposal, citizen, hearts, HttpContext.RequestAborted).ConfigureAwait(false);
            return rated == CitizenOutcome.Recorded
                ? new SeeOther(Visit.Link($"/polls/{id}", ("done", "rated")) + "#proposal-" + proposal.ToString(CultureInfo.InvariantCulture))
                : Form([new(field, Words.Refusal(rated))], StatusOf(rated));
        }

        ChosenOption = form["option"].ToString();
        if (ChosenOption.Length == 0)
        {
            return Form([new("option", Words.Say("ErrChooseOption"))], StatusCodes.Status422UnprocessableEntity);
        }

        string? before = await Polls.Store.MyVoteAsync(id, Polls.PseudonymOf(citizen), HttpContext.RequestAborted).ConfigureAwait(false);
        CitizenOutcome voted = await Polls.VoteAsync(id, citizen, ChosenOption, HttpContext.RequestAborted).ConfigureAwait(false);
        return voted == CitizenOutcome.Recorded
            ? new SeeOther(Visit.Link($"/polls/{id}", ("done", before is null ? "vote" : "changed")))
            : Form([new("option", Words.Refusal(voted))], StatusOf(voted));
    }

    /// <summary>The heading id of a proposal's rating form, where its error links to.</summary>
    public static string ProposalField(long id) => "proposal-" + id.ToString(CultureInfo.InvariantCulture);

    private static string FieldOf(IFormCollection form) =>
        long.TryParse(form["proposal"], NumberStyles.None, CultureInfo.InvariantCulture, out long proposal) ? ProposalField(proposal) : "proposals";

    private async Task<bool> LoadAsync(long id)
    {
        CancellationToken cancellationToken = HttpContext.RequestAborted;
        if (await Polls.Store.PollAsync(id, cancellationToken).ConfigureAwait(false) is not StoredPoll poll)
        {
            return false;
        }

        Poll = poll;
        State = poll.StateAt(Now);
        Proposals = await Polls.Store.ProposalsAsync(id, ProposalStates.Approved, cancellationToken).ConfigureAwait(false);
        if (Citizen is PollCitizen citizen)
        {
            string pseudonym = Polls.PseudonymOf(citizen);
            MyVote = await Polls.Store.MyVoteAsync(id, pseudonym, cancellationToken).ConfigureAwait(false);
            MyRatings = await Polls.Store.MyRatingsAsync(id, pseudonym, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
