using System.Text.Json;
using Dapper;
using FluentMigrator;
using Network.Storage;

namespace Network.Noc.Sla;

/// <summary>The schools' own SLA values; a null column keeps the programme's default.</summary>
[Migration(2026120730, "SLA: per-school overrides")]
public sealed class SlaOverridesTable : ServiceMigration
{
    public override void Up() =>
        Create.Table("sla_overrides")
            .WithColumn("site_id").AsString().NotNullable().PrimaryKey()
            .WithColumn("committed_down_mbps").AsDouble().Nullable()
            .WithColumn("committed_up_mbps").AsDouble().Nullable()
            .WithColumn("availability_objective").AsDouble().Nullable()
            .WithColumn("hours").AsString().Nullable()
            .WithColumn("excluded").AsString().Nullable()
            .WithColumn("latency_objective_ms").AsDouble().Nullable()
            .WithColumn("loss_objective").AsDouble().Nullable()
            .WithColumn("credits").AsString().Nullable()
            .WithColumn("monthly_fee_cents").AsInt64().Nullable()
            .WithColumn("active_from_ms").AsInt64().Nullable()
            .WithColumn("updated_by").AsString().NotNullable()
            .WithColumn("updated_ms").AsInt64().NotNullable();
}

/// <summary>Maintenance windows and the sites each covers.</summary>
[Migration(2026120731, "SLA: maintenance windows")]
public sealed class MaintenanceWindowsTable : ServiceMigration
{
    public override void Up()
    {
        Create.Table("maintenance_windows")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
            .WithColumn("starts_ms").AsInt64().NotNullable()
            .WithColumn("ends_ms").AsInt64().NotNullable()
            .WithColumn("reason").AsString().NotNullable()
            .WithColumn("created_by").AsString().NotNullable()
            .WithColumn("created_ms").AsInt64().NotNullable()
            .WithColumn("after_the_fact").AsBoolean().NotNullable();
        Create.Index("maintenance_windows_by_end").OnTable("maintenance_windows").OnColumn("ends_ms").Ascending();
        Create.Table("maintenance_window_sites")
            .WithColumn("window_id").AsInt64().NotNullable().PrimaryKey().ForeignKey("maintenance_windows", "id")
            .WithColumn("site_id").AsString().NotNullable().PrimaryKey();
        Create.Index("maintenance_window_sites_by_site").OnTable("maintenance_window_sites").OnColumn("site_id").Ascending();
    }
}

/// <summary>A maintenance window: planned downtime of one or many sites, excluded from their availability.</summary>
public sealed record MaintenanceWindow(
    long Id, IReadOnlyList<string> Sites, DateTimeOffset Start, DateTimeOffset End, string Reason, string CreatedBy, DateTimeOffset CreatedAt, bool AfterTheFact);

/// <summary>A school's stored SLA values, with who changed them last.</summary>
public sealed record StoredSlaOverride(string Site, SlaOverride Values, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>The SLA feature's tables in the NOC's database (<see cref="ServiceDatabase"/>, SQLite or PostgreSQL).</summary>
public sealed class SlaStore(ServiceDatabase database)
{
    /// <summary>The SLA's tables on the NOC's database.</summary>
    public static readonly DatabaseFeature Feature = new(typeof(SlaOverridesTable).Assembly);

    /// <summary>Stores (or replaces) a school's values.</summary>
    public Task SaveOverrideAsync(string site, SlaOverride values, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var row = new
        {
            site,
            down = values.CommittedDownMbps,
            up = values.CommittedUpMbps,
            objective = values.AvailabilityObjectivePercent,
            hours = Json(values.Hours),
            excluded = Json(values.Excluded),
            latency = values.LatencyObjectiveMs,
            loss = values.LossObjectivePercent,
            credits = values.Credits is null ? null : JsonSerializer.Serialize(values.Credits, SlaJsonContext.Default.IReadOnlyListCreditStep),
            fee = values.MonthlyFee is decimal fee ? (long?)decimal.ToInt64(decimal.Round(fee * 100)) : null,
            activeFrom = values.ActiveFrom?.ToUnixTimeMilliseconds(),
            user,
            now = at.ToUnixTimeMilliseconds(),
        };
        return database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO sla_overrides (site_id, committed_down_mbps, committed_up_mbps, availability_objective, hours, excluded, latency_objective_ms,
                loss_objective, credits, monthly_fee_cents, active_from_ms, updated_by, updated_ms)
            VALUES (@site, @down, @up, @objective, @hours, @excluded, @latency, @loss, @credits, @fee, @activeFrom, @user, @now)
            ON CONFLICT (site_id) DO UPDATE SET committed_down_mbps = excluded.committed_down_mbps, committed_up_mbps = excluded.committed_up_mbps,
                availability_objective = excluded.availability_objective, hours = excluded.hours, excluded = excluded.excluded,
                latency_objective_ms = excluded.latency_objective_ms, loss_objective = excluded.loss_objective, credits = excluded.credits,
                monthly_fee_cents = excluded.monthly_fee_cents, active_from_ms = excluded.active_from_ms, updated_by = excluded.updated_by,
                updated_ms = excluded.updated_ms
            """, row, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Every school's stored values, by site.</summary>
    public async Task<IReadOnlyDictionary<string, StoredSlaOverride>> OverridesAsync(CancellationToken cancellationToken)
    {
        IEnumerable<OverrideRow> rows = await database.ReadAsync(connection => connection.QueryAsync<OverrideRow>(new CommandDefinition("""
            SELECT site_id AS Site, committed_down_mbps AS Down, committed_up_mbps AS Up, availability_objective AS Objective, hours AS Hours,
                excluded AS Excluded, latency_objective_ms AS Latency, loss_objective AS Loss, credits AS Credits, monthly_fee_cents AS FeeCents,
                active_from_ms AS ActiveFrom, updated_by AS UpdatedBy, updated_ms AS UpdatedMs
            FROM sla_overrides
            """, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Site, r => new StoredSlaOverride(r.Site, new SlaOverride(r.Down, r.Up, r.Objective, List(r.Hours), List(r.Excluded),
            r.Latency, r.Loss, r.Credits is null ? null : JsonSerializer.Deserialize(r.Credits, SlaJsonContext.Default.IReadOnlyListCreditStep),
            r.FeeCents is long cents ? cents / 100m : null, r.ActiveFrom is long from ? DateTimeOffset.FromUnixTimeMilliseconds(from) : null),
            r.UpdatedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedMs)), StringComparer.Ordinal);
    }

    /// <summary>Stores a new window with its sites; returns its id.</summary>
    public Task<long> AddWindowAsync(IReadOnlyList<string> sites, DateTimeOffset start, DateTimeOffset end, string reason, string user, DateTimeOffset at,
        bool afterTheFact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sites);
        return database.WriteAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO maintenance_windows (starts_ms, ends_ms, reason, created_by, created_ms, after_the_fact)
                VALUES (@start, @end, @reason, @user, @at, @afterTheFact) RETURNING id
                """, new { start = start.ToUnixTimeMilliseconds(), end = end.ToUnixTimeMilliseconds(), reason, user, at = at.ToUnixTimeMilliseconds(), afterTheFact },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition("INSERT INTO maintenance_window_sites (window_id, site_id) VALUES (@id, @site)",
                sites.Select(site => new { id, site }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return id;
        }, cancellationToken);
    }

    /// <summary>The windows that overlap [<paramref name="from"/>, <paramref name="to"/>), of one site or all, oldest first.</summary>
    public async Task<IReadOnlyList<MaintenanceWindow>> WindowsAsync(DateTimeOffset from, DateTimeOffset to, string? site, CancellationToken cancellationToken)
    {
        var parameters = new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), site };
        IEnumerable<WindowRow> rows = await database.ReadAsync(connection => connection.QueryAsync<WindowRow>(new CommandDefinition($"""
            SELECT w.id AS Id, w.starts_ms AS StartMs, w.ends_ms AS EndMs, w.reason AS Reason, w.created_by AS CreatedBy, w.created_ms AS CreatedMs,
                w.after_the_fact AS AfterTheFact, s.site_id AS Site
            FROM maintenance_windows w JOIN maintenance_window_sites s ON s.window_id = w.id
            WHERE w.ends_ms > @from AND w.starts_ms < @to
                {(site is null ? "" : "AND w.id IN (SELECT window_id FROM maintenance_window_sites WHERE site_id = @site)")}
            ORDER BY w.starts_ms, w.id, s.site_id
            """, parameters, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.GroupBy(r => r.Id).Select(g =>
        {
            WindowRow first = g.First();
            return new MaintenanceWindow(first.Id, [.. g.Select(r => r.Site)], DateTimeOffset.FromUnixTimeMilliseconds(first.StartMs),
                DateTimeOffset.FromUnixTimeMilliseconds(first.EndMs), first.Reason, first.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(first.CreatedMs),
                first.AfterTheFact);
        })];
    }

    private static string? Json(IReadOnlyList<string>? lines) => lines is null ? null : JsonSerializer.Serialize(lines, SlaJsonContext.Default.IReadOnlyListString);

    private static IReadOnlyList<string>? List(string? json) => json is null ? null : JsonSerializer.Deserialize(json, SlaJsonContext.Default.IReadOnlyListString);

    private sealed class OverrideRow
    {
        public string Site { get; set; } = "";

        public double? Down { get; set; }

        public double? Up { get; set; }

        public double? Objective { get; set; }

        public string? Hours { get; set; }

        public string? Excluded { get; set; }

        public double? Latency { get; set; }

        public double? Loss { get; set; }

        public string? Credits { get; set; }

        public long? FeeCents { get; set; }

        public long? ActiveFrom { get; set; }

        public string UpdatedBy { get; set; } = "";

        public long UpdatedMs { get; set; }
    }

    private sealed class WindowRow
    {
        public long Id { get; set; }

        public long StartMs { get; set; }

        public long EndMs { get; set; }

        public string Reason { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public long CreatedMs { get; set; }

        public bool AfterTheFact { get; set; }

        public string Site { get; set; } = "";
    }
}
