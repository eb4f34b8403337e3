using System.Data;
using System.Data.Common;
using Network.Storage;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// Last-login stamps noted by logins (the RADIUS fast path included) and written by the
/// <see cref="BatchWriter{TRecord, TResult}"/>, many in one transaction: when <see cref="FlushAsync"/> is called (the
/// <see cref="LastLoginWriter"/>'s tick, a read of the accounts, shutdown) or when <see cref="FlushCount"/> wait. A stamp
/// never moves a later one back. Noting a stamp neither allocates nor blocks.
/// </summary>
internal sealed partial class LastLoginStamps : IDisposable
{
    /// <summary>Stamps waiting beyond which they are written at once instead of at the next flush.</summary>
    internal const int FlushCount = 4096;

    /// <summary>Stamps waiting at most (a login finding no room is stamped by a later one).</summary>
    private const int Capacity = 65_536;

    private readonly ServiceDatabase _database;
    private readonly ILogger _logger;
    private readonly BatchWriter<Stamp, bool> _writer;

    public LastLoginStamps(ServiceDatabase database, TimeProvider time, ILogger logger)
    {
        _database = database;
        _logger = logger;
        _writer = new BatchWriter<Stamp, bool>(WriteAsync,
            new BatchWriterOptions { Interval = Timeout.InfiniteTimeSpan, MaxBatch = FlushCount, Capacity = Capacity }, time);
    }

    /// <summary>Stamps noted and not yet written.</summary>
    public int Pending => _writer.Pending;

    /// <summary>Notes that the account logged in at <paramref name="atMs"/> (Unix ms); false when no room is left.</summary>
    public bool Note(long accountId, long atMs) => _writer.TryPost(new Stamp(accountId, atMs));

    /// <summary>Writes the stamps noted so far; returns how many were written.</summary>
    public Task<int> FlushAsync() => _writer.FlushAsync();

    /// <summary>Writes what is left, then stops.</summary>
    public void Dispose() => _writer.Dispose();

    private async Task<bool[]> WriteAsync(IReadOnlyList<Stamp> stamps)
    {
        try
        {
            // The hot path's own ADO.NET: one prepared statement for the whole batch, its parameters reused.
            string sql = _database.Dialect(
                "UPDATE accounts SET last_login_ms = max(coalesce(last_login_ms, 0), @now) WHERE id = @id",
                "UPDATE accounts SET last_login_ms = greatest(coalesce(last_login_ms, 0), @now) WHERE id = @id");
            return await _database.WriteAsync(async (connection, transaction) =>
            {
                await using DbCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                DbParameter id = Parameter(command, "@id");
                DbParameter at = Parameter(command, "@now");
                await command.PrepareAsync().ConfigureAwait(false);
                var written = new bool[stamps.Count];
                for (int i = 0; i < stamps.Count; i++)
                {
                    id.Value = stamps[i].AccountId;
                    at.Value = stamps[i].AtMs;
                    written[i] = await command.ExecuteNonQueryAsync().ConfigureAwait(false) > 0;
                }

                return written;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not written: noted again for the next flush, as long as they do not fill a batch of their own (which would be
            // written again at once); a stopping writer refuses them.
            LogFlushFailed(_logger, ex);
            if (_writer.Pending + stamps.Count < FlushCount)
            {
                foreach (Stamp stamp in stamps)
                {
                    _writer.TryPost(stamp);
                }
            }

            throw;
        }
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.Int64;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private readonly record struct Stamp(long AccountId, long AtMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the noted last-login stamps failed; they are kept for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
