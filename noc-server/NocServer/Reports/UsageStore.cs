using System.Data.Common;
using Dapper;
using FluentMigrator;
using Network.Contracts;
using Network.Storage;

namespace Network.Noc.Reports;

/// <summary>The portal's figures per hotspot and month, as the hotspot's own (never a device's).</summary>
[Migration(2026120780, "Reports: hotspot months")]
public sealed class HotspotMonthsTable : ServiceMigration
{
    public override void Up() =>
        Create.Table("hotspot_months")
            .WithColumn("site_id").AsString().NotNullable().PrimaryKey()
            .WithColumn("month").AsString().NotNullable().PrimaryKey()
            .WithColumn("figures_ms").AsInt64().NotNullable()
            .WithColumn("sessions").AsInt64().NotNullable()
            .WithColumn("logins").AsInt64().NotNullable()
            .WithColumn("registrations").AsInt64().NotNullable()
            .WithColumn("octets").AsInt64().NotNullable()
            .WithColumn("peak_users").AsInt64().NotNullable()
            .WithColumn("peak_ms").AsInt64().Nullable()
            .WithColumn("users_sketch").AsBinary(UserCountSketch.Size).Nullable();
}

/// <summary>
/// The portal's device that older NOCs registered at every site (<see cref="DeviceNames.LegacyPortal"/>) goes: the portal's
/// figures are the hotspot's. Where it had become a site's uplink, the first other device (by name) takes that place.
/// </summary>
[Migration(2026120781, "Reports: no portal device at the sites")]
public sealed class NoPortalDevice : ServiceMigration
{
    public override void Up()
    {
        const string Portal = DeviceNames.LegacyPortal;
        Execute.Sql($"""
            UPDATE devices SET role = 'uplink', parent = NULL
            WHERE parent = '{Portal}' AND name = (SELECT min(d.name) FROM devices d WHERE d.site_id = devices.site_id AND d.parent = '{Portal}')
              AND EXISTS (SELECT 1 FROM devices p WHERE p.site_id = devices.site_id AND p.name = '{Portal}' AND p.role = 'uplink');
            """);
        Execute.Sql($"""
            UPDATE devices SET parent = (SELECT u.name FROM devices u WHERE u.site_id = devices.site_id AND u.role = 'uplink' AND u.name <> '{Portal}')
            WHERE parent = '{Portal}';
            """);
        Execute.Sql($"DELETE FROM devices WHERE name = '{Portal}';");
    }
}

/// <summary>One hotspot's month as stored: the month's totals so far, the busiest moment, the distinct users' sketch.</summary>
public sealed record HotspotMonth(
    string Site, string Month, long Sessions, long Logins, long Registrations, long Octets, long PeakUsers, DateTimeOffset? PeakAt, UserCountSketch? Users);

/// <summary>The month totals the portal sent for one hotspot at one instant (<see cref="MetricNames.SessionsMonth"/> and the others).</summary>
public sealed record MonthTotals(string Site, string Month, long AtMs, long? Sessions, long? Logins, long? Registrations, long? Octets);

/// <summary>
/// The hotspots' months in the NOC's database (<see cref="ServiceDatabase"/>, SQLite or PostgreSQL). Every write is
/// idempotent and order-proof: totals are the month so far, so the latest sent wins; the peak keeps the highest; sketches
/// merge register by register. A batch replayed, or a NOC node that missed one, changes nothing that the next report does not mend.
/// </summary>
public sealed class UsageStore(ServiceDatabase database)
{
    /// <summary>The reports' tables on the NOC's database.</summary>
    public static readonly DatabaseFeature Feature = new(typeof(HotspotMonthsTable).Assembly);

    /// <summary>Stores what one batch brought: totals, users online (for the peak) and sketches.</summary>
    public Task RecordAsync(IReadOnlyList<MonthTotals> totals, IReadOnlyList<(string Site, string Month, long AtMs, long Users)> online,
        IReadOnlyList<(string Site, string Month, UserCountSketch Sketch)> sketches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(online);
        ArgumentNullException.ThrowIfNull(sketches);
        if (totals.Count == 0 && online.Count == 0 && sketches.Count == 0)
        {
            return Task.CompletedTask;
        }

        string greatest = database.Dialect("max", "greatest");
        return database.WriteAsync(async (connection, transaction) =>
        {
            foreach (MonthTotals t in totals)
            {
                await EnsureAsync(connection, transaction, t.Site, t.Month, cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE hotspot_months SET figures_ms = @AtMs,
                        sessions = coalesce(@Sessions, sessions), logins = coalesce(@Logins, logins),
                        registrations = coalesce(@Registrations, registrations), octets = coalesce(@Octets, octets)
                    WHERE site_id = @Site AND month = @Month AND figures_ms <= @AtMs
                    """, t, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            foreach ((string site, string month, long atMs, long users) in online)
            {
                await EnsureAsync(connection, transaction, site, month, cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition($"""
                    UPDATE hotspot_months SET peak_ms = CASE WHEN @users > peak_users OR peak_ms IS NULL THEN @atMs ELSE peak_ms END,
                        peak_users = {greatest}(peak_users, @users)
                    WHERE site_id = @site AND month = @month
                    """, new { site, month, atMs, users }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            foreach ((string site, string month, UserCountSketch sketch) in sketches)
            {
                await EnsureAsync(connection, transaction, site, month, cancellationToken).ConfigureAwait(false);
                byte[]? stored = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
                    "SELECT users_sketch FROM hotspot_months WHERE site_id = @site AND month = @month", new { site, month }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                UserCountSketch merged = (stored is null ? null : UserCountSketch.FromArray(stored)) ?? new UserCountSketch();
                merged.Merge(sketch);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE hotspot_months SET users_sketch = @registers WHERE site_id = @site AND month = @month",
                    new { site, month, registers = merged.ToArray() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>Every hotspot's months from <paramref name="first"/> to <paramref name="last"/> (<c>yyyy-MM</c>, both included), by site and month.</summary>
    public Task<IReadOnlyList<HotspotMonth>> MonthsAsync(string first, string last, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<HotspotMonth>>(async connection =>
        {
            IEnumerable<Row> rows = await connection.QueryAsync<Row>(new CommandDefinition("""
                SELECT site_id AS Site, month AS Month, sessions AS Sessions, logins AS Logins, registrations AS Registrations, octets AS Octets,
                    peak_users AS PeakUsers, peak_ms AS PeakMs, users_sketch AS Sketch
                FROM hotspot_months WHERE month >= @first AND month <= @last ORDER BY site_id, month
                """, new { first, last }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => new HotspotMonth(r.Site, r.Month, r.Sessions, r.Logins, r.Registrations, r.Octets, r.PeakUsers,
                r.PeakMs is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, r.Sketch is null ? null : UserCountSketch.FromArray(r.Sketch)))];
        }, cancellationToken);

    private static Task<int> EnsureAsync(DbConnection connection, DbTransaction transaction, string site, string month, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO hotspot_months (site_id, month, figures_ms, sessions, logins, registrations, octets, peak_users)
            VALUES (@site, @month, 0, 0, 0, 0, 0, 0) ON CONFLICT DO NOTHING
            """, new { site, month }, transaction, cancellationToken: cancellationToken));

    private sealed class Row
    {
        public string Site { get; set; } = "";

        public string Month { get; set; } = "";

        public long Sessions { get; set; }

        public long Logins { get; set; }

        public long Registrations { get; set; }

        public long Octets { get; set; }

        public long PeakUsers { get; set; }

        public long? PeakMs { get; set; }

        public byte[]? Sketch { get; set; }
    }
}
