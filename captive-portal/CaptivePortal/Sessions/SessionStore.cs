using Network.Storage;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.Radius.Dictionary;

namespace Network.CaptivePortal.Sessions;

/// <summary>
/// RADIUS accounting (RFC 2866) kept on the portal's SQLite file: every record once, sessions built from them,
/// and the figures the operator and the NOC ask for. Idempotent: a record is identified by its gateway, Acct-Session-Id,
/// Acct-Status-Type and content (session time and counters; the event time for Accounting-On/Off), so a retransmission
/// with a new Identifier or Acct-Delay-Time never counts twice. Counters are cumulative per session, so a session keeps
/// the highest it was told, in whatever order the records arrive.
/// <para>
/// Records are written by one writer loop in group commits: whatever arrived while the previous transaction committed
/// goes into the next one (one transaction for many records, statements prepared once a batch), and each caller's task
/// completes only after its record's transaction has committed, so nothing acknowledged to a gateway can be lost.
/// </para>
/// </summary>
public sealed class SessionStore(SqliteDatabase database, IOptions<SessionsOptions> options, TimeProvider time) : IAsyncDisposable
{
    private const long HourMs = 3_600_000;

    /// <summary>Most records in one transaction.</summary>
    private const int MaxBatch = 512;

    /// <summary>Records waiting for the writer; beyond it <see cref="RecordAsync"/> fails at once (the gateway retransmits).</summary>
    private const int MaxWaiting = 16_384;

    private readonly SessionsOptions _options = options.Value;
    private readonly Channel<PendingRecord> _waiting = Channel.CreateBounded<PendingRecord>(new BoundedChannelOptions(MaxWaiting)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly Lock _writerLock = new();
    private Task? _writer;

    /// <summary>The schema of the sessions feature, registered with <see cref="SqliteDatabase"/>.</summary>
    public static SqliteSchema Schema { get; } = new("sessions",
    [
        """
        CREATE TABLE accounting_records (
            id INTEGER PRIMARY KEY,
            nas_key TEXT NOT NULL,
            acct_session_id TEXT NOT NULL,
            status_type INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            received_ms INTEGER NOT NULL,
            event_ms INTEGER NOT NULL,
            username TEXT,
            nas_identifier TEXT,
            nas_ip TEXT,
            called_station_id TEXT,
            calling_station_id TEXT,
            framed_ip TEXT,
            session_time INTEGER,
            input_bytes INTEGER NOT NULL,
            output_bytes INTEGER NOT NULL,
            terminate_cause INTEGER,
            UNIQUE (nas_key, acct_session_id, status_type, fingerprint)
        ) STRICT;
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            nas_key TEXT NOT NULL,
            acct_session_id TEXT NOT NULL,
            username TEXT,
            nas_identifier TEXT,
            nas_ip TEXT,
            called_station_id TEXT,
            calling_station_id TEXT,
            framed_ip TEXT,
            started_ms INTEGER,
            last_update_ms INTEGER NOT NULL,
            stopped_ms INTEGER,
            is_open INTEGER NOT NULL,
            session_time INTEGER NOT NULL,
            input_bytes INTEGER NOT NULL,
            output_bytes INTEGER NOT NULL,
            terminate_cause INTEGER,
            UNIQUE (nas_key, acct_session_id)
        ) STRICT;
        CREATE INDEX sessions_open ON sessions (is_open, last_update_ms);
        CREATE INDEX sessions_id ON sessions (acct_session_id);
        -- Per session and hour, the highest counters seen in that hour: the bytes of an hour are the growth over the hours before.
        CREATE TABLE session_hours (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            hour_ms INTEGER NOT NULL,
            input_bytes INTEGER NOT NULL,
            output_bytes INTEGER NOT NULL,
            PRIMARY KEY (session_id, hour_ms)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX session_hours_hour ON session_hours (hour_ms);
        """,
    ]);

    /// <summary>
    /// Stores one Accounting-Request. Answer the gateway only after this returns Recorded or Duplicate (RFC 2866 section 2):
    /// the task completes once the record's transaction has committed. Once queued, the record is written even if
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    public Task<AccountingOutcome> RecordAsync(AccountingRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        bool nasEvent = record.StatusType is AcctStatusType.AccountingOn or AcctStatusType.AccountingOff;
        bool sessionEvent = record.StatusType is AcctStatusType.Start or AcctStatusType.InterimUpdate or AcctStatusType.Stop;
        if ((!nasEvent && !sessionEvent)
            || (string.IsNullOrEmpty(record.NasIdentifier) && record.NasIpAddress is null)
            || (sessionEvent && string.IsNullOrEmpty(record.AcctSessionId)))
        {
            return Task.FromResult(AccountingOutcome.Invalid);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<AccountingOutcome>(cancellationToken);
        }

        DateTimeOffset received = time.GetUtcNow();
        long receivedMs = received.ToUnixTimeMilliseconds();
        long eventMs = (record.EventTimestamp ?? received.AddSeconds(-record.DelayTime)).ToUnixTimeMilliseconds();
        string fingerprint = nasEvent
            ? (eventMs / 1000).ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{record.SessionTime?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{record.InputBytes}/{record.OutputBytes}");
        var pending = new PendingRecord(record, NasKey(record), record.AcctSessionId ?? "", fingerprint, receivedMs, eventMs);
        EnsureWriter();
        return _waiting.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<AccountingOutcome>(new InvalidOperationException($"more than {MaxWaiting} accounting records wait for the store"));
    }

    /// <summary>Lets the writer finish what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.TryComplete();
        Task? writer;
        lock (_writerLock)
        {
            writer = _writer;
        }

        if (writer is not null)
        {
            await writer.ConfigureAwait(false);
        }
    }

    private void EnsureWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_writerLock)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        ChannelReader<PendingRecord> reader = _waiting.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<PendingRecord>();
            while (batch.Count < MaxBatch && reader.TryRead(out PendingRecord? item))
            {
                batch.Add(item);
            }

            try
            {
                await database.WriteAsync((connection, transaction) =>
                {
                    using var writer = new RecordWriter(connection, transaction);
                    foreach (PendingRecord item in batch)
                    {
                        item.Outcome = writer.Write(item);
                    }

                    return 0;
                }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One bad record must not fail its neighbours: write them one a transaction, each with its own answer.
                foreach (PendingRecord item in batch)
                {
                    try
                    {
                        item.Outcome = await database.WriteAsync((connection, transaction) =>
                        {
                            using var writer = new RecordWriter(connection, transaction);
                            return writer.Write(item);
                        }, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception one) when (one is not OutOfMemoryException)
                    {
                        item.Failure = one;
                    }
                }
            }

            // One hand-off a batch: the callers' continuations (signing and sending the answers) run on a pool thread
            // while this loop commits the next batch.
            ThreadPool.UnsafeQueueUserWorkItem(static b => Complete(b), batch, preferLocal: false);
        }
    }

    private static void Complete(List<PendingRecord> batch)
    {
        foreach (PendingRecord item in batch)
        {
            if (item.Failure is { } failure)
            {
                item.Completion.TrySetException(failure);
            }
            else
            {
                item.Completion.TrySetResult(item.Outcome);
            }
        }
    }

    /// <summary>A record waiting for the writer, with what <see cref="RecordAsync"/> derived from it.</summary>
    private sealed class PendingRecord(AccountingRecord record, string nasKey, string sessionId, string fingerprint, long receivedMs, long eventMs)
    {
        public AccountingRecord Record { get; } = record;

        public string NasKey { get; } = nasKey;

        public string SessionId { get; } = sessionId;

        public string Fingerprint { get; } = fingerprint;

        public long ReceivedMs { get; } = receivedMs;

        public long EventMs { get; } = eventMs;

        // Continuations run where the result is set: on the pool thread of Complete, never on the writer loop.
        public TaskCompletionSource<AccountingOutcome> Completion { get; } = new();

        public AccountingOutcome Outcome { get; set; }

        public Exception? Failure { get; set; }
    }

    /// <summary>The three statements of a record, prepared once for a whole batch.</summary>
    private sealed class RecordWriter(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        private SqliteCommand? _insert;
        private SqliteCommand? _upsert;
        private SqliteCommand? _hour;

        public AccountingOutcome Write(PendingRecord item)
        {
            AccountingRecord record = item.Record;
            _insert ??= SqliteDatabase.Command(connection, transaction, """
                INSERT INTO accounting_records (nas_key, acct_session_id, status_type, fingerprint, received_ms, event_ms, username,
                    nas_identifier, nas_ip, called_station_id, calling_station_id, framed_ip, session_time, input_bytes, output_bytes, terminate_cause)
                VALUES ($nas, $sid, $status, $fingerprint, $received, $event, $user, $nasId, $nasIp, $called, $calling, $framed,
                    $sessionTime, $in, $out, $cause)
                ON CONFLICT DO NOTHING;
                """);
            _insert.Parameters.Clear();
            _insert.Parameters.AddWithValue("$nas", item.NasKey);
            _insert.Parameters.AddWithValue("$sid", item.SessionId);
            _insert.Parameters.AddWithValue("$status", (long)record.StatusType);
            _insert.Parameters.AddWithValue("$fingerprint", item.Fingerprint);
            _insert.Parameters.AddWithValue("$received", item.ReceivedMs);
            _insert.Parameters.AddWithValue("$event", item.EventMs);
            AddRecordAttributes(_insert, record);
            if (_insert.ExecuteNonQuery() == 0)
            {
                return AccountingOutcome.Duplicate;
            }

            if (record.StatusType is AcctStatusType.AccountingOn or AcctStatusType.AccountingOff)
            {
                CloseNasSessions(connection, transaction, item.NasKey, item.EventMs);
            }
            else
            {
                _upsert ??= SqliteDatabase.Command(connection, transaction, UpsertSessionSql);
                _hour ??= SqliteDatabase.Command(connection, transaction, UpsertHourSql);
                UpsertSession(_upsert, _hour, record, item.NasKey, item.SessionId, item.EventMs);
            }

            return AccountingOutcome.Recorded;
        }

        public void Dispose()
        {
            _insert?.Dispose();
            _upsert?.Dispose();
            _hour?.Dispose();
        }
    }

    /// <summary>Users (distinct usernames, else devices) and sessions online now, per hotspot.</summary>
    public Task<IReadOnlyList<HotspotOnline>> OnlineByHotspotAsync(CancellationToken cancellationToken = default)
    {
        long freshAfter = FreshAfterMs();
        return database.ReadAsync<IReadOnlyList<HotspotOnline>>(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, $"""
                SELECT {HotspotSql} AS hotspot, count(DISTINCT coalesce(lower(username), calling_station_id, id)), count(*)
                FROM sessions WHERE is_open = 1 AND last_update_ms > $fresh
                GROUP BY hotspot ORDER BY hotspot;
                """);
            command.Parameters.AddWithValue("$fresh", freshAfter);
            var online = new List<HotspotOnline>();
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                online.Add(new HotspotOnline(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }

            return online;
        }, cancellationToken);
    }

    /// <summary>Open sessions (stale ones left out), at one hotspot or all; for the operator's list and for Disconnect.</summary>
    public Task<IReadOnlyList<SessionInfo>> ListOpenAsync(string? hotspot = null, CancellationToken cancellationToken = default)
    {
        long freshAfter = FreshAfterMs();
        return QuerySessionsAsync(
            $"WHERE is_open = 1 AND last_update_ms > $fresh AND ($hotspot IS NULL OR {HotspotSql} = $hotspot) ORDER BY last_update_ms DESC",
            command =>
            {
                command.Parameters.AddWithValue("$fresh", freshAfter);
                command.Parameters.AddWithValue("$hotspot", (object?)hotspot ?? DBNull.Value);
            }, cancellationToken);
    }

    /// <summary>The session with this Acct-Session-Id (the most recently updated, should two gateways share an id).</summary>
    public async Task<SessionInfo?> FindAsync(string acctSessionId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SessionInfo> found = await QuerySessionsAsync(
            "WHERE acct_session_id = $sid ORDER BY last_update_ms DESC LIMIT 1",
            command => command.Parameters.AddWithValue("$sid", acctSessionId), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Sessions and bytes per hour per hotspot, for the hours starting in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<IReadOnlyList<HotspotHour>> HourlyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        long fromMs = Floor(from.ToUnixTimeMilliseconds());
        long toMs = to.ToUnixTimeMilliseconds();
        return database.ReadAsync<IReadOnlyList<HotspotHour>>(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, $"""
                WITH grown AS (
                    SELECT session_id, hour_ms, input_bytes, output_bytes,
                        coalesce(max(input_bytes) OVER earlier, 0) AS input_before,
                        coalesce(max(output_bytes) OVER earlier, 0) AS output_before
                    FROM session_hours
                    WHERE session_id IN (SELECT session_id FROM session_hours WHERE hour_ms >= $from AND hour_ms < $to)
                    WINDOW earlier AS (PARTITION BY session_id ORDER BY hour_ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                )
                SELECT {HotspotSql} AS hotspot, g.hour_ms, count(*),
                    sum(CASE WHEN s.started_ms >= g.hour_ms AND s.started_ms < g.hour_ms + {HourMs} THEN 1 ELSE 0 END),
                    sum(max(g.input_bytes - g.input_before, 0)), sum(max(g.output_bytes - g.output_before, 0))
                FROM grown g JOIN sessions s ON s.id = g.session_id
                WHERE g.hour_ms >= $from AND g.hour_ms < $to
                GROUP BY hotspot, g.hour_ms ORDER BY hotspot, g.hour_ms;
                """);
            command.Parameters.AddWithValue("$from", fromMs);
            command.Parameters.AddWithValue("$to", toMs);
            var hours = new List<HotspotHour>();
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                hours.Add(new HotspotHour(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt64(5)));
            }

            return hours;
        }, cancellationToken);
    }

    private string HotspotSql => _options.HotspotBy == HotspotSource.CalledStationId
        ? "coalesce(called_station_id, nas_identifier, nas_ip, nas_key)"
        : "coalesce(nas_identifier, called_station_id, nas_ip, nas_key)";

    private long FreshAfterMs() =>
        time.GetUtcNow().ToUnixTimeMilliseconds() - ((long)_options.InterimInterval.TotalMilliseconds * _options.StaleAfterIntervals);

    private static long Floor(long ms) => ms - (((ms % HourMs) + HourMs) % HourMs);

    // A gateway is known by what it sends: NAS-Identifier and/or NAS-IP-Address.
    private static string NasKey(AccountingRecord record) => $"{record.NasIdentifier}|{record.NasIpAddress}";

    private static void AddRecordAttributes(SqliteCommand command, AccountingRecord record)
    {
        command.Parameters.AddWithValue("$user", Nullable(record.UserName));
        command.Parameters.AddWithValue("$nasId", Nullable(record.NasIdentifier));
        command.Parameters.AddWithValue("$nasIp", Nullable(record.NasIpAddress?.ToString()));
        command.Parameters.AddWithValue("$called", Nullable(record.CalledStationId));
        command.Parameters.AddWithValue("$calling",
            Nullable(MacAddress.TryNormalize(record.CallingStationId, out string? mac) ? mac : record.CallingStationId));
        command.Parameters.AddWithValue("$framed", Nullable(record.FramedIpAddress?.ToString()));
        command.Parameters.AddWithValue("$sessionTime", record.SessionTime is uint t ? (long)t : DBNull.Value);
        command.Parameters.AddWithValue("$in", record.InputBytes);
        command.Parameters.AddWithValue("$out", record.OutputBytes);
        command.Parameters.AddWithValue("$cause", record.TerminateCause is AcctTerminateCause c ? (long)c : DBNull.Value);
    }

    private static object Nullable(string? value) => string.IsNullOrEmpty(value) ? DBNull.Value : value;

    // Accounting-On/Off (RFC 2866 section 5.1): the gateway restarted, so its sessions that had no news since are over.
    // A session updated after the event began after the restart and stays open.
    private static void CloseNasSessions(SqliteConnection connection, SqliteTransaction transaction, string nasKey, long eventMs)
    {
        using SqliteCommand command = SqliteDatabase.Command(connection, transaction, $"""
            UPDATE sessions SET is_open = 0, stopped_ms = $event, terminate_cause = {(long)AcctTerminateCause.NasReboot}
            WHERE nas_key = $nas AND is_open = 1 AND last_update_ms <= $event;
            """);
        command.Parameters.AddWithValue("$nas", nasKey);
        command.Parameters.AddWithValue("$event", eventMs);
        command.ExecuteNonQuery();
    }

    private const string UpsertSessionSql = """
        INSERT INTO sessions (nas_key, acct_session_id, username, nas_identifier, nas_ip, called_station_id, calling_station_id,
            framed_ip, started_ms, last_update_ms, stopped_ms, is_open, session_time, input_bytes, output_bytes, terminate_cause)
        VALUES ($nas, $sid, $user, $nasId, $nasIp, $called, $calling, $framed, $started, $event, $stopped, $open,
            coalesce($sessionTime, 0), $in, $out, $cause)
        ON CONFLICT (nas_key, acct_session_id) DO UPDATE SET
            username = coalesce(username, excluded.username),
            nas_identifier = coalesce(nas_identifier, excluded.nas_identifier),
            nas_ip = coalesce(nas_ip, excluded.nas_ip),
            called_station_id = coalesce(called_station_id, excluded.called_station_id),
            calling_station_id = coalesce(calling_station_id, excluded.calling_station_id),
            framed_ip = coalesce(excluded.framed_ip, framed_ip),
            started_ms = CASE WHEN started_ms IS NULL THEN excluded.started_ms
                              WHEN excluded.started_ms IS NULL THEN started_ms
                              ELSE min(started_ms, excluded.started_ms) END,
            last_update_ms = max(last_update_ms, excluded.last_update_ms),
            stopped_ms = coalesce(excluded.stopped_ms, stopped_ms),
            is_open = min(is_open, excluded.is_open),
            session_time = max(session_time, excluded.session_time),
            input_bytes = max(input_bytes, excluded.input_bytes),
            output_bytes = max(output_bytes, excluded.output_bytes),
            terminate_cause = coalesce(excluded.terminate_cause, terminate_cause)
        RETURNING id;
        """;

    private const string UpsertHourSql = """
        INSERT INTO session_hours (session_id, hour_ms, input_bytes, output_bytes) VALUES ($id, $hour, $in, $out)
        ON CONFLICT (session_id, hour_ms) DO UPDATE SET
            input_bytes = max(input_bytes, excluded.input_bytes), output_bytes = max(output_bytes, excluded.output_bytes);
        """;

    private static void UpsertSession(SqliteCommand upsert, SqliteCommand hour, AccountingRecord record, string nasKey, string sessionId, long eventMs)
    {
        bool stop = record.StatusType == AcctStatusType.Stop;
        long? startedMs = record.StatusType == AcctStatusType.Start
            ? eventMs
            : record.SessionTime is uint seconds ? eventMs - (seconds * 1000L) : null;

        upsert.Parameters.Clear();
        upsert.Parameters.AddWithValue("$nas", nasKey);
        upsert.Parameters.AddWithValue("$sid", sessionId);
        upsert.Parameters.AddWithValue("$started", startedMs is long s ? s : DBNull.Value);
        upsert.Parameters.AddWithValue("$event", eventMs);
        upsert.Parameters.AddWithValue("$stopped", stop ? eventMs : DBNull.Value);
        upsert.Parameters.AddWithValue("$open", stop ? 0L : 1L);
        AddRecordAttributes(upsert, record);
        long id = (long)upsert.ExecuteScalar()!;

        hour.Parameters.Clear();
        hour.Parameters.AddWithValue("$id", id);
        hour.Parameters.AddWithValue("$hour", Floor(eventMs));
        hour.Parameters.AddWithValue("$in", record.InputBytes);
        hour.Parameters.AddWithValue("$out", record.OutputBytes);
        hour.ExecuteNonQuery();
    }

    private Task<IReadOnlyList<SessionInfo>> QuerySessionsAsync(string tail, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        long freshAfter = FreshAfterMs();
        return database.ReadAsync<IReadOnlyList<SessionInfo>>(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, $"""
                SELECT acct_session_id, {HotspotSql}, username, nas_identifier, nas_ip, called_station_id, calling_station_id, framed_ip,
                    is_open, started_ms, last_update_ms, stopped_ms, session_time, input_bytes, output_bytes, terminate_cause
                FROM sessions {tail};
                """);
            bind(command);
            var sessions = new List<SessionInfo>();
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                long lastUpdate = reader.GetInt64(10);
                SessionState state = reader.GetInt64(8) == 0 ? SessionState.Closed
                    : lastUpdate > freshAfter ? SessionState.Open : SessionState.Stale;
                sessions.Add(new SessionInfo(
                    reader.GetString(0),
                    reader.GetString(1),
                    Text(reader, 2),
                    Text(reader, 3),
                    Text(reader, 4) is string nasIp ? IPAddress.Parse(nasIp) : null,
                    Text(reader, 5),
                    Text(reader, 6),
                    Text(reader, 7) is string framed ? IPAddress.Parse(framed) : null,
                    state,
                    Time(reader, 9),
                    DateTimeOffset.FromUnixTimeMilliseconds(lastUpdate),
                    Time(reader, 11),
                    reader.GetInt64(12),
                    reader.GetInt64(13),
                    reader.GetInt64(14),
                    reader.IsDBNull(15) ? null : (AcctTerminateCause)reader.GetInt64(15)));
            }

            return sessions;
        }, cancellationToken);
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
