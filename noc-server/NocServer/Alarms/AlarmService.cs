using Dapper;
using FluentMigrator;
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

/// <summary>The alarms and their history (in files made before FluentMigrator: the "alarms" feature at version 1).</summary>
[Migration(2026120722, "NOC alarms")]
public sealed class AlarmsTable : ServiceMigration
{
    public override void Up()
    {
        if (CreateTableIfAbsent("alarms") is not { } table)
        {
            return;
        }

        table
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
            .WithColumn("site_id").AsString().NotNullable()
            .WithColumn("device").AsString().Nullable()
            .WithColumn("kind").AsString().NotNullable()
            .WithColumn("severity").AsString().NotNullable()
            .WithColumn("state").AsString().NotNullable()
            .WithColumn("message").AsString().NotNullable()
            .WithColumn("opened_ms").AsInt64().NotNullable()
            .WithColumn("cleared_ms").AsInt64().Nullable()
            .WithColumn("acknowledged_by").AsString().Nullable()
            .WithColumn("acknowledged_ms").AsInt64().Nullable()
            .WithColumn("note").AsString().Nullable()
            .WithColumn("suppressed_by").AsString().Nullable();
        Create.Index("alarms_by_state").OnTable("alarms").OnColumn("state").Ascending().OnColumn("opened_ms").Ascending();
        Create.Index("alarms_by_site").OnTable("alarms").OnColumn("site_id").Ascending().OnColumn("opened_ms").Ascending();
    }
}

/// <summary>
/// What an acknowledgement did: the alarms it acknowledged, and those someone else had acknowledged first (as stored,
/// with who and when), which it left as they were.
/// </summary>
public sealed record Acknowledgement(IReadOnlyList<AlarmView> Acknowledged, IReadOnlyList<AlarmView> AlreadyAcknowledged);

/// <summary>A filter on the alarm history; nulls match everything.</summary>
public sealed record AlarmFilter(string? State = AlarmStates.Active, string? Site = null, string? Severity = null, DateTimeOffset? Since = null, int Limit = 500);

/// <summary>
/// Alarms: one active alarm at most per site, device and kind, opened and cleared by the status engine's signals,
/// acknowledged by engineers (who, when, a note; several at once), kept as history in the NOC's database.
/// The active ones are also held in memory, so the engine's signals cost no read and the board counts them for free.
/// Every change, once stored, goes to the <see cref="IAlarmObserver"/>s (the webhook, the live dashboards).
/// </summary>
public sealed class AlarmService(ServiceDatabase database, TimeProvider time, IEnumerable<IAlarmObserver> observers)
{
    public const int MaxNoteLength = 2000;

    /// <summary>The alarms' table on the NOC's database.</summary>
    public static readonly DatabaseFeature Feature = new(typeof(AlarmsTable).Assembly, "alarms", 1);

    private const string Columns = """
        id AS Id, site_id AS Site, device AS Device, kind AS Kind, severity AS Severity, state AS State, message AS Message, opened_ms AS OpenedMs,
        cleared_ms AS ClearedMs, acknowledged_by AS AcknowledgedBy, acknowledged_ms AS AcknowledgedMs, note AS Note, suppressed_by AS SuppressedBy
        """;

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

        List<AlarmView> changed = await database.WriteAsync(async (connection, transaction) =>
        {
            var result = new List<AlarmView>();
            foreach (AlarmSignal signal in opens)
            {
                bool clearedAtOnce = !signal.Open;
                string state = clearedAtOnce ? AlarmStates.Cleared : AlarmStates.Open;
                long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                    INSERT INTO alarms (site_id, device, kind, severity, state, message, opened_ms, cleared_ms, suppressed_by)
                    VALUES (@Site, @Device, @Kind, @Severity, @state, @Message, @now, @cleared, @SuppressedBy) RETURNING id
                    """, new { signal.Site, signal.Device, signal.Kind, signal.Severity, state, signal.Message, now, cleared = clearedAtOnce ? now : (long?)null, signal.SuppressedBy },
                    transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(now);
                result.Add(new AlarmView(id, signal.Site, signal.Device, signal.Kind, signal.Severity, state,
                    signal.Message, at, clearedAtOnce ? at : null, null, null, null, signal.SuppressedBy));
            }

            if (clears.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition("UPDATE alarms SET state = 'cleared', cleared_ms = @now WHERE id = @Id AND state <> 'cleared'",
                    clears.Select(a => new { a.Id, now }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                result.AddRange(clears.Select(a => a with { State = AlarmStates.Cleared, ClearedAt = DateTimeOffset.FromUnixTimeMilliseconds(now) }));
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

    /// <summary>
    /// Acknowledges open alarms by id, each once: an alarm another engineer acknowledged first (on this node or another)
    /// keeps that acknowledgement and comes back in <see cref="Acknowledgement.AlreadyAcknowledged"/>; cleared or unknown
    /// ids are skipped.
    /// </summary>
    public async Task<Acknowledgement> AcknowledgeAsync(IReadOnlyCollection<long> ids, string user, string? note, CancellationToken cancellationToken)
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

        long[] targets;
        lock (_lock)
        {
            var wanted = ids.ToHashSet();
            targets = [.. _active.Values.Where(a => wanted.Contains(a.Id)).Select(a => a.Id)];
        }

        if (targets.Length == 0)
        {
            return new Acknowledgement([], []);
        }

        DateTimeOffset now = time.GetUtcNow();
        // One statement: of two engineers acknowledging an alarm at once (two nodes, or two requests here), the one whose
        // update finds it still open wins; the other's finds it acknowledged, and reads who did it.
        // Dapper spreads a list into IN (...) on SQLite and passes it as one array to PostgreSQL.
        string anyTarget = database.Dialect("id IN @targets", "id = ANY(@targets)"), anyOther = database.Dialect("id IN @others", "id = ANY(@others)");
        (HashSet<long> won, List<AlarmRow> lost) = await database.WriteAsync(async (connection, transaction) =>
        {
            var won = (await connection.QueryAsync<long>(new CommandDefinition($"""
                UPDATE alarms SET state = 'acknowledged', acknowledged_by = @user, acknowledged_ms = @at, note = @note
                WHERE {anyTarget} AND state = 'open' RETURNING id
                """, new { user, at = now.ToUnixTimeMilliseconds(), note, targets }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet();
            long[] others = [.. targets.Where(id => !won.Contains(id))];
            List<AlarmRow> lost = others.Length == 0 ? [] : [.. await connection.QueryAsync<AlarmRow>(new CommandDefinition(
                $"SELECT {Columns} FROM alarms WHERE {anyOther}", new { others }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)];
            return (won, lost);
        }, cancellationToken).ConfigureAwait(false);

        var acknowledged = new List<AlarmView>();
        var already = new List<AlarmView>();
        lock (_lock)
        {
            foreach (AlarmView current in _active.Values.Where(a => won.Contains(a.Id)).ToList())
            {
                AlarmView updated = current with { State = AlarmStates.Acknowledged, AcknowledgedBy = user, AcknowledgedAt = now, Note = note };
                SetActive((current.Site, current.Device, current.Kind), updated);
                acknowledged.Add(updated);
            }

            foreach (AlarmView stored in lost.Select(r => r.ToView()).Where(a => a.State == AlarmStates.Acknowledged))
            {
                var key = (stored.Site, stored.Device, stored.Kind);
                if (_active.TryGetValue(key, out AlarmView? current) && current.Id == stored.Id)
                {
                    SetActive(key, stored);
                }

                already.Add(stored);
            }
        }

        Tell(acknowledged);
        return new Acknowledgement(acknowledged, already);
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
    public async Task<IReadOnlyList<AlarmView>> QueryAsync(AlarmFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        switch (filter.State)
        {
            case null or "" or "all":
                break;
            case AlarmStates.Active:
                where.Add("state IN ('open', 'acknowledged')");
                break;
            default:
                where.Add("state = @state");
                parameters.Add("state", filter.State);
                break;
        }

        if (!string.IsNullOrEmpty(filter.Site))
        {
            where.Add("site_id = @site");
            parameters.Add("site", filter.Site);
        }

        if (!string.IsNullOrEmpty(filter.Severity))
        {
            where.Add("severity = @severity");
            parameters.Add("severity", filter.Severity);
        }

        if (filter.Since is DateTimeOffset since)
        {
            where.Add("opened_ms >= @since");
            parameters.Add("since", since.ToUnixTimeMilliseconds());
        }

        parameters.Add("limit", Math.Max(1, filter.Limit));
        string sql = $"""
            SELECT {Columns}
            FROM alarms {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY opened_ms DESC, id DESC LIMIT @limit
            """;
        IEnumerable<AlarmRow> rows = await database.ReadAsync(connection => connection.QueryAsync<AlarmRow>(new CommandDefinition(
            sql, parameters, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToView())];
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

    private sealed class AlarmRow
    {
        public long Id { get; set; }

        public string Site { get; set; } = "";

        public string? Device { get; set; }

        public string Kind { get; set; } = "";

        public string Severity { get; set; } = "";

        public string State { get; set; } = "";

        public string Message { get; set; } = "";

        public long OpenedMs { get; set; }

        public long? ClearedMs { get; set; }

        public string? AcknowledgedBy { get; set; }

        public long? AcknowledgedMs { get; set; }

        public string? Note { get; set; }

        public string? SuppressedBy { get; set; }

        public AlarmView ToView() => new(Id, Site, Device, Kind, Severity, State, Message, DateTimeOffset.FromUnixTimeMilliseconds(OpenedMs),
            Instant(ClearedMs), AcknowledgedBy, Instant(AcknowledgedMs), Note, SuppressedBy);

        private static DateTimeOffset? Instant(long? ms) => ms is long value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
    }
}
