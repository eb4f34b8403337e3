using System.Data;
using System.Data.Common;
using System.Globalization;
using Network.CaptivePortal.Accounts;
using Network.Radius.Dictionary;
using Network.Storage;

namespace Network.CaptivePortal.Sessions;

/// <summary>
/// The write side of <see cref="SessionStore"/>: each Accounting-Request checked, identified (gateway, Acct-Session-Id,
/// Acct-Status-Type and content, so a retransmission never counts twice) and stored with the session it belongs to, by the
/// <see cref="BatchWriter{TRecord, TResult}"/> in group commits (the hot path's own ADO.NET: statements prepared once a batch,
/// their parameters reused). A caller's task
/// completes only after its record's transaction has committed, so nothing acknowledged to a gateway can be lost; one bad
/// record fails only its own caller.
/// </summary>
internal sealed class AccountingWriter : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly BatchWriter<PendingRecord, AccountingOutcome> _writer;

    public AccountingWriter(ServiceDatabase database, TimeProvider time)
    {
        _time = time;
        _writer = new BatchWriter<PendingRecord, AccountingOutcome>(
            records => WriteBatchAsync(database, records),
            new BatchWriterOptions { Capacity = MaxWaiting, MaxBatch = MaxBatch, RetryAlone = true },
            time);
    }

    /// <summary>Most records in one transaction.</summary>
    private const int MaxBatch = 512;

    /// <summary>Records waiting for the writer; beyond it <see cref="RecordAsync"/> fails at once (the gateway retransmits).</summary>
    private const int MaxWaiting = 16_384;

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

        DateTimeOffset received = _time.GetUtcNow();
        long receivedMs = received.ToUnixTimeMilliseconds();
        long eventMs = (record.EventTimestamp ?? received.AddSeconds(-record.DelayTime)).ToUnixTimeMilliseconds();
        string fingerprint = nasEvent
            ? (eventMs / 1000).ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{record.SessionTime?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{record.InputBytes}/{record.OutputBytes}");
        return _writer.WriteAsync(new PendingRecord(record, NasKey(record), record.AcctSessionId ?? "", fingerprint, receivedMs, eventMs));
    }

    /// <summary>Lets the writer finish what is queued.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private static Task<AccountingOutcome[]> WriteBatchAsync(ServiceDatabase database, IReadOnlyList<PendingRecord> records) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var writer = new RecordWriter(database, connection, transaction);
            var outcomes = new AccountingOutcome[records.Count];
            for (int i = 0; i < records.Count; i++)
            {
                outcomes[i] = await writer.WriteAsync(records[i]).ConfigureAwait(false);
            }

            return outcomes;
        }, CancellationToken.None);

    /// <summary>A record waiting for the writer, with what <see cref="RecordAsync"/> derived from it.</summary>
    private readonly record struct PendingRecord(AccountingRecord Record, string NasKey, string SessionId, string Fingerprint, long ReceivedMs, long EventMs);

    /// <summary>
    /// The statements of a record, prepared once for a whole batch. On PostgreSQL each is atomic by itself (the record's
    /// <c>ON CONFLICT DO NOTHING</c>, the session's and the hour's upserts), so two nodes writing records of one session at
    /// once leave one session row with the highest counters, and a record sent to both is stored once.
    /// </summary>
    private sealed class RecordWriter(ServiceDatabase database, DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        private Statement? _insert;
        private Statement? _upsert;
        private Statement? _hour;
        private Statement? _close;

        public async Task<AccountingOutcome> WriteAsync(PendingRecord item)
        {
            AccountingRecord record = item.Record;
            _insert ??= await Statement.PrepareAsync(connection, transaction, InsertRecordSql, RecordParameters).ConfigureAwait(false);
            _insert.Set("nas", item.NasKey).Set("sid", item.SessionId).Set("status", (long)record.StatusType).Set("fingerprint", item.Fingerprint)
                .Set("received", item.ReceivedMs).Set("event", item.EventMs);
            SetRecordAttributes(_insert, record);
            if (await _insert.Command.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                return AccountingOutcome.Duplicate;
            }

            if (record.StatusType is AcctStatusType.AccountingOn or AcctStatusType.AccountingOff)
            {
                // Accounting-On/Off (RFC 2866 section 5.1): the gateway restarted, so its sessions that had no news since are over.
                // A session updated after the event began after the restart and stays open.
                _close ??= await Statement.PrepareAsync(connection, transaction, CloseNasSessionsSql, [("nas", DbType.String), ("event", DbType.Int64)]).ConfigureAwait(false);
                await _close.Set("nas", item.NasKey).Set("event", item.EventMs).Command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            else
            {
                _upsert ??= await Statement.PrepareAsync(connection, transaction, database.Dialect(UpsertSessionSql, UpsertSessionSql.Replace("max(", "greatest(", StringComparison.Ordinal).Replace("min(", "least(", StringComparison.Ordinal)),
                    [.. SessionParameters, ("started", DbType.Int64), ("stopped", DbType.Int64), ("open", DbType.Boolean)]).ConfigureAwait(false);
                _hour ??= await Statement.PrepareAsync(connection, transaction, database.Dialect(UpsertHourSql, UpsertHourSql.Replace("max(", "greatest(", StringComparison.Ordinal)),
                    [("id", DbType.Int64), ("hour", DbType.Int64), ("in", DbType.Int64), ("out", DbType.Int64)]).ConfigureAwait(false);
                await UpsertSessionAsync(_upsert, _hour, record, item.NasKey, item.SessionId, item.EventMs).ConfigureAwait(false);
            }

            return AccountingOutcome.Recorded;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (Statement? statement in (Statement?[])[_insert, _upsert, _hour, _close])
            {
                if (statement is not null)
                {
                    await statement.Command.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>A prepared command and its parameters by name (without the @), typed so a null binds on PostgreSQL too.</summary>
    private sealed class Statement
    {
        private readonly Dictionary<string, DbParameter> _parameters = new(StringComparer.Ordinal);

        private Statement(DbCommand command) => Command = command;

        public DbCommand Command { get; }

        public static async Task<Statement> PrepareAsync(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<(string Name, DbType Type)> parameters)
        {
            DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            var statement = new Statement(command);
            foreach ((string name, DbType type) in parameters)
            {
                DbParameter parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.DbType = type;
                parameter.Value = DBNull.Value;
                command.Parameters.Add(parameter);
                statement._parameters.Add(name, parameter);
            }

            await command.PrepareAsync().ConfigureAwait(false);
            return statement;
        }

        public Statement Set(string name, object? value)
        {
            _parameters[name].Value = value ?? DBNull.Value;
            return this;
        }
    }

    // What a record and its session share: the gateway, the session, the event time and the attributes.
    private static readonly (string Name, DbType Type)[] SessionParameters =
    [
        ("nas", DbType.String), ("sid", DbType.String), ("event", DbType.Int64), ("user", DbType.String), ("nasId", DbType.String),
        ("nasIp", DbType.String), ("called", DbType.String), ("calling", DbType.String), ("framed", DbType.String),
        ("sessionTime", DbType.Int64), ("in", DbType.Int64), ("out", DbType.Int64), ("cause", DbType.Int64),
    ];

    private static readonly (string Name, DbType Type)[] RecordParameters =
        [.. SessionParameters, ("status", DbType.Int64), ("fingerprint", DbType.String), ("received", DbType.Int64)];

    private const string InsertRecordSql = """
        INSERT INTO accounting_records (nas_key, acct_session_id, status_type, fingerprint, received_ms, event_ms, username,
            nas_identifier, nas_ip, called_station_id, calling_station_id, framed_ip, session_time, input_bytes, output_bytes, terminate_cause)
        VALUES (@nas, @sid, @status, @fingerprint, @received, @event, @user, @nasId, @nasIp, @called, @calling, @framed,
            @sessionTime, @in, @out, @cause)
        ON CONFLICT DO NOTHING
        """;

    private static readonly string CloseNasSessionsSql = $"""
        UPDATE sessions SET is_open = false, stopped_ms = @event, terminate_cause = {(long)AcctTerminateCause.NasReboot}
        WHERE nas_key = @nas AND is_open = true AND last_update_ms <= @event
        """;

    // A gateway is known by what it sends: NAS-Identifier and/or NAS-IP-Address.
    private static string NasKey(AccountingRecord record) => $"{record.NasIdentifier}|{record.NasIpAddress}";

    private static void SetRecordAttributes(Statement statement, AccountingRecord record) =>
        statement.Set("user", Nullable(record.UserName))
            .Set("nasId", Nullable(record.NasIdentifier))
            .Set("nasIp", Nullable(record.NasIpAddress?.ToString()))
            .Set("called", Nullable(record.CalledStationId))
            .Set("calling", Nullable(MacAddress.TryNormalize(record.CallingStationId, out string? mac) ? mac : record.CallingStationId))
            .Set("framed", Nullable(record.FramedIpAddress?.ToString()))
            .Set("sessionTime", record.SessionTime is uint t ? (long)t : null)
            .Set("in", record.InputBytes)
            .Set("out", record.OutputBytes)
            .Set("cause", record.TerminateCause is AcctTerminateCause c ? (long)c : null);

    private static string? Nullable(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // Written for SQLite; on PostgreSQL max and min of two values are greatest and least. The existing row's columns are
    // named with the table (both engines read them so, and PostgreSQL needs it).
    private const string UpsertSessionSql = """
        INSERT INTO sessions (nas_key, acct_session_id, username, nas_identifier, nas_ip, called_station_id, calling_station_id,
            framed_ip, started_ms, last_update_ms, stopped_ms, is_open, session_time, input_bytes, output_bytes, terminate_cause)
        VALUES (@nas, @sid, @user, @nasId, @nasIp, @called, @calling, @framed, @started, @event, @stopped, @open,
            coalesce(@sessionTime, 0), @in, @out, @cause)
        ON CONFLICT (nas_key, acct_session_id) DO UPDATE SET
            username = coalesce(sessions.username, excluded.username),
            nas_identifier = coalesce(sessions.nas_identifier, excluded.nas_identifier),
            nas_ip = coalesce(sessions.nas_ip, excluded.nas_ip),
            called_station_id = coalesce(sessions.called_station_id, excluded.called_station_id),
            calling_station_id = coalesce(sessions.calling_station_id, excluded.calling_station_id),
            framed_ip = coalesce(excluded.framed_ip, sessions.framed_ip),
            started_ms = CASE WHEN sessions.started_ms IS NULL THEN excluded.started_ms
                              WHEN excluded.started_ms IS NULL THEN sessions.started_ms
                              ELSE min(sessions.started_ms, excluded.started_ms) END,
            last_update_ms = max(sessions.last_update_ms, excluded.last_update_ms),
            stopped_ms = coalesce(excluded.stopped_ms, sessions.stopped_ms),
            is_open = sessions.is_open AND excluded.is_open,
            session_time = max(sessions.session_time, excluded.session_time),
            input_bytes = max(sessions.input_bytes, excluded.input_bytes),
            output_bytes = max(sessions.output_bytes, excluded.output_bytes),
            terminate_cause = coalesce(excluded.terminate_cause, sessions.terminate_cause)
        RETURNING id
        """;

    private const string UpsertHourSql = """
        INSERT INTO session_hours (session_id, hour_ms, input_bytes, output_bytes) VALUES (@id, @hour, @in, @out)
        ON CONFLICT (session_id, hour_ms) DO UPDATE SET
            input_bytes = max(session_hours.input_bytes, excluded.input_bytes), output_bytes = max(session_hours.output_bytes, excluded.output_bytes)
        """;

    private static async Task UpsertSessionAsync(Statement upsert, Statement hour, AccountingRecord record, string nasKey, string sessionId, long eventMs)
    {
        bool stop = record.StatusType == AcctStatusType.Stop;
        long? startedMs = record.StatusType == AcctStatusType.Start
            ? eventMs
            : record.SessionTime is uint seconds ? eventMs - (seconds * 1000L) : null;

        upsert.Set("nas", nasKey).Set("sid", sessionId).Set("started", startedMs).Set("event", eventMs).Set("stopped", stop ? eventMs : null)
            .Set("open", !stop);
        SetRecordAttributes(upsert, record);
        long id = Convert.ToInt64(await upsert.Command.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);

        hour.Set("id", id).Set("hour", SessionStore.Floor(eventMs)).Set("in", record.InputBytes).Set("out", record.OutputBytes);
        await hour.Command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
