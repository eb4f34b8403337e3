using System.Data.Common;
using System.Globalization;
using Dapper;
using FluentMigrator;
using Network.Storage;

namespace Network.Noc.Plan;

/// <summary>The rollout plan: targets per year and programme, and the planned sites. Money in cents, days as ISO dates.</summary>
[Migration(2026120740, "Plan: targets and planned sites")]
public sealed class PlanTables : ServiceMigration
{
    public override void Up()
    {
        Create.Table("plan_targets")
            .WithColumn("year").AsInt32().NotNullable().PrimaryKey()
            .WithColumn("programme").AsString().NotNullable().PrimaryKey()
            .WithColumn("sites_to_add").AsInt32().NotNullable()
            .WithColumn("budget_cents").AsInt64().NotNullable()
            .WithColumn("schools_total").AsInt32().Nullable()
            .WithColumn("updated_by").AsString().NotNullable()
            .WithColumn("updated_ms").AsInt64().NotNullable();
        Create.Table("plan_sites")
            .WithColumn("site_id").AsString().NotNullable().PrimaryKey()
            .WithColumn("programme").AsString().NotNullable()
            .WithColumn("year").AsInt32().NotNullable()
            .WithColumn("quarter").AsInt32().NotNullable()
            .WithColumn("estimated_cents").AsInt64().Nullable()
            .WithColumn("actual_cents").AsInt64().Nullable()
            .WithColumn("responsible").AsString().NotNullable()
            .WithColumn("note").AsString().NotNullable()
            .WithColumn("state").AsString().NotNullable()
            .WithColumn("planned_on").AsString().Nullable()
            .WithColumn("ordered_on").AsString().Nullable()
            .WithColumn("installing_on").AsString().Nullable()
            .WithColumn("active_on").AsString().Nullable()
            .WithColumn("retired_on").AsString().Nullable()
            .WithColumn("network_changed_ms").AsInt64().Nullable()
            .WithColumn("updated_by").AsString().NotNullable()
            .WithColumn("updated_ms").AsInt64().NotNullable();
        Create.Index("plan_sites_by_year").OnTable("plan_sites").OnColumn("year").Ascending();
    }
}

/// <summary>The plan's SQL on the NOC's database (<see cref="ServiceDatabase"/>, SQLite or PostgreSQL).</summary>
public static class PlanStore
{
    private const string EntryColumns = """
        site_id AS Site, programme AS Programme, year AS Year, quarter AS Quarter, estimated_cents AS EstimatedCents, actual_cents AS ActualCents,
        responsible AS Responsible, note AS Note, state AS State, planned_on AS PlannedOn, ordered_on AS OrderedOn, installing_on AS InstallingOn,
        active_on AS ActiveOn, retired_on AS RetiredOn, network_changed_ms AS NetworkChangedMs, updated_by AS UpdatedBy, updated_ms AS UpdatedMs
        """;

    public static async Task<IReadOnlyList<PlanTarget>> TargetsAsync(DbConnection connection, int? year, CancellationToken cancellationToken)
    {
        IEnumerable<TargetRow> rows = await connection.QueryAsync<TargetRow>(new CommandDefinition($"""
            SELECT year AS Year, programme AS Programme, sites_to_add AS SitesToAdd, budget_cents AS BudgetCents, schools_total AS SchoolsTotal,
                updated_by AS UpdatedBy, updated_ms AS UpdatedMs
            FROM plan_targets {(year is null ? "" : "WHERE year = @year")} ORDER BY year, programme
            """, new { year }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new PlanTarget(r.Year, r.Programme, r.SitesToAdd, r.BudgetCents / 100m, r.SchoolsTotal, r.UpdatedBy,
            DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedMs)))];
    }

    public static Task SaveTargetAsync(DbConnection connection, DbTransaction transaction, PlanTarget target, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO plan_targets (year, programme, sites_to_add, budget_cents, schools_total, updated_by, updated_ms)
            VALUES (@Year, @Programme, @SitesToAdd, @budget, @SchoolsTotal, @UpdatedBy, @updated)
            ON CONFLICT (year, programme) DO UPDATE SET sites_to_add = excluded.sites_to_add, budget_cents = excluded.budget_cents,
                schools_total = excluded.schools_total, updated_by = excluded.updated_by, updated_ms = excluded.updated_ms
            """, new { target.Year, target.Programme, target.SitesToAdd, budget = Cents(target.Budget), target.SchoolsTotal, target.UpdatedBy,
                updated = target.UpdatedAt.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));

    /// <summary>The entries of a year (every year when null), or of one site.</summary>
    public static async Task<IReadOnlyList<PlanEntry>> EntriesAsync(DbConnection connection, DbTransaction? transaction, int? year, string? site,
        CancellationToken cancellationToken)
    {
        string where = (year, site) switch
        {
            (null, null) => "",
            (_, null) => "WHERE year = @year",
            (null, _) => "WHERE site_id = @site",
            _ => "WHERE year = @year AND site_id = @site",
        };
        IEnumerable<EntryRow> rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"SELECT {EntryColumns} FROM plan_sites {where} ORDER BY site_id", new { year, site }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>The ids of the sites still waiting for the network (planned, ordered, installing).</summary>
    public static async Task<IReadOnlyList<string>> WaitingAsync(DbConnection connection, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT site_id FROM plan_sites WHERE state IN ('planned', 'ordered', 'installing')", cancellationToken: cancellationToken)).ConfigureAwait(false)];

    public static Task SaveEntryAsync(DbConnection connection, DbTransaction transaction, PlanEntry entry, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO plan_sites (site_id, programme, year, quarter, estimated_cents, actual_cents, responsible, note, state, planned_on, ordered_on,
                installing_on, active_on, retired_on, network_changed_ms, updated_by, updated_ms)
            VALUES (@Site, @Programme, @Year, @Quarter, @estimated, @actual, @Responsible, @Note, @State, @planned, @ordered, @installing, @active,
                @retired, @network, @UpdatedBy, @updated)
            ON CONFLICT (site_id) DO UPDATE SET programme = excluded.programme, year = excluded.year, quarter = excluded.quarter,
                estimated_cents = excluded.estimated_cents, actual_cents = excluded.actual_cents, responsible = excluded.responsible, note = excluded.note,
                state = excluded.state, planned_on = excluded.planned_on, ordered_on = excluded.ordered_on, installing_on = excluded.installing_on,
                active_on = excluded.active_on, retired_on = excluded.retired_on, network_changed_ms = excluded.network_changed_ms,
                updated_by = excluded.updated_by, updated_ms = excluded.updated_ms
            """, new
            {
                entry.Site, entry.Programme, entry.Year, entry.Quarter, estimated = Cents(entry.EstimatedCost), actual = Cents(entry.ActualCost),
                entry.Responsible, entry.Note, entry.State, planned = Day(entry.Dates.Planned), ordered = Day(entry.Dates.Ordered),
                installing = Day(entry.Dates.Installing), active = Day(entry.Dates.Active), retired = Day(entry.Dates.Retired),
                network = entry.ChangedByNetworkAt?.ToUnixTimeMilliseconds(), entry.UpdatedBy, updated = entry.UpdatedAt.ToUnixTimeMilliseconds(),
            }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Makes a waiting site active on <paramref name="day"/>, marked as the network's doing; one statement that only
    /// moves a site still waiting, so two nodes seeing the first report at once change it once. True when it moved.
    /// </summary>
    public static async Task<bool> ActivateAsync(DbConnection connection, DbTransaction transaction, string site, DateOnly day, DateTimeOffset at,
        CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE plan_sites SET state = 'active', active_on = @day, network_changed_ms = @at, updated_by = 'network', updated_ms = @at
            WHERE site_id = @site AND state IN ('planned', 'ordered', 'installing')
            """, new { site, day = Day(day), at = at.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;

    public static async Task<bool> DeleteEntryAsync(DbConnection connection, DbTransaction transaction, string site, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM plan_sites WHERE site_id = @site", new { site }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;

    /// <summary>The years with targets or sites, newest first.</summary>
    public static async Task<IReadOnlyList<int>> YearsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT year FROM plan_targets UNION SELECT year FROM plan_sites ORDER BY 1 DESC", cancellationToken: cancellationToken)).ConfigureAwait(false)];

    private static long? Cents(decimal? amount) => amount is decimal value ? decimal.ToInt64(decimal.Round(value * 100, MidpointRounding.AwayFromZero)) : null;

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? ReadDay(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class TargetRow
    {
        public int Year { get; set; }

        public string Programme { get; set; } = "";

        public int SitesToAdd { get; set; }

        public long BudgetCents { get; set; }

        public int? SchoolsTotal { get; set; }

        public string UpdatedBy { get; set; } = "";

        public long UpdatedMs { get; set; }
    }

    private sealed class EntryRow
    {
        public string Site { get; set; } = "";

        public string Programme { get; set; } = "";

        public int Year { get; set; }

        public int Quarter { get; set; }

        public long? EstimatedCents { get; set; }

        public long? ActualCents { get; set; }

        public string Responsible { get; set; } = "";

        public string Note { get; set; } = "";

        public string State { get; set; } = "";

        public string? PlannedOn { get; set; }

        public string? OrderedOn { get; set; }

        public string? InstallingOn { get; set; }

        public string? ActiveOn { get; set; }

        public string? RetiredOn { get; set; }

        public long? NetworkChangedMs { get; set; }

        public string UpdatedBy { get; set; } = "";

        public long UpdatedMs { get; set; }

        public PlanEntry ToEntry() => new(Site, Programme, Year, Quarter, EstimatedCents / 100m, ActualCents / 100m, Responsible, Note, State,
            new PlanDates(ReadDay(PlannedOn), ReadDay(OrderedOn), ReadDay(InstallingOn), ReadDay(ActiveOn), ReadDay(RetiredOn)),
            NetworkChangedMs is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, UpdatedBy, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedMs));
    }
}
