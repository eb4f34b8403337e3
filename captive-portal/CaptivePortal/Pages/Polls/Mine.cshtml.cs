using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>My part of a poll: my vote, and my proposals with the moderation's outcome and its reason in my language.</summary>
public sealed class MineModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn) : PollPageModel(visit, words, polls, signIn)
{
    public StoredPoll Poll { get; private set; } = null!;

    public string? MyVote { get; private set; }

    public IReadOnlyList<MyProposal> Proposals { get; private set; } = [];

    public bool JustProposed { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        long id = PollId;
        CancellationToken cancellationToken = HttpContext.RequestAborted;
        if (await Polls.Store.PollAsync(id, cancellationToken).ConfigureAwait(false) is not StoredPoll poll)
        {
            return NoSuchPoll();
        }

        if (Citizen is not PollCitizen citizen)
        {
            return ToSignIn($"/polls/{id}/mine");
        }

        Poll = poll;
        JustProposed = Request.Query["done"] == "proposed";
        string pseudonym = Polls.PseudonymOf(citizen);
        MyVote = await Polls.Store.MyVoteAsync(id, pseudonym, cancellationToken).ConfigureAwait(false);
        Proposals = await Polls.Store.MyProposalsAsync(id, pseudonym, cancellationToken).ConfigureAwait(false);
        return Page();
    }
}
