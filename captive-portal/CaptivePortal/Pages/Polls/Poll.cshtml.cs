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

    /// <summary>
    /// A vote or a rating. The page's data (proposals, my vote and hearts) is read only when the form comes back with an
    /// error: a recorded vote is the poll's check and one upsert, then the redirect.
    /// </summary>
    public async Task<IActionResult> OnPostAsync()
    {
        long id = PollId;
        (IFormCollection form, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        string kind = form["kind"].ToString();
        string field = kind == "rate" ? FieldOf(form) : "option";
        if (!valid)
        {
            return await LoadAsync(id).ConfigureAwait(false) ? Expired(field) : NoSuchPoll();
        }

        if (Citizen is not PollCitizen citizen)
        {
            return ToSignIn($"/polls/{id}");
        }

        if (kind == "rate")
        {
            if (!long.TryParse(form["proposal"], NumberStyles.None, CultureInfo.InvariantCulture, out long proposal))
            {
                return await AgainAsync(id, field, Words.Say("ErrNotApproved")).ConfigureAwait(false);
            }

            if (!int.TryParse(form["hearts"], NumberStyles.None, CultureInfo.InvariantCulture, out int hearts) || hearts is < 1 or > 5)
            {
                return await AgainAsync(id, field, Words.Say("ErrHeartsRange")).ConfigureAwait(false);
            }

            CitizenOutcome rated = await Polls.RateAsync(id, proposal, citizen, hearts, HttpContext.RequestAborted).ConfigureAwait(false);
            return rated == CitizenOutcome.Recorded
                ? new SeeOther(Visit.Link($"/polls/{id}", ("done", "rated")) + "#" + ProposalField(proposal))
                : await AgainAsync(id, field, Words.Refusal(rated), StatusOf(rated)).ConfigureAwait(false);
        }

        ChosenOption = form["option"].ToString();
        if (ChosenOption.Length == 0)
        {
            return await AgainAsync(id, "option", Words.Say("ErrChooseOption")).ConfigureAwait(false);
        }

        string? before = await Polls.Store.MyVoteAsync(id, Polls.PseudonymOf(citizen), HttpContext.RequestAborted).ConfigureAwait(false);
        CitizenOutcome voted = await Polls.VoteAsync(id, citizen, ChosenOption, HttpContext.RequestAborted).ConfigureAwait(false);
        return voted == CitizenOutcome.Recorded
            ? new SeeOther(Visit.Link($"/polls/{id}", ("done", before is null ? "vote" : "changed")))
            : await AgainAsync(id, "option", Words.Refusal(voted), StatusOf(voted)).ConfigureAwait(false);
    }

    // The page again with the error at its field (the poll's data read now), or "no such poll".
    private async Task<IActionResult> AgainAsync(long id, string field, string message, int status = StatusCodes.Status422UnprocessableEntity) =>
        await LoadAsync(id).ConfigureAwait(false) ? Form([new(field, message)], status) : NoSuchPoll();

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
