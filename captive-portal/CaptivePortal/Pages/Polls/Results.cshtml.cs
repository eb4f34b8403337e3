using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;
using Network.Contracts;
using Network.WebPages;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>
/// A poll's results, public after it closes (or while it runs if the poll says so): the options' shares, and the approved
/// proposals ranked by the Bayesian average of their hearts (<see cref="PollRanking"/>), all together and per zone; a CSV.
/// </summary>
public sealed class ResultsModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn) : PollPageModel(visit, words, polls, signIn)
{
    public StoredPoll Poll { get; private set; } = null!;

    public PollResults Results { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        long id = PollId;
        if (await Polls.Store.PollAsync(id, HttpContext.RequestAborted).ConfigureAwait(false) is not StoredPoll poll)
        {
            return NoSuchPoll();
        }

        if (!poll.ResultsPublicAt(Now))
        {
            return Visit.Message(Words.Say("ResultsTitle"), Words.Say("ResultsAfterClose", Words.When(poll.Draft.ClosesAt)),
                ($"/polls/{id}", Words.Say("BackToPoll")));
        }

        Poll = poll;
        Results = (await Polls.ResultsAsync(id, HttpContext.RequestAborted).ConfigureAwait(false))!;
        return Page();
    }

    public IReadOnlyList<DataColumn> OptionColumns =>
        [new("option", Words.Say("Option"), false), new("votes", Words.Say("Votes"), false, true), new("share", Words.Say("Share"), false, true)];

    public IEnumerable<IReadOnlyList<DataCell>> OptionRows => Results.Options.Select(o => (IReadOnlyList<DataCell>)
        [new(Words.Of(o.Label)), new(o.Votes.ToString("N0", Words.Culture)), new(Words.Share(o.Share))]);

    public IReadOnlyList<DataColumn> RankingColumns =>
    [
        new("rank", Words.Say("Rank"), false, true), new("name", Words.Say("ProposalName"), false), new("commune", Words.Say("Commune"), false),
        new("ratings", Words.Say("Ratings"), false, true), new("mean", Words.Say("MeanHearts"), false, true), new("score", Words.Say("Score"), false, true),
    ];

    /// <summary>The ranked proposals of one zone (an option's key), of none (the empty key), or all (null).</summary>
    public IEnumerable<IReadOnlyList<DataCell>> RankingRows(string? zone) => Results.Proposals
        .Where(p => zone is null || (p.OptionKey ?? "") == zone)
        .Select(p => (IReadOnlyList<DataCell>)
        [
            new(p.Rank.ToString(CultureInfo.InvariantCulture)), new(p.Name), new(Words.Commune(p.Commune)), new(p.Ratings.ToString("N0", Words.Culture)),
            new(Words.Number(p.MeanHearts)), new(Words.Number(p.Score)),
        ]);
}
