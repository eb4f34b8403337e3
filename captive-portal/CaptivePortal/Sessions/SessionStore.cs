using System.Net;
using Dapper;
using FluentMigrator;
using FluentMigrator.Builders.Create.Table;
using Microsoft.Extensions.Options;
using Network.Storage;
using Network.Radius.Dictionary;

namespace Network.CaptivePortal.Sessions;

/// <summary>
/// The accounting tables: every record once (unique by gateway, Acct-Session-Id, status type and content), the sessions
/// built from them, and per session and hour the highest counters seen in that hour (the bytes of an hour are the growth over
/// the hours before). Files made before FluentMigrator have them (the "sessions" feature at version 1).
/// </summary>
[Migration(2026120712, "Portal sessions and accounting")]
public sealed class SessionsTables : ServiceMigration
{
    // The user, the gateway and the device of a record or a session, as its attributes said.
    private static ICreateTableColumnOptionOrWithColumnSyntax WithWhoAndWhere(ICreateTableWithColumnSyntax table) => table
        .WithColumn("username").AsString().Nullable()
        .WithColumn("nas_identifier").AsString().Nullable()
        .WithColumn("nas_ip").AsString().Nullable()
        .WithColumn("called_station_id").AsString().Nullable()
        .WithColumn("calling_station_id").AsString().Nullable()
        .WithColumn("framed_ip").AsString().Nullable();

    public override void Up()
    {
        if (CreateTableIfAbsent("accounting_records") is { } records)
        {
            records
                .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
                .WithColumn("nas_key").AsString().NotNullable()
                .WithColumn("acct_session_id").AsString().NotNullable()
                .WithColumn("status_type").AsInt64().NotNullable()
                .WithColumn("fingerprint").AsString().NotNullable()
                .WithColumn("received_ms").AsInt64().NotNullable()
                .WithColumn("event_ms").AsInt64().NotNullable();
            WithWhoAndWhere(records)
                .WithColumn("session_time").AsInt64().Nullable()
                .WithColumn("input_bytes").AsInt64().NotNullable()
                .WithColumn("output_bytes").AsInt64().NotNullable()
                .WithColumn("terminate_cause").AsInt64().Nullable();
            Create.Index("accounting_records_identity").OnTable("accounting_records")
                .OnColumn("nas_key").Ascending().OnColumn("acct_session_id").Ascending()
                .OnColumn("status_type").Ascending().OnColumn("fingerprint").Ascending().WithOptions().Unique();
        }

        if (CreateTableIfAbsent("sessions") is { } sessions)
        {
            sessions
                .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
                .WithColumn("nas_key").AsString().NotNullable()
                .WithColumn("acct_session_id").AsString().NotNullable().Indexed("sessions_id");
            WithWhoAndWhere(sessions)
                .WithColumn("started_ms").AsInt64().Nullable()
                .WithColumn("last_update_ms").AsInt64().NotNullable()
                .WithColumn("stopped_ms").AsInt64().Nullable()
                .WithColumn("is_open").AsBoolean().NotNullable()
                .WithColumn("session_time").AsInt64().NotNullable()
                .WithColumn("input_bytes").AsInt64().NotNullable()
                .WithColumn("output_bytes").AsInt64().NotNullable()
                .WithColumn("terminate_cause").AsInt64().Nullable();
            Create.Index("sessions_identity").OnTable("sessions")
                .OnColumn("nas_key").Ascending().OnColumn("acct_session_id").Ascending().WithOptions().Unique();
            Create.Index("sessions_open").OnTable("sessions").OnColumn("is_open").Ascending().OnColumn("last_update_ms").Ascending();
        }

        if (CreateTableIfAbsent("session_hours") is { } hours)
        {
            hours
                .WithColumn("session_id").AsInt64().NotNullable().PrimaryKey()
                    .ForeignKey("session_hours_session_fk", "sessions", "id").OnDelete(System.Data.Rule.Cascade)
                .WithColumn("hour_ms").AsInt64().NotNullable().PrimaryKey().Indexed("session_hours_hour")
                .WithColumn("input_bytes").AsInt64().NotNullable()
                .WithColumn("output_bytes").AsInt64().NotNullable();
        }
    }
}

/// <summary>
/// RADIUS accounting (RFC 2866) kept in the portal's database: every record once, sessions built from them,
/// and the figures the operator and the NOC ask for. Idempotent: a record is identified by its gateway, Acct-Session-Id,
/// Acct-Status-Type and content (session time and counters; the event time for Accounting-On/Off), so a retransmission
/// with a new Identifier or Acct-Delay-Time never counts twice. Counters are cumulative per session, so a session keeps
/// the highest it was told, in whatever order the records arrive.
/// <para>
/// Records are written by <see cref="AccountingWriter"/> in group commits; this class keeps the schema and answers the
/// report queries.
/// </para>
/// </summary>
public sealed class SessionStore(ServiceDatabase database, IOptions<SessionsOptions> options, TimeProvider time) : IAsyncDisposable
{
    private const long HourMs = 3_600_000;

    private readonly SessionsOptions _options = options.Value;
    private readonly AccountingWriter _writer = new(database, time);

    /// <summary>The accounting tables on the portal's database (in files made before FluentMigrator: "sessions" at version 1).</summary>
    public static DatabaseFeature Feature { get; } = new(typeof(SessionsTables).Assembly, "sessions", 1);

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
        return database.ReadAsync<IReadOnlyList<HotspotOnline>>(async connection =>
        {
            IEnumerable<(string Hotspot, long Users, long Sessions)> rows = await connection.QueryAsync<(string, long, long)>(new CommandDefinition($"""
                SELECT {HotspotSql} AS hotspot, count(DISTINCT {UserSql}), count(*)
                FROM sessions WHERE is_open = true AND last_update_ms > @freshAfter
                GROUP BY hotspot ORDER BY hotspot
                """, new { freshAfter }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => new HotspotOnline(r.Hotspot, (int)r.Users, (int)r.Sessions))];
        }, cancellationToken);
    }

    /// <summary>
    /// Whether the accounting holds a session of this user (without regard to case), open or closed, within its retention:
    /// "has been online over the wifi at least once".
    /// </summary>
    public Task<bool> HasBeenOnlineAsync(string username, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async connection => await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT 1 FROM sessions WHERE lower(username) = lower(@username) LIMIT 1", new { username }, cancellationToken: cancellationToken))
            .ConfigureAwait(false) is not null, cancellationToken);

    /// <summary>Open sessions (stale ones left out), at one hotspot or all; for the operator's list and for Disconnect.</summary>
    public Task<IReadOnlyList<SessionInfo>> ListOpenAsync(string? hotspot = null, CancellationToken cancellationToken = default)
    {
        long freshAfter = FreshAfterMs();
        return QuerySessionsAsync(
            $"WHERE is_open = true AND last_update_ms > @freshAfter AND (@hotspot IS NULL OR {HotspotSql} = @hotspot) ORDER BY last_update_ms DESC",
            new { freshAfter, hotspot }, cancellationToken);
    }

    /// <summary>The session with this Acct-Session-Id (the most recently updated, should two gateways share an id).</summary>
    public async Task<SessionInfo?> FindAsync(string acctSessionId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SessionInfo> found = await QuerySessionsAsync(
            "WHERE acct_session_id = @acctSessionId ORDER BY last_update_ms DESC LIMIT 1", new { acctSessionId }, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Sessions and bytes per hour per hotspot, for the hours starting in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<IReadOnlyList<HotspotHour>> HourlyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        long fromMs = Floor(from.ToUnixTimeMilliseconds());
        long toMs = to.ToUnixTimeMilliseconds();
        string growth = database.Dialect("max", "greatest");
        return database.ReadAsync<IReadOnlyList<HotspotHour>>(async connection =>
        {
            IEnumerable<HourRow> rows = await connection.QueryAsync<HourRow>(new CommandDefinition($"""
                WITH grown AS (
                    SELECT session_id, hour_ms, input_bytes, output_bytes,
                        coalesce(max(input_bytes) OVER earlier, 0) AS input_before,
                        coalesce(max(output_bytes) OVER earlier, 0) AS output_before
                    FROM session_hours
                    WHERE session_id IN (SELECT session_id FROM session_hours WHERE hour_ms >= @fromMs AND hour_ms < @toMs)
                    WINDOW earlier AS (PARTITION BY session_id ORDER BY hour_ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                )
                SELECT {HotspotSql} AS hotspot, g.hour_ms AS hourms, count(*) AS sessions,
                    sum(CASE WHEN s.started_ms >= g.hour_ms AND s.started_ms < g.hour_ms + {HourMs} THEN 1 ELSE 0 END) AS started,
                    sum({growth}(g.input_bytes - g.input_before, 0)) AS inputbytes, sum({growth}(g.output_bytes - g.output_before, 0)) AS outputbytes
                FROM grown g JOIN sessions s ON s.id = g.session_id
                WHERE g.hour_ms >= @fromMs AND g.hour_ms < @toMs
                GROUP BY 1, g.hour_ms ORDER BY 1, g.hour_ms
                """, new { fromMs, toMs }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => new HotspotHour(r.Hotspot, DateTimeOffset.FromUnixTimeMilliseconds(r.HourMs),
                (int)r.Sessions, (int)r.Started, (long)r.InputBytes, (long)r.OutputBytes))];
        }, cancellationToken);
    }

    /// <summary>
    /// Per hotspot and user (the user name in lower case, else the device's Calling-Station-Id, else the session), the
    /// sessions with accounting in the hours starting in [<paramref name="from"/>, <paramref name="to"/>).
    /// </summary>
    public Task<IReadOnlyList<HotspotUser>> UsersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        long fromMs = Floor(from.ToUnixTimeMilliseconds());
        long toMs = to.ToUnixTimeMilliseconds();
        return database.ReadAsync<IReadOnlyList<HotspotUser>>(async connection =>
        {
            IEnumerable<(string Hotspot, string User, long Sessions)> rows = await connection.QueryAsync<(string, string, long)>(new CommandDefinition($"""
                SELECT {HotspotSql} AS hotspot, {UserSql} AS who, count(*)
                FROM sessions WHERE id IN (SELECT session_id FROM session_hours WHERE hour_ms >= @fromMs AND hour_ms < @toMs)
                GROUP BY 1, 2 ORDER BY 1, 2
                """, new { fromMs, toMs }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => new HotspotUser(r.Hotspot, r.User, (int)r.Sessions))];
        }, cancellationToken);
    }

    // Who a session is, for counting users: the account, else the device, else the session alone.
    private string UserSql => database.Dialect("coalesce(lower(username), calling_station_id, id)", "coalesce(lower(username), calling_station_id, id::text)");

    private string HotspotSql => _options.HotspotBy == HotspotSource.CalledStationId
        ? "coalesce(called_station_id, nas_identifier, nas_ip, nas_key)"
        : "coalesce(nas_identifier, called_station_id, nas_ip, nas_key)";

    private long FreshAfterMs() =>
        time.GetUtcNow().ToUnixTimeMilliseconds() - ((long)_options.InterimInterval.TotalMilliseconds * _options.StaleAfterIntervals);

    internal static long Floor(long ms) => ms - (((ms % HourMs) + HourMs) % HourMs);

    private Task<IReadOnlyList<SessionInfo>> QuerySessionsAsync(string tail, object parameters, CancellationToken cancellationToken)
    {
        long freshAfter = FreshAfterMs();
        return database.ReadAsync<IReadOnlyList<SessionInfo>>(async connection =>
        {
            IEnumerable<SessionRow> rows = await connection.QueryAsync<SessionRow>(new CommandDefinition($"""
                SELECT acct_session_id AS acctsessionid, {HotspotSql} AS hotspot, username, nas_identifier AS nasidentifier, nas_ip AS nasip,
                    called_station_id AS calledstationid, calling_station_id AS callingstationid, framed_ip AS framedip, is_open AS isopen,
                    started_ms AS startedms, last_update_ms AS lastupdatems, stopped_ms AS stoppedms, session_time AS sessiontime,
                    input_bytes AS inputbytes, output_bytes AS outputbytes, terminate_cause AS terminatecause
                FROM sessions {tail}
                """, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(row => new SessionInfo(
                row.AcctSessionId,
                row.Hotspot,
                row.Username,
                row.NasIdentifier,
                row.NasIp is string nasIp ? IPAddress.Parse(nasIp) : null,
                row.CalledStationId,
                row.CallingStationId,
                row.FramedIp is string framed ? IPAddress.Parse(framed) : null,
                !row.IsOpen ? SessionState.Closed : row.LastUpdateMs > freshAfter ? SessionState.Open : SessionState.Stale,
                Time(row.StartedMs),
                DateTimeOffset.FromUnixTimeMilliseconds(row.LastUpdateMs),
                Time(row.StoppedMs),
                row.SessionTime,
                row.InputBytes,
                row.OutputBytes,
                row.TerminateCause is long cause ? (AcctTerminateCause)cause : null))];
        }, cancellationToken);
    }

    private static DateTimeOffset? Time(long? ms) => ms is long value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    /// <summary>A row of <see cref="QuerySessionsAsync"/> (properties, so Dapper converts SQLite's integer <c>is_open</c> to a boolean).</summary>
    private sealed class SessionRow
    {
        public string AcctSessionId { get; init; } = "";
        public string Hotspot { get; init; } = "";
        public string? Username { get; init; }
        public string? NasIdentifier { get; init; }
        public string? NasIp { get; init; }
        public string? CalledStationId { get; init; }
        public string? CallingStationId { get; init; }
        public string? FramedIp { get; init; }
        public bool IsOpen { get; init; }
        public long? StartedMs { get; init; }
        public long LastUpdateMs { get; init; }
        public long? StoppedMs { get; init; }
        public long SessionTime { get; init; }
        public long InputBytes { get; init; }
        public long OutputBytes { get; init; }
        public long? TerminateCause { get; init; }
    }

    /// <summary>A row of <see cref="HourlyAsync"/>: PostgreSQL's sum of bigints is a numeric, hence the decimals.</summary>
    private sealed class HourRow
    {
        public string Hotspot { get; init; } = "";
        public long HourMs { get; init; }
        public long Sessions { get; init; }
        public decimal Started { get; init; }
        public decimal InputBytes { get; init; }
        public decimal OutputBytes { get; init; }
    }
}
