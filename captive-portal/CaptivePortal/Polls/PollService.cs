using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.Contracts;

namespace Network.CaptivePortal.Polls;

/// <summary>A citizen signed in to the polls: the account's id (its pseudonym is made from it) and name, until when.</summary>
public sealed record PollCitizen(long AccountId, string Username, DateTimeOffset ExpiresAt);

/// <summary>
/// The polls as a citizen and a planner use them: sign-in with the portal's own account check and lockout (no wifi session
/// is made), one voice per account through its pseudonym, the "online at least once" rule from the accounting, results.
/// </summary>
public sealed class PollService(PollStore store, AccountService accounts, SessionStore sessions, Pseudonyms pseudonyms, IOptions<PollsOptions> options,
    TimeProvider time)
{
    public PollStore Store => store;

    public TimeProvider Time => time;

    /// <summary>Checks the username and password exactly as the login page does (the same lockout), and nothing else: no gateway, no session.</summary>
    public async Task<(AuthResult Result, PollCitizen? Citizen)> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        AuthResult result = await accounts.VerifyPasswordAsync(username, password, null, cancellationToken).ConfigureAwait(false);
        if (!result.IsAccepted)
        {
            return (result, null);
        }

        // The account may have gone between the check and now: then it is as if the password were wrong.
        return await accounts.IdAsync(result.Username!, cancellationToken).ConfigureAwait(false) is long id
            ? (result, new PollCitizen(id, result.Username!, time.GetUtcNow() + options.Value.SignInLifetime))
            : (AuthResult.Rejected(AuthOutcome.UnknownOrWrong), null);
    }

    public string PseudonymOf(PollCitizen citizen)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        return pseudonyms.Of(citizen.AccountId);
    }

    public async Task<CitizenOutcome> VoteAsync(long pollId, PollCitizen citizen, string optionKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        if (await RefusalAsync(pollId, citizen, cancellationToken).ConfigureAwait(false) is CitizenOutcome refused)
        {
            return refused;
        }

        return await store.VoteAsync(pollId, citizen.AccountId, PseudonymOf(citizen), optionKey, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CitizenOutcome> RateAsync(long pollId, long proposalId, PollCitizen citizen, int hearts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        if (hearts is < 1 or > 5)
        {
            return CitizenOutcome.OutOfRange;
        }

        if (await RefusalAsync(pollId, citizen, cancellationToken).ConfigureAwait(false) is CitizenOutcome refused)
        {
            return refused;
        }

        return await store.RateAsync(pollId, proposalId, citizen.AccountId, PseudonymOf(citizen), hearts, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<(CitizenOutcome Outcome, long Id)> ProposeAsync(long pollId, PollCitizen citizen, NewProposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        if (await RefusalAsync(pollId, citizen, cancellationToken).ConfigureAwait(false) is CitizenOutcome refused)
        {
            return (refused, 0);
        }

        return await store.ProposeAsync(pollId, citizen.AccountId, PseudonymOf(citizen), proposal, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The results at this moment (for the planners always; the public page asks <see cref="StoredPoll.ResultsPublicAt"/> first).</summary>
    public async Task<PollResults?> ResultsAsync(long pollId, CancellationToken cancellationToken)
    {
        if (await store.PollAsync(pollId, cancellationToken).ConfigureAwait(false) is not StoredPoll poll)
        {
            return null;
        }

        PollCounts counts = await store.CountsAsync(pollId, cancellationToken).ConfigureAwait(false);
        return PollRanking.Rank(poll, counts, poll.StateAt(time.GetUtcNow()), options.Value.RankingPriorWeight);
    }

    /// <summary>The results as CSV (<see cref="PollCsv.ResultsHeader"/>, RFC 4180, invariant numbers), one line per ranked proposal.</summary>
    public static string Csv(PollResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder(PollCsv.ResultsHeader).Append("\r\n");
        foreach (RankedProposal p in results.Proposals)
        {
            text.AppendJoin(',',
                p.Rank.ToString(CultureInfo.InvariantCulture), p.ProposalId.ToString(CultureInfo.InvariantCulture), Field(p.Name), Field(p.Commune), Field(p.Address),
                p.Latitude?.ToString("R", CultureInfo.InvariantCulture) ?? "", p.Longitude?.ToString("R", CultureInfo.InvariantCulture) ?? "", Field(p.OptionKey ?? ""),
                p.Ratings.ToString(CultureInfo.InvariantCulture), p.MeanHearts.ToString("0.###", CultureInfo.InvariantCulture),
                p.Score.ToString("0.####", CultureInfo.InvariantCulture)).Append("\r\n");
        }

        return text.ToString();
    }

    // Quoted when needed; a leading = + - @ is prefixed with ' so that a spreadsheet does not run a citizen's text as a formula.
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    // No such poll, or a poll for accounts seen online that this one has not been.
    private async Task<CitizenOutcome?> RefusalAsync(long pollId, PollCitizen citizen, CancellationToken cancellationToken)
    {
        if (await store.PollAsync(pollId, cancellationToken).ConfigureAwait(false) is not StoredPoll poll)
        {
            return CitizenOutcome.NoSuchPoll;
        }

        if (poll.Draft.RequiresOnlineAccount && !await sessions.HasBeenOnlineAsync(citizen.Username, cancellationToken).ConfigureAwait(false))
        {
            return CitizenOutcome.NotOnlineYet;
        }

        return null;
    }
}

/// <summary>An account's part of the polls goes with the account (<see cref="PollStore.EraseAsync"/>).</summary>
public sealed class PollAccountRemoval(Pseudonyms pseudonyms) : IAccountRemoval
{
    public Task RemovingAsync(long accountId, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        PollStore.EraseAsync(connection, transaction, pseudonyms.Of(accountId), cancellationToken);
}

/// <summary>Folds the votes and ratings of closed polls into counts (<see cref="PollStore.CloseDueAsync"/>) at start and every <see cref="PollsOptions.CloseCheckInterval"/>.</summary>
public sealed partial class PollClosing(PollStore store, IOptions<PollsOptions> options, TimeProvider time, ILogger<PollClosing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CloseCheckInterval, time);
        do
        {
            try
            {
                int counted = await store.CloseDueAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                if (counted > 0)
                {
                    LogCounted(logger, counted);
                }
            }
            catch (DbException ex)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} closed polls counted: their votes and ratings are now counts only")]
    private static partial void LogCounted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting closed polls failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
