using Network.CaptivePortal.Polls;
using Network.Contracts;

namespace Network.CaptivePortal.Tests.Polls;

/// <summary>The ranking: a Bayesian average of hearts that one five-heart rating cannot top; the options' shares; the CSV.</summary>
public sealed class PollRankingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 3, 10, 0, 0, TimeSpan.Zero);

    private static ProposalCount Count(long id, long ratings, long hearts, string name = "p") =>
        new(new ProposalView(id, 1, name, "bruxelles", "", null, null, "", "metro", null, ProposalStates.Approved, null, s_now, ratings,
            ratings == 0 ? 0 : (double)hearts / ratings), ratings, hearts);

    private static StoredPoll Poll() => new(1, PollFixture.Draft(s_now), s_now, s_now, false);

    [Fact]
    public void One_five_heart_rating_does_not_top_a_place_many_rated_well()
    {
        var counts = new PollCounts(new Dictionary<string, long> { ["metro"] = 3, ["parks"] = 1 },
            [Count(1, 1, 5, "once"), Count(2, 40, 180, "many"), Count(3, 10, 20, "low"), Count(4, 0, 0, "none")]);

        PollResults results = PollRanking.Rank(Poll(), counts, PollStates.Closed, 5);

        Assert.Equal([2L, 1, 4, 3], results.Proposals.Select(p => p.ProposalId));
        Assert.Equal([1, 2, 3, 4], results.Proposals.Select(p => p.Rank));
        Assert.Equal(205.0 / 51, results.PriorMean, 9);
        Assert.Equal(((5 * (205.0 / 51)) + 180) / 45, results.Proposals[0].Score, 9);
        Assert.Equal(0.75, results.Options.Single(o => o.Key == "metro").Share);
        Assert.Equal(0, results.Options.Single(o => o.Key == "libraries").Share);
        Assert.Equal(4, results.Votes);
    }

    [Fact]
    public void Equal_scores_rank_more_ratings_first_then_the_older_proposal()
    {
        var counts = new PollCounts(new Dictionary<string, long>(), [Count(7, 2, 8), Count(5, 2, 8), Count(6, 4, 16)]);

        PollResults results = PollRanking.Rank(Poll(), counts, PollStates.Open, 5);

        Assert.Equal([6L, 5, 7], results.Proposals.Select(p => p.ProposalId));
    }

    [Fact]
    public void The_CSV_quotes_what_needs_it_and_defuses_formulas()
    {
        var counts = new PollCounts(new Dictionary<string, long>(), [Count(1, 2, 9, "=HYPERLINK(\"x\")"), Count(2, 1, 1, "Place, \"big\"")]);

        string csv = PollService.Csv(PollRanking.Rank(Poll(), counts, PollStates.Closed, 5));

        string[] lines = csv.Split("\r\n");
        Assert.Equal(PollCsv.ResultsHeader, lines[0]);
        Assert.StartsWith("1,1,\"'=HYPERLINK(\"\"x\"\")\",bruxelles,,,,metro,2,4.5,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2,2,\"Place, \"\"big\"\"\",", lines[2], StringComparison.Ordinal);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void A_pseudonym_depends_on_the_key_and_the_account_only()
    {
        var a = new Pseudonyms(Microsoft.Extensions.Options.Options.Create(new PollsOptions { PseudonymKey = PollFixture.Key }));
        var b = new Pseudonyms(Microsoft.Extensions.Options.Options.Create(new PollsOptions { PseudonymKey = PollFixture.Key + "x" }));

        Assert.Equal(a.Of(42), a.Of(42));
        Assert.NotEqual(a.Of(42), a.Of(43));
        Assert.NotEqual(a.Of(42), b.Of(42));
    }
}
