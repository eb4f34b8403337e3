using Network.Storage;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Network.Radius.Dictionary;

namespace Network.CaptivePortal.Sessions;

/// <summary>
/// RADIUS accounting (RFC 2866) kept on the portal's SQLite file: every record once, sessions built from them,
/// and the figures the operator and the NOC ask for. Idempotent: a record is identified by its gateway, Acct-Session-Id,
/// Acct-Status-Type and content (session time and counters; the event time for Accounting-On/Off), so a retransmission
/// with a new Identifier or Acct-Delay-Time never counts twice. Counters are cumulative per session, so a session keeps
/// the highest it was told, in whatever order the records arrive.
/// <para>
/// Records are written by <see cref="AccountingWriter"/> in group commits; this class keeps the schema and answers the
/// report queries.
/// </para>
/// </summary>
public sealed class SessionStore(SqliteDatabase database, IOptions<SessionsOptions> options, TimeProvider time) : IAsyncDisposable
{
    private const long HourMs = 3_600_000;

    private readonly SessionsOptions _options = options.Value;
    private readonly AccountingWriter _writer = new(database, time);

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
    public Task<AccountingOutcome> RecordAsync(AccountingRecord record, CancellationToken cancellationToken = default) =>
        _writer.RecordAsync(record, cancellationToken);

    /// <summary>Lets the writer finish what is queued.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

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

    internal static long Floor(long ms) => ms - (((ms % HourMs) + HourMs) % HourMs);

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
