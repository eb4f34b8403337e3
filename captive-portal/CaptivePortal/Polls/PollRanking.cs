using Network.Contracts;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// The results: the options' shares and the approved proposals ranked by a Bayesian average of their hearts,
/// (C·m + Σ hearts) / (C + n), where m is the mean of every rating in the poll (3 when there is none) and C the prior's
/// weight in ratings: a proposal with few ratings stays near the poll's mean, so one five-heart rating cannot top a place
/// that many rated well. Ties: more ratings first, then the older proposal.
/// </summary>
public static class PollRanking
{
    public static PollResults Rank(StoredPoll poll, PollCounts counts, string state, double priorWeight)
    {
        ArgumentNullException.ThrowIfNull(poll);
        ArgumentNullException.ThrowIfNull(counts);
        long votes = counts.Votes.Values.Sum();
        OptionResult[] options = [.. poll.Draft.Options.Select(o =>
        {
            long n = counts.Votes.GetValueOrDefault(o.Key);
            return new OptionResult(o.Key, o.Label, n, votes == 0 ? 0 : (double)n / votes);
        })];

        long ratings = 0;
        long hearts = 0;
        foreach (ProposalCount p in counts.Proposals)
        {
            ratings += p.Ratings;
            hearts += p.Hearts;
        }

        double prior = ratings == 0 ? 3 : (double)hearts / ratings;
        var scored = new (ProposalCount Count, double Score)[counts.Proposals.Count];
        for (int i = 0; i < scored.Length; i++)
        {
            ProposalCount p = counts.Proposals[i];
            scored[i] = (p, ((priorWeight * prior) + p.Hearts) / (priorWeight + p.Ratings));
        }

        Array.Sort(scored, static (a, b) =>
        {
            int byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            int byRatings = b.Count.Ratings.CompareTo(a.Count.Ratings);
            return byRatings != 0 ? byRatings : a.Count.Proposal.Id.CompareTo(b.Count.Proposal.Id);
        });

        var ranked = new RankedProposal[scored.Length];
        for (int i = 0; i < scored.Length; i++)
        {
            ProposalView p = scored[i].Count.Proposal;
            long n = scored[i].Count.Ratings;
            ranked[i] = new RankedProposal(i + 1, p.Id, p.Name, p.Commune, p.Address, p.Latitude, p.Longitude, p.OptionKey, n,
                n == 0 ? 0 : (double)scored[i].Count.Hearts / n, scored[i].Score);
        }

        return new PollResults(poll.Id, state, votes, options, ranked, prior, priorWeight);
    }
}
