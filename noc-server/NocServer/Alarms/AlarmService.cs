using Microsoft.Data.Sqlite;
using Network.Storage;
using Prometheus;

namespace Network.Noc.Alarms;

/// <summary>Alarm states as stored and shown.</summary>
public static class AlarmStates
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Cleared = "cleared";

    /// <summary>Not a stored state: open or acknowledged (what the alarm list shows by default).</summary>
    public const string Active = "active";
}

/// <summary>A filter on the alarm history; nulls match everything.</summary>
public sealed record AlarmFilter(string? State = AlarmStates.Active, string? Site = null, string? Severity = null, DateTimeOffset? Since = null, int Limit = 500);

/// <summary>
/// Alarms: one active alarm at most per site, device and kind, opened and cleared by the status engine's signals,
/// acknowledged by engineers (who, when, a note; several at once), kept as history in the NOC's SQLite file.
/// The active ones are also held in memory, so the engine's signals cost no read and the board counts them for free.
/// Every change, once stored, goes to the <see cref="IAlarmObserver"/>s (the webhook, the live dashboards).
/// </summary>
public sealed class AlarmService(SqliteDatabase database, TimeProvider time, IEnumerable<IAlarmObserver> observers,
    IEnumerable<IAlarmMaintenance>? maintenance = null)
{
    public const int MaxNoteLength = 2000;

    public static readonly SqliteSchema Schema = new("alarms",
    [
        """
        CREATE TABLE alarms (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL,
            device TEXT,
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            state TEXT NOT NULL,
            message TEXT NOT NULL,
            opened_ms INTEGER NOT NULL,
            cleared_ms INTEGER,
            acknowledged_by TEXT,
            acknowledged_ms INTEGER,
            note TEXT,
            suppressed_by TEXT
        ) STRICT;
        CREATE INDEX alarms_by_state ON alarms (state, opened_ms);
        CREATE INDEX alarms_by_site ON alarms (site_id, opened_ms);
        """,
    ]);

    private static readonly Gauge s_active = Metrics.CreateGauge("noc_alarms_active", "Active alarms (open or acknowledged) by severity.", "severity");
    private static readonly Counter s_opened = Metrics.CreateCounter("noc_alarms_opened_total", "Alarms opened, by kind.", "kind");

    private readonly Dictionary<(string Site, string? Device, string Kind), AlarmView> _active = [];

    // Active alarms not suppressed by a parent, per site (kept with _active, so the board's counts cost a lookup).
    private readonly Dictionary<string, int> _unsuppressedBySite = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _loaded;

    /// <summary>Loads the active alarms into memory.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<AlarmView> active = await QueryAsync(new AlarmFilter(AlarmStates.Active, Limit: int.MaxValue), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _active.Clear();
            _unsuppressedBySite.Clear();
            foreach (AlarmView alarm in active)
            {
                SetActive((alarm.Site, alarm.Device, alarm.Kind), alarm);
            }

            _loaded = true;
            UpdateGauges();
        }
    }

    /// <summary>Active alarms of a site that are not suppressed by a parent.</summary>
    public int ActiveCount(string site)
    {
        lock (_lock)
        {
            return _unsuppressedBySite.GetValueOrDefault(site);
        }
    }

    /// <summary>Every active alarm, newest first.</summary>
    public IReadOnlyList<AlarmView> Active()
    {
        lock (_lock)
        {
            return [.. _active.Values.OrderByDescending(a => a.OpenedAt)];
        }
    }

    /// <summary>Opens and clears alarms as the signals say; returns the alarms that changed.</summary>
    public async Task<IReadOnlyList<AlarmView>> ApplyAsync(IReadOnlyList<AlarmSignal> signals, CancellationToken cancellationToken)
    {
        if (signals.Count == 0)
        {
            return [];
        }

        if (!_loaded)
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var opens = new List<AlarmSignal>();
        var clears = new List<AlarmView>();
        lock (_lock)
        {
            var pending = new HashSet<(string, string?, string)>();
            foreach (AlarmSignal signal in signals)
            {
                var key = (signal.Site, signal.Device, signal.Kind);
                if (signal.Open)
                {
                    if (!_active.ContainsKey(key) && pending.Add(key))
                    {
                        opens.Add(signal);
                    }
                }
                else if (_active.TryGetValue(key, out AlarmView? active))
                {
                    clears.Add(active);
                    RemoveActive(key);
                }
                else if (pending.Remove(key))
                {
                    // Opened and cleared in the same step (a reboot): store it as history, cleared.
                    int index = opens.FindLastIndex(o => (o.Site, o.Device, o.Kind) == key);
                    AlarmSignal opened = opens[index];
                    opens.RemoveAt(index);
                    opens.Add(opened with { Open = false });
                }
            }
        }

        if (opens.Count == 0 && clears.Count == 0)
        {
            return [];
        }

        MarkMaintenance(opens, DateTimeOffset.FromUnixTimeMilliseconds(now));

        List<AlarmView> changed = await database.WriteAsync((connection, transaction) =>
        {
            var result = new List<AlarmView>();
            foreach (AlarmSignal signal in opens)
            {
                bool clearedAtOnce = !signal.Open;
                using SqliteCommand insert = SqliteDatabase.Command(connection, transaction, """
                    INSERT INTO alarms (site_id, device, kind, severity, state, message, opened_ms, cleared_ms, suppressed_by)
                    VALUES ($site, $device, $kind, $severity, $state, $message, $now, $cleared, $suppressed) RETURNING id;
                    """);
                insert.Parameters.AddWithValue("$site", signal.Site);
                insert.Parameters.AddWithValue("$device", (object?)signal.Device ?? DBNull.Value);
                insert.Parameters.AddWithValue("$kind", signal.Kind);
                insert.Parameters.AddWithValue("$severity", signal.Severity);
                insert.Parameters.AddWithValue("$state", clearedAtOnce ? AlarmStates.Cleared : AlarmStates.Open);
                insert.Parameters.AddWithValue("$message", signal.Message);
                insert.Parameters.AddWithValue("$now", now);
                insert.Parameters.AddWithValue("$cleared", clearedAtOnce ? now : DBNull.Value);
                insert.Parameters.AddWithValue("$suppressed", (object?)signal.SuppressedBy ?? DBNull.Value);
                long id = (long)insert.ExecuteScalar()!;
                DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(now);
                result.Add(new AlarmView(id, signal.Site, signal.Device, signal.Kind, signal.Severity, clearedAtOnce ? AlarmStates.Cleared : AlarmStates.Open,
                    signal.Message, at, clearedAtOnce ? at : null, null, null, null, signal.SuppressedBy));
            }

            foreach (AlarmView alarm in clears)
            {
                using SqliteCommand update = SqliteDatabase.Command(connection, transaction, "UPDATE alarms SET state = 'cleared', cleared_ms = $now WHERE id = $id;");
                update.Parameters.AddWithValue("$now", now);
                update.Parameters.AddWithValue("$id", alarm.Id);
                update.ExecuteNonQuery();
                result.Add(alarm with { State = AlarmStates.Cleared, ClearedAt = DateTimeOffset.FromUnixTimeMilliseconds(now) });
            }

            return result;
        }, cancellationToken).ConfigureAwait(false);

        lock (_lock)
        {
            foreach (AlarmView alarm in changed.Where(a => a.State == AlarmStates.Open))
            {
                SetActive((alarm.Site, alarm.Device, alarm.Kind), alarm);
                s_opened.WithLabels(alarm.Kind).Inc();
            }

            UpdateGauges();
        }

        Tell(changed);
        return changed;
    }

    /// <summary>Acknowledges active alarms by id (those already cleared or unknown are skipped); returns the alarms acknowledged.</summary>
    public async Task<IReadOnlyList<AlarmView>> AcknowledgeAsync(IReadOnlyCollection<long> ids, string user, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (note?.Length > MaxNoteLength)
        {
            throw new ArgumentException($"a note is at most {MaxNoteLength} characters", nameof(note));
        }

        if (!_loaded)
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        List<AlarmView> targets;
        lock (_lock)
        {
            var wanted = ids.ToHashSet();
            targets = [.. _active.Values.Where(a => wanted.Contains(a.Id))];
        }

        if (targets.Count == 0)
        {
            return [];
        }

        DateTimeOffset now = time.GetUtcNow();
        await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand update = SqliteDatabase.Command(connection, transaction, """
                UPDATE alarms SET state = CASE state WHEN 'open' THEN 'acknowledged' ELSE state END,
                    acknowledged_by = $user, acknowledged_ms = $now, note = $note
                WHERE id = $id AND state <> 'cleared';
                """);
            SqliteParameter id = update.Parameters.Add("$id", SqliteType.Integer);
            update.Parameters.AddWithValue("$user", user);
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$note", (object?)note ?? DBNull.Value);
            foreach (AlarmView alarm in targets)
            {
                id.Value = alarm.Id;
                update.ExecuteNonQuery();
            }

            return targets.Count;
        }, cancellationToken).ConfigureAwait(false);

        var acknowledged = new List<AlarmView>();
        lock (_lock)
        {
            foreach (AlarmView alarm in targets)
            {
                var key = (alarm.Site, alarm.Device, alarm.Kind);
                if (_active.TryGetValue(key, out AlarmView? current) && current.Id == alarm.Id)
                {
                    AlarmView updated = current with { State = AlarmStates.Acknowledged, AcknowledgedBy = user, AcknowledgedAt = now, Note = note };
                    SetActive(key, updated);
                    acknowledged.Add(updated);
                }
            }
        }

        Tell(acknowledged);
        return acknowledged;
    }

    // Alarms opening in a maintenance window are marked so (shown, not notified); a parent's suppression stays as it is.
    private void MarkMaintenance(List<AlarmSignal> opens, DateTimeOffset at)
    {
        foreach (IAlarmMaintenance windows in maintenance ?? [])
        {
            for (int i = 0; i < opens.Count; i++)
            {
                if (opens[i].SuppressedBy is null && windows.MaintenanceAt(opens[i].Site, at) is string mark)
                {
                    opens[i] = opens[i] with { SuppressedBy = mark };
                }
            }
        }
    }

    private void Tell(List<AlarmView> changed)
    {
        if (changed.Count == 0)
        {
            return;
        }

        foreach (IAlarmObserver observer in observers)
        {
            observer.AlarmsChanged(changed);
        }
    }

    /// <summary>The history, newest first.</summary>
    public Task<IReadOnlyList<AlarmView>> QueryAsync(AlarmFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return database.ReadAsync<IReadOnlyList<AlarmView>>(connection =>
        {
            var where = new List<string>();
            using SqliteCommand command = SqliteDatabase.Command(connection, null, "");
            switch (filter.State)
            {
                case null or "" or "all":
                    break;
                case AlarmStates.Active:
                    where.Add("state IN ('open', 'acknowledged')");
                    break;
                default:
                    where.Add("state = $state");
                    command.Parameters.AddWithValue("$state", filter.State);
                    break;
            }

            if (!string.IsNullOrEmpty(filter.Site))
            {
                where.Add("site_id = $site");
                command.Parameters.AddWithValue("$site", filter.Site);
            }

            if (!string.IsNullOrEmpty(filter.Severity))
            {
                where.Add("severity = $severity");
                command.Parameters.AddWithValue("$severity", filter.Severity);
            }

            if (filter.Since is DateTimeOffset since)
            {
                where.Add("opened_ms >= $since");
                command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
            }

            command.CommandText = $"""
                SELECT id, site_id, device, kind, severity, state, message, opened_ms, cleared_ms, acknowledged_by, acknowledged_ms, note, suppressed_by
                FROM alarms {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
                ORDER BY opened_ms DESC, id DESC LIMIT $limit;
                """;
            command.Parameters.AddWithValue("$limit", Math.Max(1, filter.Limit));
            using SqliteDataReader reader = command.ExecuteReader();
            var alarms = new List<AlarmView>();
            while (reader.Read())
            {
                alarms.Add(new AlarmView(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)), reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)), reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.IsDBNull(12) ? null : reader.GetString(12)));
            }

            return alarms;
        }, cancellationToken);
    }

    // Under _lock: one pass over the active alarms.
    private void UpdateGauges()
    {
        int critical = 0, major = 0, minor = 0, warning = 0;
        foreach (AlarmView alarm in _active.Values)
        {
            switch (alarm.Severity)
            {
                case AlarmKinds.Critical:
                    critical++;
                    break;
                case AlarmKinds.Major:
                    major++;
                    break;
                case AlarmKinds.Minor:
                    minor++;
                    break;
                case AlarmKinds.Warning:
                    warning++;
                    break;
                default:
                    break;
            }
        }

        s_active.WithLabels(AlarmKinds.Critical).Set(critical);
        s_active.WithLabels(AlarmKinds.Major).Set(major);
        s_active.WithLabels(AlarmKinds.Minor).Set(minor);
        s_active.WithLabels(AlarmKinds.Warning).Set(warning);
    }

    // Under _lock: _active and the per-site counts together.
    private void SetActive((string Site, string? Device, string Kind) key, AlarmView alarm)
    {
        RemoveActive(key);
        _active[key] = alarm;
        CountSite(alarm, 1);
    }

    private void RemoveActive((string Site, string? Device, string Kind) key)
    {
        if (_active.Remove(key, out AlarmView? old))
        {
            CountSite(old, -1);
        }
    }

    private void CountSite(AlarmView alarm, int delta)
    {
        if (alarm.SuppressedBy is not null)
        {
            return;
        }

        int count = _unsuppressedBySite.GetValueOrDefault(alarm.Site) + delta;
        if (count == 0)
        {
            _unsuppressedBySite.Remove(alarm.Site);
        }
        else
        {
            _unsuppressedBySite[alarm.Site] = count;
        }
    }
}
