using Dapper;
using Network.Storage;

namespace Network.CaptivePortal.Accounts;

/// <summary>An account's row as the login paths read it.</summary>
/// <remarks>Properties, not a positional record: Dapper converts SQLite's integer <c>locked</c> to the boolean PostgreSQL has.</remarks>
internal sealed record StoredAccount
{
    /// <summary>The columns of <c>accounts a</c> that Dapper reads into this record.</summary>
    public const string Columns = "a.id, a.username, a.password_hash AS passwordhash, a.locked, a.last_login_ms AS lastloginms";

    public long Id { get; init; }

    public string Username { get; init; } = "";

    public string PasswordHash { get; init; } = "";

    public bool Locked { get; init; }

    public long? LastLoginMs { get; init; }

    public VerificationCache.AccountSnapshot Snapshot(DateTimeOffset read) => new(Id, Username, Locked, LastLoginMs, read);
}

/// <summary>
/// Reads again the rows behind the verification cache's snapshots of the users who log in often, so the fast path
/// (<see cref="AccountService.TryVerifyFromMemory(string, string, string?)"/>) keeps answering them from memory.
/// </summary>
internal sealed partial class SnapshotRefresh(ServiceDatabase database, VerificationCache cache, TimeProvider time, ILogger logger)
{
    private long _lastSnapshotRefreshMs;
    private int _refreshingSnapshots;

    /// <summary>
    /// Keeps the snapshots of the users who log in often younger than <see cref="AccountService.RowFreshness"/>: at most once every half
    /// of it, and only while logins arrive (no timer), the rows of the accounts answered from memory lately and read more
    /// than half of it ago are read again in a query per 500, off the caller's thread. Without it each of those users
    /// would take the slow path (two reads and a hop to a worker) once every <see cref="AccountService.RowFreshness"/>.
    /// </summary>
    public void RefreshSoon(DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs - Volatile.Read(ref _lastSnapshotRefreshMs) < (long)(AccountService.RowFreshness / 2).TotalMilliseconds
            || Interlocked.CompareExchange(ref _refreshingSnapshots, 1, 0) != 0)
        {
            return;
        }

        Volatile.Write(ref _lastSnapshotRefreshMs, nowMs);
        _ = Task.Run(() => RefreshAsync(CancellationToken.None));
    }

    /// <summary>One round of <see cref="RefreshSoon"/>; returns how many snapshots were read again.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The read time is taken before the query: a snapshot never claims to be younger than the row it holds.
            DateTimeOffset read = time.GetUtcNow();
            List<VerificationCache.DueSnapshot> due = cache.DueForRefresh(read - AccountService.RowFreshness, read - (AccountService.RowFreshness / 2));
            int refreshed = 0;
            for (int start = 0; start < due.Count; start += 500)
            {
                List<VerificationCache.DueSnapshot> chunk = due.GetRange(start, Math.Min(500, due.Count - start));
                IEnumerable<StoredAccount> rows = await database.ReadAsync(connection => connection.QueryAsync<StoredAccount>(new CommandDefinition(
                    $"SELECT {StoredAccount.Columns} FROM accounts a WHERE a.id IN @ids", new { ids = chunk.ConvertAll(d => d.AccountId) },
                    cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);

                // A removed account is not found and its snapshot ages out; a new password no longer matches the entry.
                // A stamp noted but not yet written is newer than the row's: keep it, or the next login notes it again.
                foreach (StoredAccount row in rows)
                {
                    cache.Refresh(row.Username, row.PasswordHash, row.Snapshot(read));
                    refreshed++;
                }
            }

            return refreshed;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The slow path still reads each row itself; a store that is shutting down or unreadable costs nothing more.
            LogSnapshotRefreshFailed(logger, ex);
            return 0;
        }
        finally
        {
            Volatile.Write(ref _refreshingSnapshots, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the verification cache's account rows again failed; logins take the slow path")]
    private static partial void LogSnapshotRefreshFailed(ILogger logger, Exception exception);
}
