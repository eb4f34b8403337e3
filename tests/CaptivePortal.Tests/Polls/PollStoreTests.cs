using System.Net;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Sessions;
using Network.CaptivePortal.Tests.Accounts;
using Network.Contracts;
using Network.Radius.Dictionary;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Polls;

/// <summary>The polls' store and service on each engine (<see cref="SqlitePollStoreTests"/>, <see cref="PostgresPollStoreTests"/>).</summary>
public abstract class PollStoreTests
{
    private protected abstract PortalStore NewStore();

    private static readonly CancellationToken s_none = CancellationToken.None;

    [Fact]
    public async Task A_vote_is_one_per_account_changeable_and_stored_under_a_pseudonym_not_the_name()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long poll = await polls.NewPollAsync();
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");
        PollCitizen bart = await polls.CitizenAsync("bart.peeters");

        Assert.Equal(CitizenOutcome.Recorded, await polls.Service.VoteAsync(poll, anna, "metro", s_none));
        Assert.Equal(CitizenOutcome.Recorded, await polls.Service.VoteAsync(poll, anna, "parks", s_none));
        Assert.Equal(CitizenOutcome.Recorded, await polls.Service.VoteAsync(poll, bart, "metro", s_none));

        Assert.Equal(2, await polls.CountAsync("poll_votes"));
        PollCounts counts = await polls.Store.CountsAsync(poll, s_none);
        Assert.Equal(1, counts.Votes["parks"]);
        Assert.Equal(1, counts.Votes["metro"]);
        string pseudonym = polls.Service.PseudonymOf(anna);
        Assert.Equal("parks", await polls.Store.MyVoteAsync(poll, pseudonym, s_none));
        Assert.Matches("^[0-9a-f]{64}$", pseudonym);
        long stored = await portal.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT count(*) FROM poll_votes WHERE pseudonym LIKE '%anna%' OR pseudonym = @id", new { id = anna.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture) }), s_none);
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task The_same_account_voting_from_many_requests_at_once_keeps_one_vote()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long poll = await polls.NewPollAsync();
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");
        // A second sign-in (another browser) is the same account, so the same pseudonym.
        (_, PollCitizen? again) = await polls.Service.SignInAsync("anna.janssens", "Flagey-2026-wifi", s_none);
        string[] options = ["metro", "parks", "markets", "libraries"];

        CitizenOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => polls.Service.VoteAsync(poll, i % 2 == 0 ? anna : again!, options[i % options.Length], s_none))));

        Assert.All(outcomes, o => Assert.Equal(CitizenOutcome.Recorded, o));
        Assert.Equal(1, await polls.CountAsync("poll_votes"));
        Assert.Equal(1, (await polls.Store.CountsAsync(poll, s_none)).Votes.Values.Sum());
    }

    [Fact]
    public async Task A_vote_before_opening_after_closing_for_an_unknown_option_or_from_a_locked_account_is_refused_and_not_stored()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long upcoming = await polls.Store.CreatePollAsync(PollFixture.Draft(polls.Now.AddDays(1)), polls.Now, s_none);
        long poll = await polls.NewPollAsync();
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");
        PollCitizen bart = await polls.CitizenAsync("bart.peeters");

        Assert.Equal(CitizenOutcome.NotOpen, await polls.Service.VoteAsync(upcoming, anna, "metro", s_none));
        Assert.Equal(CitizenOutcome.NoSuchOption, await polls.Service.VoteAsync(poll, anna, "beach", s_none));
        Assert.Equal(CitizenOutcome.NoSuchPoll, await polls.Service.VoteAsync(poll + 100, anna, "metro", s_none));
        Assert.True(await polls.Accounts.LockAsync("bart.peeters"));
        Assert.Equal(CitizenOutcome.AccountLocked, await polls.Service.VoteAsync(poll, bart, "metro", s_none));
        portal.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(CitizenOutcome.NotOpen, await polls.Service.VoteAsync(poll, anna, "metro", s_none));

        Assert.Equal(0, await polls.CountAsync("poll_votes"));
    }

    [Fact]
    public async Task Hearts_go_from_one_to_five_on_approved_proposals_one_rating_per_account_changeable()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long poll = await polls.NewPollAsync();
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");
        long approved = await polls.ApprovedAsync(poll, anna);
        (_, long waiting) = await polls.Service.ProposeAsync(poll, anna, PollFixture.Place("Flageyplein"), s_none);

        Assert.Equal(CitizenOutcome.OutOfRange, await polls.Service.RateAsync(poll, approved, anna, 0, s_none));
        Assert.Equal(CitizenOutcome.OutOfRange, await polls.Service.RateAsync(poll, approved, anna, 6, s_none));
        Assert.Equal(CitizenOutcome.OutOfRange, await polls.Store.RateAsync(poll, approved, anna.AccountId, "x", -3, polls.Now, s_none));
        Assert.Equal(CitizenOutcome.NotApproved, await polls.Service.RateAsync(poll, waiting, anna, 4, s_none));
        Assert.Equal(CitizenOutcome.Recorded, await polls.Service.RateAsync(poll, approved, anna, 2, s_none));
        Assert.Equal(CitizenOutcome.Recorded, await polls.Service.RateAsync(poll, approved, anna, 5, s_none));

        Assert.Equal(1, await polls.CountAsync("poll_ratings"));
        ProposalCount count = Assert.Single((await polls.Store.CountsAsync(poll, s_none)).Proposals);
        Assert.Equal((1L, 5L), (count.Ratings, count.Hearts));
    }

    [Fact]
    public async Task A_proposal_is_taken_only_while_proposals_are_open_and_keeps_its_text_as_typed()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long poll = await polls.NewPollAsync();
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");
        NewProposal html = PollFixture.Place("<script>alert(1)</script> Flagey", proposer: "anna.janssens");

        (CitizenOutcome made, long id) = await polls.Service.ProposeAsync(poll, anna, html, s_none);
        portal.Time.Advance(TimeSpan.FromDays(21));
        (CitizenOutcome late, _) = await polls.Service.ProposeAsync(poll, anna, PollFixture.Place("Later"), s_none);

        Assert.Equal(CitizenOutcome.Recorded, made);
        Assert.Equal(CitizenOutcome.NotOpen, late);
        ProposalView stored = (await polls.Store.ProposalAsync(poll, id, s_none))!;
        Assert.Equal("<script>alert(1)</script> Flagey", stored.Name);
        Assert.Equal("anna.janssens", stored.ProposerName);
        Assert.Equal(ProposalStates.New, stored.State);
        Assert.Equal(1, await polls.CountAsync("poll_proposals"));
    }

    [Fact]
    public async Task Moderation_is_recorded_and_of_two_moderators_deciding_at_once_one_wins()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long poll = await polls.NewPollAsync();
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");
        (_, long first) = await polls.Service.ProposeAsync(poll, anna, PollFixture.Place("Sint-Joostplein"), s_none);
        (_, long second) = await polls.Service.ProposeAsync(poll, anna, PollFixture.Place("Sint-Joost plein"), s_none);
        (_, long advert) = await polls.Service.ProposeAsync(poll, anna, PollFixture.Place("Buy our phones"), s_none);
        long target = await polls.ApprovedAsync(poll, anna, "Sint-Joostplein (kerk)");

        ModerationOutcome[] both = await Task.WhenAll(
            Task.Run(() => polls.Store.ModerateAsync(poll, first, new ModerationRequest(ModerationActions.Approve, "planner.an"), ProposalStates.New, polls.Now, s_none)),
            Task.Run(() => polls.Store.ModerateAsync(poll, first, new ModerationRequest(ModerationActions.Refuse, "planner.bo", Reason: RefusalReasons.TooVague),
                ProposalStates.New, polls.Now, s_none)));
        ModerationOutcome self = await polls.Store.ModerateAsync(poll, second, new ModerationRequest(ModerationActions.Merge, "planner.an", MergeInto: second),
            ProposalStates.New, polls.Now, s_none);
        ModerationOutcome merged = await polls.Store.ModerateAsync(poll, second, new ModerationRequest(ModerationActions.Merge, "planner.an", MergeInto: target),
            ProposalStates.New, polls.Now, s_none);
        ModerationOutcome refused = await polls.Store.ModerateAsync(poll, advert,
            new ModerationRequest(ModerationActions.Refuse, "planner.bo", Reason: RefusalReasons.Advertising, Note: "Geen reclame."), ProposalStates.New, polls.Now, s_none);

        Assert.Single(both, o => o == ModerationOutcome.Done);
        Assert.Single(both, o => o == ModerationOutcome.StateChanged);
        Assert.Equal(ModerationOutcome.BadTarget, self);
        Assert.Equal(ModerationOutcome.Done, merged);
        Assert.Equal(ModerationOutcome.Done, refused);
        Assert.Equal(4, await polls.CountAsync("poll_moderation"));
        ProposalView joined = (await polls.Store.ProposalAsync(poll, second, s_none))!;
        Assert.Equal((ProposalStates.Merged, (long?)target), (joined.State, joined.MergedInto));
        IReadOnlyList<MyProposal> mine = await polls.Store.MyProposalsAsync(poll, polls.Service.PseudonymOf(anna), s_none);
        ModerationRecord decision = mine.Single(m => m.Proposal.Id == advert).Decision!;
        Assert.Equal((ModerationActions.Refuse, "planner.bo", RefusalReasons.Advertising, "Geen reclame.", polls.Now),
            (decision.Action, decision.Moderator, decision.Reason, decision.Note, decision.At));
    }

    [Fact]
    public async Task A_poll_for_accounts_seen_online_refuses_an_account_until_the_accounting_has_a_session_of_it()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long poll = await polls.NewPollAsync(requiresOnline: true);
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");

        CitizenOutcome before = await polls.Service.VoteAsync(poll, anna, "metro", s_none);
        await portal.Sessions.RecordAsync(new AccountingRecord
        {
            StatusType = AcctStatusType.Start, AcctSessionId = "s1", UserName = "Anna.Janssens", NasIdentifier = "hs-beursplein",
            NasIpAddress = IPAddress.Parse("10.20.0.1"), CallingStationId = "00-10-A4-23-19-C0",
        });
        CitizenOutcome after = await polls.Service.VoteAsync(poll, anna, "metro", s_none);

        Assert.Equal(CitizenOutcome.NotOnlineYet, before);
        Assert.Equal(CitizenOutcome.Recorded, after);
        Assert.Equal(1, await polls.CountAsync("poll_votes"));
    }

    [Fact]
    public async Task Once_a_poll_closes_only_counts_are_kept_and_the_results_stay_the_same()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long poll = await polls.NewPollAsync();
        long other = await polls.NewPollAsync();
        PollCitizen[] citizens = [await polls.CitizenAsync("anna.janssens"), await polls.CitizenAsync("bart.peeters"), await polls.CitizenAsync("chloe.dubois")];
        long place = await polls.ApprovedAsync(poll, citizens[0]);
        foreach ((PollCitizen citizen, int i) in citizens.Select((c, i) => (c, i)))
        {
            await polls.Service.VoteAsync(poll, citizen, i == 0 ? "parks" : "metro", s_none);
            await polls.Service.RateAsync(poll, place, citizen, 3 + i, s_none);
            await polls.Service.VoteAsync(other, citizen, "metro", s_none);
        }

        PollResults before = (await polls.Service.ResultsAsync(poll, s_none))!;
        portal.Time.Advance(TimeSpan.FromDays(30));
        int counted = await polls.Store.CloseDueAsync(polls.Now, s_none);
        int again = await polls.Store.CloseDueAsync(polls.Now, s_none);
        PollResults after = (await polls.Service.ResultsAsync(poll, s_none))!;

        Assert.Equal(2, counted);
        Assert.Equal(0, again);
        Assert.Equal(0, await polls.CountAsync("poll_votes"));
        Assert.Equal(0, await polls.CountAsync("poll_ratings"));
        Assert.Equal(0, await portal.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT count(*) FROM poll_proposals WHERE pseudonym IS NOT NULL"), s_none));
        Assert.Equal(before.Options.Select(o => o.Votes), after.Options.Select(o => o.Votes));
        Assert.Equal(3, after.Votes);
        RankedProposal ranked = Assert.Single(after.Proposals);
        Assert.Equal((3L, 4.0), (ranked.Ratings, ranked.MeanHearts));
        Assert.Equal(PollStates.Closed, after.State);
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_unapproved_proposals_and_its_votes_and_ratings_in_running_polls_only()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        long closed = await polls.NewPollAsync();
        PollCitizen anna = await polls.CitizenAsync("anna.janssens");
        PollCitizen bart = await polls.CitizenAsync("bart.peeters");
        long oldPlace = await polls.ApprovedAsync(closed, bart);
        await polls.Service.VoteAsync(closed, anna, "metro", s_none);
        await polls.Service.RateAsync(closed, oldPlace, anna, 5, s_none);
        portal.Time.Advance(TimeSpan.FromDays(31));
        await polls.Store.CloseDueAsync(polls.Now, s_none);
        long running = await polls.NewPollAsync();
        long kept = await polls.ApprovedAsync(running, anna, "Simonisplein");
        (_, long waiting) = await polls.Service.ProposeAsync(running, anna, PollFixture.Place("Flageyplein", proposer: "anna.janssens"), s_none);
        await polls.Service.VoteAsync(running, anna, "parks", s_none);
        await polls.Service.VoteAsync(running, bart, "parks", s_none);
        await polls.Service.RateAsync(running, kept, anna, 5, s_none);
        await polls.Service.RateAsync(running, kept, bart, 2, s_none);

        Assert.True(await polls.Accounts.RemoveAsync("anna.janssens"));

        Assert.Null(await polls.Store.ProposalAsync(running, waiting, s_none));
        ProposalView approved = (await polls.Store.ProposalAsync(running, kept, s_none))!;
        Assert.Null(approved.ProposerName);
        Assert.Equal((1L, 2.0), (approved.Ratings, approved.MeanHearts));
        Assert.Equal(1, (await polls.Store.CountsAsync(running, s_none)).Votes["parks"]);
        PollResults old = (await polls.Service.ResultsAsync(closed, s_none))!;
        Assert.Equal(1, old.Votes);
        Assert.Equal(1, old.Proposals.Single().Ratings);
    }

    [Fact]
    public async Task A_poll_is_updated_but_its_options_no_longer_change_once_it_has_opened()
    {
        using PortalStore portal = NewStore();
        using var polls = new PollFixture(portal);
        PollDraft draft = PollFixture.Draft(polls.Now.AddDays(1));
        long poll = await polls.Store.CreatePollAsync(draft, polls.Now, s_none);
        PollDraft fewer = draft with { Options = [.. draft.Options.Take(3)] };

        PollChange beforeOpening = await polls.Store.UpdatePollAsync(poll, fewer, polls.Now, s_none);
        portal.Time.Advance(TimeSpan.FromDays(2));
        PollChange afterOpening = await polls.Store.UpdatePollAsync(poll, draft, polls.Now, s_none);
        PollChange retitled = await polls.Store.UpdatePollAsync(poll, fewer with { Title = new("A", "B", "C") }, polls.Now, s_none);

        Assert.Equal(PollChange.Done, beforeOpening);
        Assert.Equal(PollChange.OptionsFixed, afterOpening);
        Assert.Equal(PollChange.Done, retitled);
        StoredPoll stored = (await polls.Store.PollAsync(poll, s_none))!;
        Assert.Equal(3, stored.Draft.Options.Count);
        Assert.Equal("B", stored.Draft.Title.Fr);
    }
}

public sealed class SqlitePollStoreTests : PollStoreTests
{
    private protected override PortalStore NewStore() => new();
}

public sealed class PostgresPollStoreTests(PostgresDatabase postgres) : PollStoreTests, IClassFixture<PostgresDatabase>
{
    private protected override PortalStore NewStore() => new(connectionString: Task.Run(postgres.CreateAsync).GetAwaiter().GetResult());
}
