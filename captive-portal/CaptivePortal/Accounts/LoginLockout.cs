using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Network.Storage;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// The lockout after failed logins, per username (known or not) and per device (Calling-Station-Id MAC): counts failures
/// in <c>login_failures</c>, refuses a user or device for <see cref="AccountsOptions.LockoutPeriod"/> once the limit is
/// reached, and resets after a success. Knows in memory which keys may have rows, so a login without failures on record
/// reads nothing (<see cref="MayHaveFailures"/>).
/// </summary>
internal sealed partial class LoginLockout(SqliteDatabase database, AccountsOptions options, TimeProvider time, ILogger logger)
{
    // The lockout keys ('user:...', 'station:...') that may have rows in login_failures. Only this process records
    // failures, so a key missing here has none: the common login reads nothing. A key here is checked in SQLite.
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

        (bool lockedOut, bool failures) = await database.ReadAsync(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null,
                "SELECT count(*), coalesce(sum(locked_until_ms > $now), 0) FROM login_failures WHERE key IN ($user, $station);");
            command.Parameters.AddWithValue("$user", (object?)userKey ?? DBNull.Value);
            command.Parameters.AddWithValue("$station", (object?)stationKey ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            using SqliteDataReader reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(1) > 0, reader.GetInt64(0) > 0);
        }, cancellationToken).ConfigureAwait(false);
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
        List<string> keys = await database.ReadAsync(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT key FROM login_failures WHERE expires_ms > $now;");
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            var found = new List<string>();
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add(reader.GetString(0));
            }

            return found;
        }, cancellationToken).ConfigureAwait(false);
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

        return database.WriteAsync((connection, transaction) =>
        {
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
            using (SqliteCommand prune = SqliteDatabase.Command(connection, transaction, "DELETE FROM login_failures WHERE expires_ms <= $now;"))
            {
                prune.Parameters.AddWithValue("$now", now);
                prune.ExecuteNonQuery();
            }

            if (userKey is not null)
            {
                CountFailure(connection, transaction, userKey, options.MaxFailuresPerUser, now);
            }

            if (stationKey is not null)
            {
                CountFailure(connection, transaction, stationKey, options.MaxFailuresPerStation, now);
            }

            return 0;
        }, cancellationToken);
    }

    private void CountFailure(SqliteConnection connection, SqliteTransaction transaction, string key, int limit, long now)
    {
        long window = (long)options.FailureWindow.TotalMilliseconds;
        int failures = 1;
        long start = now;
        using (SqliteCommand read = SqliteDatabase.Command(connection, transaction,
            "SELECT failures, window_start_ms, locked_until_ms FROM login_failures WHERE key = $key;"))
        {
            read.Parameters.AddWithValue("$key", key);
            using SqliteDataReader reader = read.ExecuteReader();
            if (reader.Read())
            {
                long previousStart = reader.GetInt64(1);
                bool lockoutOver = !reader.IsDBNull(2) && reader.GetInt64(2) <= now;
                if (now < previousStart + window && !lockoutOver)
                {
                    failures = reader.GetInt32(0) + 1;
                    start = previousStart;
                }
            }
        }

        long? lockedUntil = failures >= limit ? now + (long)options.LockoutPeriod.TotalMilliseconds : null;
        if (failures == limit)
        {
            LogLockedOut(logger, key, failures);
        }

        using SqliteCommand write = SqliteDatabase.Command(connection, transaction, """
            INSERT INTO login_failures (key, failures, window_start_ms, locked_until_ms, expires_ms)
            VALUES ($key, $failures, $start, $locked, $expires)
            ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start_ms = excluded.window_start_ms,
                locked_until_ms = excluded.locked_until_ms, expires_ms = excluded.expires_ms;
            """);
        write.Parameters.AddWithValue("$key", key);
        write.Parameters.AddWithValue("$failures", failures);
        write.Parameters.AddWithValue("$start", start);
        write.Parameters.AddWithValue("$locked", (object?)lockedUntil ?? DBNull.Value);
        write.Parameters.AddWithValue("$expires", Math.Max(start + window, lockedUntil ?? 0));
        write.ExecuteNonQuery();
    }

    public async Task RecordSuccessAsync(long accountId, string userKey, string? stationKey, CancellationToken cancellationToken)
    {
        await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
                DELETE FROM login_failures WHERE key IN ($user, $station);
                UPDATE accounts SET last_login_ms = $now WHERE id = $id;
                """);
            command.Parameters.AddWithValue("$user", userKey);
            command.Parameters.AddWithValue("$station", (object?)stationKey ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", accountId);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        ForgetFailureKeys(userKey, stationKey);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login refused for {Key} after {Failures} consecutive failures")]
    private static partial void LogLockedOut(ILogger logger, string key, int failures);
}
