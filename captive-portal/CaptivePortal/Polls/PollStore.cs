using System.Data.Common;
using Dapper;
using Network.Contracts;
using Network.Storage;

namespace Network.CaptivePortal.Polls;

/// <summary>A stored poll: what the planner wrote, when, and whether its votes and ratings have been folded into counts.</summary>
public sealed record StoredPoll(long Id, PollDraft Draft, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Counted)
{
    /// <summary>Upcoming, open or closed at <paramref name="now"/>.</summary>
    public string StateAt(DateTimeOffset now) =>
        now < Draft.OpensAt ? PollStates.Upcoming : now < Draft.ClosesAt ? PollStates.Open : PollStates.Closed;

    /// <summary>Whether citizens may propose places at <paramref name="now"/>.</summary>
    public bool TakesProposalsAt(DateTimeOffset now) =>
        Draft.ProposalsOpenUntil is { } until && now >= Draft.OpensAt && now < until && now < Draft.ClosesAt;

    /// <summary>Whether the public may see the results at <paramref name="now"/>.</summary>
    public bool ResultsPublicAt(DateTimeOffset now) => now >= Draft.ClosesAt || (Draft.ResultsWhileOpen && now >= Draft.OpensAt);
}

/// <summary>A citizen's new proposal, as the form gave it (validated by <see cref="PollRules"/>).</summary>
public sealed record NewProposal(string Name, string Commune, string Address, double? Latitude, double? Longitude, string Why, string? OptionKey,
    string? ProposerName);

/// <summary>One of my proposals, with the last moderation decision on it.</summary>
public sealed record MyProposal(ProposalView Proposal, ModerationRecord? Decision);

/// <summary>The raw counts of a poll's results: votes per option and hearts per approved proposal.</summary>
public sealed record PollCounts(IReadOnlyDictionary<string, long> Votes, IReadOnlyList<ProposalCount> Proposals);

/// <summary>An approved proposal's ratings: how many and their sum.</summary>
public sealed record ProposalCount(ProposalView Proposal, long Ratings, long Hearts);

/// <summary>How a citizen's vote, rating or proposal ended.</summary>
public enum CitizenOutcome
{
    Recorded,
    NoSuchPoll,

    /// <summary>The poll is not open (not yet, or closed), or no longer takes proposals.</summary>
    NotOpen,
    NoSuchOption,
    NotApproved,
    OutOfRange,

    /// <summary>The account was locked by an operator (or removed) since the citizen signed in.</summary>
    AccountLocked,

    /// <summary>The poll counts only accounts that have been online over the wifi, and this one has not yet.</summary>
    NotOnlineYet,
}

public enum PollChange
{
    Done,
    NotFound,

    /// <summary>The poll has opened: its options no longer change (votes point at them).</summary>
    OptionsFixed,
}

public enum ModerationOutcome
{
    Done,
    NotFound,

    /// <summary>The proposal is not in the state the request expected; it is left as it was.</summary>
    StateChanged,

    /// <summary>The merge target is not an open proposal of the same poll (or is the proposal itself).</summary>
    BadTarget,
}

/// <summary>
/// The polls' tables on the portal's database (<see cref="ServiceDatabase"/>, SQLite or PostgreSQL). Every write that
/// must hold under races is one statement: a vote or a rating is one upsert on its (poll or proposal, pseudonym) key
/// that also checks the poll is open and the account not locked; a moderation is one <c>UPDATE ... WHERE state = ...</c>.
/// </summary>
public sealed class PollStore(ServiceDatabase database)
{
    /// <summary>The polls' tables on the portal's database.</summary>
    public static readonly DatabaseFeature Feature = new(typeof(PollTables).Assembly);

    private const string PollColumns = """
        p.id AS Id, p.title_nl AS TitleNl, p.title_fr AS TitleFr, p.title_en AS TitleEn, p.description_nl AS DescriptionNl,
        p.description_fr AS DescriptionFr, p.description_en AS DescriptionEn, p.opens_ms AS OpensMs, p.closes_ms AS ClosesMs,
        p.proposals_until_ms AS ProposalsUntilMs, p.results_while_open AS ResultsWhileOpen, p.requires_online AS RequiresOnline,
        p.created_ms AS CreatedMs, p.updated_ms AS UpdatedMs, p.counted AS Counted
        """;

    private const string ProposalColumns = """
        r.id AS Id, r.poll_id AS PollId, r.proposer_name AS ProposerName, r.name AS Name, r.commune AS Commune, r.address AS Address,
        r.latitude AS Latitude, r.longitude AS Longitude, r.why AS Why, r.option_key AS OptionKey, r.state AS State, r.merged_into AS MergedInto,
        r.submitted_ms AS SubmittedMs,
        r.counted_ratings + (SELECT count(*) FROM poll_ratings g WHERE g.proposal_id = r.id) AS Ratings,
        r.counted_hearts + coalesce((SELECT sum(g.hearts) FROM poll_ratings g WHERE g.proposal_id = r.id), 0) AS Hearts
        """;

    public Task<long> CreatePollAsync(PollDraft draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return database.WriteAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO polls (title_nl, title_fr, title_en, description_nl, description_fr, description_en, opens_ms, closes_ms,
                    proposals_until_ms, results_while_open, requires_online, created_ms, updated_ms)
                VALUES (@TitleNl, @TitleFr, @TitleEn, @DescriptionNl, @DescriptionFr, @DescriptionEn, @OpensMs, @ClosesMs, @ProposalsUntilMs,
                    @ResultsWhileOpen, @RequiresOnline, @Now, @Now)
                RETURNING id
                """, PollParameters(draft, 0, now), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await InsertOptionsAsync(connection, transaction, id, draft.Options, cancellationToken).ConfigureAwait(false);
            return id;
        }, cancellationToken);
    }

    /// <summary>Replaces a poll's texts, times and flags; its options too while it has not opened (and only then).</summary>
    public Task<PollChange> UpdatePollAsync(long id, PollDraft draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return database.WriteAsync(async (connection, transaction) =>
        {
            long? opensMs = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT opens_ms FROM polls WHERE id = @id",
                new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (opensMs is null)
            {
                return PollChange.NotFound;
            }

            IEnumerable<(string Key, string Nl, string Fr, string En)> stored = await connection.QueryAsync<(string, string, string, string)>(new CommandDefinition(
                "SELECT option_key, label_nl, label_fr, label_en FROM poll_options WHERE poll_id = @id ORDER BY position",
                new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            bool sameOptions = stored.Select(o => new PollOption(o.Key, new PollTexts(o.Nl, o.Fr, o.En))).SequenceEqual(draft.Options);
            bool opened = now.ToUnixTimeMilliseconds() >= opensMs.Value;
            if (!sameOptions && opened)
            {
                return PollChange.OptionsFixed;
            }

            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE polls SET title_nl = @TitleNl, title_fr = @TitleFr, title_en = @TitleEn, description_nl = @DescriptionNl,
                    description_fr = @DescriptionFr, description_en = @DescriptionEn, opens_ms = @OpensMs, closes_ms = @ClosesMs,
                    proposals_until_ms = @ProposalsUntilMs, results_while_open = @ResultsWhileOpen, requires_online = @RequiresOnline, updated_ms = @Now
                WHERE id = @Id
                """, PollParameters(draft, id, now), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (!sameOptions)
            {
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM poll_options WHERE poll_id = @id", new { id }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                await InsertOptionsAsync(connection, transaction, id, draft.Options, cancellationToken).ConfigureAwait(false);
            }

            return PollChange.Done;
        }, cancellationToken);
    }

    public async Task<StoredPoll?> PollAsync(long id, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredPoll> found = await QueryPollsAsync("WHERE p.id = @id", new { id }, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Every poll, the latest opening first.</summary>
    public Task<IReadOnlyList<StoredPoll>> PollsAsync(CancellationToken cancellationToken) =>
        QueryPollsAsync("ORDER BY p.opens_ms DESC, p.id DESC", null, cancellationToken);

    /// <summary>Votes cast (counted or not) and proposals waiting and approved, for a poll.</summary>
    public Task<(long Votes, long New, long Approved)> TalliesAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM poll_votes WHERE poll_id = @id) + (SELECT CAST(coalesce(sum(counted_votes), 0) AS BIGINT) FROM poll_options WHERE poll_id = @id),
                (SELECT count(*) FROM poll_proposals WHERE poll_id = @id AND state = 'new'),
                (SELECT count(*) FROM poll_proposals WHERE poll_id = @id AND state = 'approved')
            """, new { id }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>
    /// Records or changes a vote: one statement that stores it only while the poll is open, for one of its options, and for an
    /// account that exists and is not locked; the (poll, pseudonym) key keeps one vote per account whatever races.
    /// </summary>
    public Task<CitizenOutcome> VoteAsync(long pollId, long accountId, string pseudonym, string optionKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        return database.WriteAsync(async (connection, transaction) =>
        {
            int stored = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO poll_votes (poll_id, pseudonym, option_key, voted_ms)
                SELECT p.id, @pseudonym, o.option_key, @nowMs
                FROM polls p JOIN poll_options o ON o.poll_id = p.id AND o.option_key = @optionKey
                WHERE p.id = @pollId AND p.opens_ms <= @nowMs AND p.closes_ms > @nowMs
                    AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = @accountId AND a.locked = false)
                ON CONFLICT (poll_id, pseudonym) DO UPDATE SET option_key = excluded.option_key, voted_ms = excluded.voted_ms
                """, new { pollId, pseudonym, optionKey, nowMs, accountId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return stored > 0 ? CitizenOutcome.Recorded : await WhyNotAsync(connection, transaction, pollId, accountId, optionKey, nowMs, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static async Task<CitizenOutcome> WhyNotAsync(DbConnection connection, DbTransaction transaction, long pollId, long accountId, string optionKey, long nowMs,
        CancellationToken cancellationToken)
    {
        (long open, long option, long account) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM polls WHERE id = @pollId AND opens_ms <= @nowMs AND closes_ms > @nowMs),
                (SELECT count(*) FROM poll_options WHERE poll_id = @pollId AND option_key = @optionKey),
                (SELECT count(*) FROM accounts WHERE id = @accountId AND locked = false)
            """, new { pollId, accountId, optionKey, nowMs }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return open == 0 ? CitizenOutcome.NotOpen : option == 0 ? CitizenOutcome.NoSuchOption : account == 0 ? CitizenOutcome.AccountLocked : CitizenOutcome.NotOpen;
    }

    /// <summary>This pseudonym's vote in a poll (its option's key), or null.</summary>
    public Task<string?> MyVoteAsync(long pollId, string pseudonym, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT option_key FROM poll_votes WHERE poll_id = @pollId AND pseudonym = @pseudonym", new { pollId, pseudonym },
            cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Stores a proposal (state <c>new</c>) while the poll takes proposals and the account is not locked; its id on success.</summary>
    public Task<(CitizenOutcome Outcome, long Id)> ProposeAsync(long pollId, long accountId, string pseudonym, NewProposal proposal, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        long nowMs = now.ToUnixTimeMilliseconds();
        return database.WriteAsync(async (connection, transaction) =>
        {
            long? id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                INSERT INTO poll_proposals (poll_id, pseudonym, proposer_name, name, commune, address, latitude, longitude, why, option_key, state, submitted_ms)
                SELECT p.id, @pseudonym, @ProposerName, @Name, @Commune, @Address, @Latitude, @Longitude, @Why, @OptionKey, 'new', @nowMs
                FROM polls p
                WHERE p.id = @pollId AND p.opens_ms <= @nowMs AND p.closes_ms > @nowMs AND p.proposals_until_ms > @nowMs
                    AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = @accountId AND a.locked = false)
                RETURNING id
                """, new
            {
                pollId, pseudonym, nowMs, accountId, proposal.ProposerName, proposal.Name, proposal.Commune, proposal.Address,
                proposal.Latitude, proposal.Longitude, proposal.Why, proposal.OptionKey,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (id is long made)
            {
                return (CitizenOutcome.Recorded, made);
            }

            long account = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM accounts WHERE id = @accountId AND locked = false",
                new { accountId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return (account == 0 ? CitizenOutcome.AccountLocked : CitizenOutcome.NotOpen, 0L);
        }, cancellationToken);
    }

    /// <summary>Gives an approved proposal of an open poll 1 to 5 hearts, or changes them; one rating per (proposal, pseudonym).</summary>
    public Task<CitizenOutcome> RateAsync(long pollId, long proposalId, long accountId, string pseudonym, int hearts, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (hearts is < 1 or > 5)
        {
            return Task.FromResult(CitizenOutcome.OutOfRange);
        }

        long nowMs = now.ToUnixTimeMilliseconds();
        return database.WriteAsync(async (connection, transaction) =>
        {
            int stored = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO poll_ratings (proposal_id, pseudonym, poll_id, hearts, rated_ms)
                SELECT r.id, @pseudonym, r.poll_id, @hearts, @nowMs
                FROM poll_proposals r JOIN polls p ON p.id = r.poll_id
                WHERE r.id = @proposalId AND r.poll_id = @pollId AND r.state = 'approved' AND p.opens_ms <= @nowMs AND p.closes_ms > @nowMs
                    AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = @accountId AND a.locked = false)
                ON CONFLICT (proposal_id, pseudonym) DO UPDATE SET hearts = excluded.hearts, rated_ms = excluded.rated_ms
                """, new { pollId, proposalId, pseudonym, hearts, nowMs, accountId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (stored > 0)
            {
                return CitizenOutcome.Recorded;
            }

            (long open, long approved, long account) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition("""
                SELECT (SELECT count(*) FROM polls WHERE id = @pollId AND opens_ms <= @nowMs AND closes_ms > @nowMs),
                    (SELECT count(*) FROM poll_proposals WHERE id = @proposalId AND poll_id = @pollId AND state = 'approved'),
                    (SELECT count(*) FROM accounts WHERE id = @accountId AND locked = false)
                """, new { pollId, proposalId, accountId, nowMs }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return open == 0 ? CitizenOutcome.NotOpen : approved == 0 ? CitizenOutcome.NotApproved : account == 0 ? CitizenOutcome.AccountLocked : CitizenOutcome.NotOpen;
        }, cancellationToken);
    }

    /// <summary>This pseudonym's hearts per proposal in a poll.</summary>
    public async Task<IReadOnlyDictionary<long, int>> MyRatingsAsync(long pollId, string pseudonym, CancellationToken cancellationToken)
    {
        IEnumerable<(long Proposal, int Hearts)> rows = await database.ReadAsync(connection => connection.QueryAsync<(long, int)>(new CommandDefinition(
            "SELECT proposal_id, hearts FROM poll_ratings WHERE poll_id = @pollId AND pseudonym = @pseudonym", new { pollId, pseudonym },
            cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Proposal, r => r.Hearts);
    }

    /// <summary>A poll's proposals (of one state, or all), oldest first, with their ratings so far.</summary>
    public async Task<IReadOnlyList<ProposalView>> ProposalsAsync(long pollId, string? state, CancellationToken cancellationToken)
    {
        IEnumerable<ProposalRow> rows = await database.ReadAsync(connection => connection.QueryAsync<ProposalRow>(new CommandDefinition($"""
            SELECT {ProposalColumns} FROM poll_proposals r WHERE r.poll_id = @pollId AND (@state IS NULL OR r.state = @state) ORDER BY r.id
            """, new { pollId, state }, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.View())];
    }

    /// <summary>One proposal of a poll with its moderation records, oldest first; null when there is none.</summary>
    public Task<ProposalView?> ProposalAsync(long pollId, long proposalId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            ProposalRow? row = await connection.QuerySingleOrDefaultAsync<ProposalRow>(new CommandDefinition($"""
                SELECT {ProposalColumns} FROM poll_proposals r WHERE r.poll_id = @pollId AND r.id = @proposalId
                """, new { pollId, proposalId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            IEnumerable<ModerationRow> records = await connection.QueryAsync<ModerationRow>(new CommandDefinition($"""
                SELECT {ModerationRow.Columns} FROM poll_moderation m WHERE m.proposal_id = @proposalId ORDER BY m.id
                """, new { proposalId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row.View() with { Moderation = [.. records.Select(m => m.Record())] };
        }, cancellationToken);

    /// <summary>This pseudonym's proposals in a poll, with the last decision on each.</summary>
    public Task<IReadOnlyList<MyProposal>> MyProposalsAsync(long pollId, string pseudonym, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MyProposal>>(async connection =>
        {
            List<ProposalRow> rows = [.. await connection.QueryAsync<ProposalRow>(new CommandDefinition($"""
                SELECT {ProposalColumns} FROM poll_proposals r WHERE r.poll_id = @pollId AND r.pseudonym = @pseudonym ORDER BY r.id
                """, new { pollId, pseudonym }, cancellationToken: cancellationToken)).ConfigureAwait(false)];
            if (rows.Count == 0)
            {
                return [];
            }

            IEnumerable<ModerationRow> records = await connection.QueryAsync<ModerationRow>(new CommandDefinition($"""
                SELECT {ModerationRow.Columns} FROM poll_moderation m
                WHERE m.proposal_id IN (SELECT id FROM poll_proposals WHERE poll_id = @pollId AND pseudonym = @pseudonym) ORDER BY m.id
                """, new { pollId, pseudonym }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            Dictionary<long, ModerationRecord> last = [];
            foreach (ModerationRow record in records)
            {
                last[record.ProposalId] = record.Record();
            }

            return [.. rows.Select(r => new MyProposal(r.View(), last.GetValueOrDefault(r.Id)))];
        }, cancellationToken);

    /// <summary>
    /// Applies a moderation decision (already validated) and records it, in one transaction: the proposal changes only if it is
    /// still in <paramref name="expectedState"/> (one <c>UPDATE ... WHERE state = ...</c>), so of two moderators one wins.
    /// </summary>
    public Task<ModerationOutcome> ModerateAsync(long pollId, long proposalId, ModerationRequest request, string expectedState, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string state = request.Action switch
        {
            ModerationActions.Approve => ProposalStates.Approved,
            ModerationActions.Merge => ProposalStates.Merged,
            _ => ProposalStates.Refused,
        };
        long? mergeInto = request.Action == ModerationActions.Merge ? request.MergeInto : null;
        return database.WriteAsync(async (connection, transaction) =>
        {
            long exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM poll_proposals WHERE id = @proposalId AND poll_id = @pollId", new { pollId, proposalId }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (exists == 0)
            {
                return ModerationOutcome.NotFound;
            }

            if (mergeInto is long target)
            {
                long good = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                    SELECT count(*) FROM poll_proposals WHERE id = @target AND poll_id = @pollId AND id <> @proposalId AND state IN ('new', 'approved')
                    """, new { target, pollId, proposalId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (good == 0)
                {
                    return ModerationOutcome.BadTarget;
                }
            }

            int changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE poll_proposals SET state = @state, merged_into = @mergeInto WHERE id = @proposalId AND poll_id = @pollId AND state = @expectedState
                """, new { state, mergeInto, proposalId, pollId, expectedState }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (changed == 0)
            {
                return ModerationOutcome.StateChanged;
            }

            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO poll_moderation (proposal_id, action, moderator, at_ms, merge_into, reason, note)
                VALUES (@proposalId, @Action, @Moderator, @at, @mergeInto, @reason, @note)
                """, new
            {
                proposalId, request.Action, request.Moderator, at = now.ToUnixTimeMilliseconds(), mergeInto,
                reason = request.Action == ModerationActions.Refuse ? request.Reason : null, note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return ModerationOutcome.Done;
        }, cancellationToken);
    }

    /// <summary>Votes per option and ratings per approved proposal (counted and still kept by pseudonym), for the results.</summary>
    public Task<PollCounts> CountsAsync(long pollId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            IEnumerable<(string Key, long Votes)> votes = await connection.QueryAsync<(string, long)>(new CommandDefinition("""
                SELECT o.option_key, o.counted_votes + (SELECT count(*) FROM poll_votes v WHERE v.poll_id = o.poll_id AND v.option_key = o.option_key)
                FROM poll_options o WHERE o.poll_id = @pollId
                """, new { pollId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            // One pass over the ratings grouped by proposal, rather than a subquery per proposal: the ranking's cost.
            IEnumerable<ProposalRow> proposals = await connection.QueryAsync<ProposalRow>(new CommandDefinition("""
                SELECT r.id AS Id, r.poll_id AS PollId, r.proposer_name AS ProposerName, r.name AS Name, r.commune AS Commune, r.address AS Address,
                    r.latitude AS Latitude, r.longitude AS Longitude, r.why AS Why, r.option_key AS OptionKey, r.state AS State, r.merged_into AS MergedInto,
                    r.submitted_ms AS SubmittedMs, r.counted_ratings + coalesce(g.n, 0) AS Ratings, r.counted_hearts + coalesce(g.hearts, 0) AS Hearts
                FROM poll_proposals r
                LEFT JOIN (SELECT proposal_id, count(*) AS n, sum(hearts) AS hearts FROM poll_ratings WHERE poll_id = @pollId GROUP BY proposal_id) g
                    ON g.proposal_id = r.id
                WHERE r.poll_id = @pollId AND r.state = 'approved'
                """, new { pollId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new PollCounts(votes.ToDictionary(v => v.Key, v => v.Votes, StringComparer.Ordinal),
                [.. proposals.Select(p => new ProposalCount(p.View(), p.Ratings, p.Hearts))]);
        }, cancellationToken);

    /// <summary>
    /// Folds the votes and ratings of every poll closed by <paramref name="now"/> into counts and deletes them, with the
    /// proposals' pseudonyms: after a poll closes only counts are kept. Returns how many polls were counted.
    /// </summary>
    public Task<int> CloseDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        return database.WriteAsync(async (connection, transaction) =>
        {
            List<long> due = [.. await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM polls WHERE closes_ms <= @nowMs AND counted = false", new { nowMs }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)];
            foreach (long pollId in due)
            {
                foreach (string sql in (string[])[
                    """
                    UPDATE poll_options SET counted_votes = counted_votes
                        + (SELECT count(*) FROM poll_votes v WHERE v.poll_id = poll_options.poll_id AND v.option_key = poll_options.option_key)
                    WHERE poll_id = @pollId
                    """,
                    """
                    UPDATE poll_proposals SET
                        counted_ratings = counted_ratings + (SELECT count(*) FROM poll_ratings g WHERE g.proposal_id = poll_proposals.id),
                        counted_hearts = counted_hearts + coalesce((SELECT sum(g.hearts) FROM poll_ratings g WHERE g.proposal_id = poll_proposals.id), 0),
                        pseudonym = NULL
                    WHERE poll_id = @pollId
                    """,
                    "DELETE FROM poll_votes WHERE poll_id = @pollId",
                    "DELETE FROM poll_ratings WHERE poll_id = @pollId",
                    "UPDATE polls SET counted = true WHERE id = @pollId",
                ])
                {
                    await connection.ExecuteAsync(new CommandDefinition(sql, new { pollId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }
            }

            return due.Count;
        }, cancellationToken);
    }

    /// <summary>
    /// A deleted account's part, in the deletion's transaction: its proposals never approved (new, refused, merged before any
    /// approval) and its votes and ratings in polls still running (closed polls keep only counts already).
    /// </summary>
    public static async Task<int> EraseAsync(DbConnection connection, DbTransaction transaction, string pseudonym, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        int erased = 0;
        foreach (string sql in (string[])[
            """
            DELETE FROM poll_proposals WHERE pseudonym = @pseudonym AND state <> 'approved'
                AND NOT EXISTS (SELECT 1 FROM poll_moderation m WHERE m.proposal_id = poll_proposals.id AND m.action = 'approve')
            """,
            "UPDATE poll_proposals SET pseudonym = NULL, proposer_name = NULL WHERE pseudonym = @pseudonym",
            "DELETE FROM poll_votes WHERE pseudonym = @pseudonym AND poll_id IN (SELECT id FROM polls WHERE counted = false)",
            "DELETE FROM poll_ratings WHERE pseudonym = @pseudonym AND poll_id IN (SELECT id FROM polls WHERE counted = false)",
        ])
        {
            erased += await connection.ExecuteAsync(new CommandDefinition(sql, new { pseudonym }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return erased;
    }

    private Task<IReadOnlyList<StoredPoll>> QueryPollsAsync(string tail, object? parameters, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StoredPoll>>(async connection =>
        {
            List<PollRow> polls = [.. await connection.QueryAsync<PollRow>(new CommandDefinition($"SELECT {PollColumns} FROM polls p {tail}", parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false)];
            if (polls.Count == 0)
            {
                return [];
            }

            long[] ids = [.. polls.Select(p => p.Id)];
            string idList = string.Join(',', ids);
            IEnumerable<OptionRow> options = await connection.QueryAsync<OptionRow>(new CommandDefinition($"""
                SELECT poll_id AS PollId, option_key AS OptionKey, label_nl AS Nl, label_fr AS Fr, label_en AS En FROM poll_options
                WHERE poll_id IN ({idList}) ORDER BY poll_id, position
                """, cancellationToken: cancellationToken)).ConfigureAwait(false);
            ILookup<long, OptionRow> byPoll = options.ToLookup(o => o.PollId);
            return [.. polls.Select(p => p.Poll([.. byPoll[p.Id].Select(o => new PollOption(o.OptionKey, new PollTexts(o.Nl, o.Fr, o.En)))]))];
        }, cancellationToken);

    private static object PollParameters(PollDraft draft, long id, DateTimeOffset now) => new
    {
        Id = id,
        TitleNl = draft.Title.Nl,
        TitleFr = draft.Title.Fr,
        TitleEn = draft.Title.En,
        DescriptionNl = draft.Description.Nl,
        DescriptionFr = draft.Description.Fr,
        DescriptionEn = draft.Description.En,
        OpensMs = draft.OpensAt.ToUnixTimeMilliseconds(),
        ClosesMs = draft.ClosesAt.ToUnixTimeMilliseconds(),
        ProposalsUntilMs = draft.ProposalsOpenUntil?.ToUnixTimeMilliseconds(),
        draft.ResultsWhileOpen,
        RequiresOnline = draft.RequiresOnlineAccount,
        Now = now.ToUnixTimeMilliseconds(),
    };

    private static Task<int> InsertOptionsAsync(DbConnection connection, DbTransaction transaction, long id, IReadOnlyList<PollOption> options, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO poll_options (poll_id, option_key, position, label_nl, label_fr, label_en) VALUES (@id, @key, @position, @nl, @fr, @en)
            """, options.Select((o, i) => new { id, key = o.Key, position = i, nl = o.Label.Nl, fr = o.Label.Fr, en = o.Label.En }), transaction,
            cancellationToken: cancellationToken));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private sealed class PollRow
    {
        public long Id { get; init; }
        public string TitleNl { get; init; } = "";
        public string TitleFr { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public string DescriptionNl { get; init; } = "";
        public string DescriptionFr { get; init; } = "";
        public string DescriptionEn { get; init; } = "";
        public long OpensMs { get; init; }
        public long ClosesMs { get; init; }
        public long? ProposalsUntilMs { get; init; }
        public bool ResultsWhileOpen { get; init; }
        public bool RequiresOnline { get; init; }
        public long CreatedMs { get; init; }
        public long UpdatedMs { get; init; }
        public bool Counted { get; init; }

        public StoredPoll Poll(IReadOnlyList<PollOption> options) => new(Id,
            new PollDraft(new PollTexts(TitleNl, TitleFr, TitleEn), new PollTexts(DescriptionNl, DescriptionFr, DescriptionEn), At(OpensMs), At(ClosesMs),
                options, ProposalsUntilMs is long until ? At(until) : null, ResultsWhileOpen, RequiresOnline),
            At(CreatedMs), At(UpdatedMs), Counted);
    }

    private sealed class OptionRow
    {
        public long PollId { get; init; }
        public string OptionKey { get; init; } = "";
        public string Nl { get; init; } = "";
        public string Fr { get; init; } = "";
        public string En { get; init; } = "";
    }

    private sealed class ProposalRow
    {
        public long Id { get; init; }
        public long PollId { get; init; }
        public string? ProposerName { get; init; }
        public string Name { get; init; } = "";
        public string Commune { get; init; } = "";
        public string Address { get; init; } = "";
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string Why { get; init; } = "";
        public string? OptionKey { get; init; }
        public string State { get; init; } = "";
        public long? MergedInto { get; init; }
        public long SubmittedMs { get; init; }
        public long Ratings { get; init; }
        public long Hearts { get; init; }

        public ProposalView View() => new(Id, PollId, Name, Commune, Address, Latitude, Longitude, Why, OptionKey, ProposerName, State, MergedInto,
            At(SubmittedMs), Ratings, Ratings == 0 ? 0 : (double)Hearts / Ratings);
    }

    private sealed class ModerationRow
    {
        public const string Columns = """
            m.id AS Id, m.proposal_id AS ProposalId, m.action AS Action, m.moderator AS Moderator, m.at_ms AS AtMs, m.merge_into AS MergeInto,
            m.reason AS Reason, m.note AS Note
            """;

        public long Id { get; init; }
        public long ProposalId { get; init; }
        public string Action { get; init; } = "";
        public string Moderator { get; init; } = "";
        public long AtMs { get; init; }
        public long? MergeInto { get; init; }
        public string? Reason { get; init; }
        public string? Note { get; init; }

        public ModerationRecord Record() => new(Id, ProposalId, Action, Moderator, At(AtMs), MergeInto, Reason, Note);
    }
}
