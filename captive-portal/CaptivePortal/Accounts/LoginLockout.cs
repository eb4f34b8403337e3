using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Network.Storage;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// The lockout after failed logins, per username (known or not) and per device (Calling-Station-Id MAC): counts failures
/// in <c>login_failures</c>, refuses a user or device for <see cref="AccountsOptions.LockoutPeriod"/> once the limit is
/// reached, and resets after a success. Knows in memory which keys may have rows, so a login without failures on record
/// reads nothing (<see cref="MayHaveFailures"/>).
/// </summary>
internal sealed partial class LoginLockout(ServiceDatabase database, AccountsOptions options, TimeProvider time, ILogger logger)
{
    // The lockout keys ('user:...', 'station:...') that may have rows in login_failures. Only this process records
    // failures, so a key missing here has none: the common login reads nothing. A key here is checked in the database.
    private readonly ConcurrentDictionary<string, byte> _failureKeys = new(StringComparer.Ordinal);
    private volatile bool _failureKeysLoaded;

    /// <summary>Whole minutes a person locked out waits at most: <see cref="AccountsOptions.LockoutPeriod"/>, rounded up.</summary>
    public int LockoutMinutes => Math.Max(1, (int)Math.Ceiling(options.LockoutPeriod.TotalMinutes));

    /// <summary>
    /// For the fast path: true when the keys are not loaded yet, or the user or the device may have failures on record
    /// (then the slow path decides). Reads nothing.
    /// </summary>
    public bool MayHaveFailures(string username, string? callingStationId) =>
        !_failureKeysLoaded
        || (!_failureKeys.IsEmpty && (_failureKeys.ContainsKey(UserKey(username))
            || (MacAddress.TryNormalize(callingStationId, out string? mac) && _failureKeys.ContainsKey(StationKey(mac)))));

    public static string UserKey(string username) => "user:" + username.ToLowerInvariant();

    public static string StationKey(string mac) => "station:" + mac;

    /// <summary>Is the user or the device locked out now, and are there failures on record to reset after a success?</summary>
    public async Task<(bool LockedOut, bool Failures)> FailuresAsync(string? userKey, string? stationKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (userKey is null && stationKey is null)
        {
            return (false, false);
        }

        if (!_failureKeysLoaded)
        {
            await LoadFailureKeysAsync(now, cancellationToken).ConfigureAwait(false);
        }

        if ((userKey is null || !_failureKeys.ContainsKey(userKey)) && (stationKey is null || !_failureKeys.ContainsKey(stationKey)))
        {
            return (false, false);
        }

        (long rows, long locked) = await database.ReadAsync(connection => connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT count(*), coalesce(sum(CASE WHEN locked_until_ms > @now THEN 1 ELSE 0 END), 0) FROM login_failures WHERE key IN (@userKey, @stationKey)",
            new { userKey, stationKey, now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        bool lockedOut = locked > 0;
        bool failures = rows > 0;
        if (!failures)
        {
            // Lifted meanwhile (users unlock, users remove): back to the fast path.
            ForgetFailureKeys(userKey, stationKey);
        }

        return (lockedOut, failures);
    }

    private void ForgetFailureKeys(string? userKey, string? stationKey)
    {
        if (userKey is not null)
        {
            _failureKeys.TryRemove(userKey, out _);
        }

        if (stationKey is not null)
        {
            _failureKeys.TryRemove(stationKey, out _);
        }
    }

    /// <summary>The keys with failures on record, read once (they survive a restart in login_failures).</summary>
    private async Task LoadFailureKeysAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        IEnumerable<string> keys = await database.ReadAsync(connection => connection.QueryAsync<string>(new CommandDefinition(
            "SELECT key FROM login_failures WHERE expires_ms > @now", new { now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        foreach (string key in keys)
        {
            _failureKeys.TryAdd(key, 0);
        }

        _failureKeysLoaded = true;
    }

    public Task RecordFailureAsync(string? userKey, string? stationKey, CancellationToken cancellationToken)
    {
        if (userKey is null && stationKey is null)
        {
            return Task.CompletedTask;
        }

        // Known before the row is written, so no login in between is answered from memory.
        if (userKey is not null)
        {
            _failureKeys.TryAdd(userKey, 0);
        }

        if (stationKey is not null)
        {
            _failureKeys.TryAdd(stationKey, 0);
        }

        return database.WriteAsync(async (connection, transaction) =>
        {
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM login_failures WHERE expires_ms <= @now",
                new { now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (userKey is not null)
            {
                await CountFailureAsync(connection, transaction, userKey, options.MaxFailuresPerUser, now, cancellationToken).ConfigureAwait(false);
            }

            if (stationKey is not null)
            {
                await CountFailureAsync(connection, transaction, stationKey, options.MaxFailuresPerStation, now, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    // One statement counts the failure: a new row, the next in a window that runs, or the first of a new window (the last
    // one over, or its lockout served). Two processes counting the same key at once both count (on PostgreSQL the second
    // waits for the first's row lock and counts on from its result); the lockout is set by the same statement.
    private async Task CountFailureAsync(DbConnection connection, DbTransaction transaction, string key, int limit, long now, CancellationToken cancellationToken)
    {
        long window = (long)options.FailureWindow.TotalMilliseconds;
        long lockedUntil = now + (long)options.LockoutPeriod.TotalMilliseconds;
        const string Continues = "(@now < f.window_start_ms + @window AND NOT coalesce(f.locked_until_ms <= @now, false))";
        const string Failures = $"CASE WHEN {Continues} THEN f.failures + 1 ELSE 1 END";
        const string Start = $"CASE WHEN {Continues} THEN f.window_start_ms ELSE @now END";
        string latest = database.Dialect("max", "greatest");
        int failures = await connection.QuerySingleAsync<int>(new CommandDefinition($"""
            INSERT INTO login_failures AS f (key, failures, window_start_ms, locked_until_ms, expires_ms)
            VALUES (@key, 1, @now, CASE WHEN 1 >= @limit THEN @lockedUntil END, {latest}(@now + @window, CASE WHEN 1 >= @limit THEN @lockedUntil ELSE 0 END))
            ON CONFLICT (key) DO UPDATE SET
                failures = {Failures},
                window_start_ms = {Start},
                locked_until_ms = CASE WHEN {Failures} >= @limit THEN @lockedUntil END,
                expires_ms = {latest}({Start} + @window, CASE WHEN {Failures} >= @limit THEN @lockedUntil ELSE 0 END)
            RETURNING failures
            """, new { key, now, window, limit, lockedUntil }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (failures == limit)
        {
            LogLockedOut(logger, key, failures);
        }
    }

    public async Task RecordSuccessAsync(long accountId, string userKey, string? stationKey, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM login_failures WHERE key IN (@userKey, @stationKey)",
                new { userKey, stationKey }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition("UPDATE accounts SET last_login_ms = @now WHERE id = @accountId",
                new { now = time.GetUtcNow().ToUnixTimeMilliseconds(), accountId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        ForgetFailureKeys(userKey, stationKey);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login refused for {Key} after {Failures} consecutive failures")]
    private static partial void LogLockedOut(ILogger logger, string key, int failures);
}
