using System.Globalization;
using Microsoft.Data.Sqlite;
using Network.CaptivePortal.Accounts;
using Network.Radius.Dictionary;
using Network.Storage;

namespace Network.CaptivePortal.Sessions;

/// <summary>
/// The write side of <see cref="SessionStore"/>: each Accounting-Request checked, identified (gateway, Acct-Session-Id,
/// Acct-Status-Type and content, so a retransmission never counts twice) and stored with the session it belongs to, by the
/// <see cref="BatchWriter{TRecord, TResult}"/> in group commits (statements prepared once a batch). A caller's task
/// completes only after its record's transaction has committed, so nothing acknowledged to a gateway can be lost; one bad
/// record fails only its own caller.
/// </summary>
internal sealed class AccountingWriter : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly BatchWriter<PendingRecord, AccountingOutcome> _writer;

    public AccountingWriter(SqliteDatabase database, TimeProvider time)
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

    private static Task<AccountingOutcome[]> WriteBatchAsync(SqliteDatabase database, IReadOnlyList<PendingRecord> records) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var writer = new RecordWriter(connection, transaction);
            var outcomes = new AccountingOutcome[records.Count];
            for (int i = 0; i < records.Count; i++)
            {
                outcomes[i] = writer.Write(records[i]);
            }

            return outcomes;
        }, CancellationToken.None);

    /// <summary>A record waiting for the writer, with what <see cref="RecordAsync"/> derived from it.</summary>
    private readonly record struct PendingRecord(AccountingRecord Record, string NasKey, string SessionId, string Fingerprint, long ReceivedMs, long EventMs);

    /// <summary>The three statements of a record, prepared once for a whole batch.</summary>
    private sealed class RecordWriter(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        private SqliteCommand? _insert;
        private SqliteCommand? _upsert;
        private SqliteCommand? _hour;

        public AccountingOutcome Write(in PendingRecord item)
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
        hour.Parameters.AddWithValue("$hour", SessionStore.Floor(eventMs));
        hour.Parameters.AddWithValue("$in", record.InputBytes);
        hour.Parameters.AddWithValue("$out", record.OutputBytes);
        hour.ExecuteNonQuery();
    }
}
