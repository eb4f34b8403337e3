using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Csv;
using Network.Noc.Inventory;
using Network.Noc.Sla;

namespace Network.Noc.Reports;

/// <summary>
/// What a hotspot, a commune or the network did in a period: availability (null when nothing was measured), sessions,
/// distinct users (estimated from the merged sketches, about 3 % off), logins, registrations, octets in and out, and
/// the most users online at once (the busy hour's).
/// </summary>
public sealed record UsageFigures(double? AvailabilityPercent, long Sessions, long Users, long Logins, long Registrations, long Octets, long PeakUsers);

/// <summary>One hotspot's figures in the period.</summary>
public sealed record HotspotUsage(string Site, string Name, string Commune, UsageFigures Figures);

/// <summary>One commune's figures: its hotspots together (distinct users counted once across them).</summary>
public sealed record CommuneUsage(string Commune, int Hotspots, UsageFigures Figures);

/// <summary>The network in one month of the period.</summary>
public sealed record MonthUsage(string Month, UsageFigures Figures);

/// <summary>
/// The hotspots' use and uptime from <see cref="From"/> to <see cref="To"/> (months, both included): the network, month by
/// month, per commune, per hotspot (by site id), and the ten hotspots with the most and the fewest sessions.
/// </summary>
public sealed record UsageReport(
    string From,
    string To,
    UsageFigures Network,
    IReadOnlyList<MonthUsage> Months,
    IReadOnlyList<CommuneUsage> Communes,
    IReadOnlyList<HotspotUsage> Hotspots,
    IReadOnlyList<HotspotUsage> Top,
    IReadOnlyList<HotspotUsage> Bottom);

/// <summary>
/// The hotspots' figures for a period: use from <see cref="UsageStore"/> (the portal's reports), availability from the
/// status history the alarms keep, computed by <see cref="SlaMath"/> as the school SLA does, over every hour of the month
/// (<see cref="SlaSchedule.AllHours"/>), maintenance excluded, without objectives or credits. A hotspot's month with
/// neither a figure from the portal nor an alarm counts as not measured (no availability rather than a made-up 100 %).
/// </summary>
public sealed class UsageReports(UsageStore store, InventoryService inventory, AlarmService alarms, SlaStore sla, IOptions<SlaOptions> options, TimeProvider time)
{
    /// <summary>How many hotspots the top and bottom lists hold.</summary>
    public const int Ranked = 10;

    private readonly SlaDefinition _definition = options.Value.Definition() is SlaDefinition d
        ? d with { Schedule = SlaSchedule.AllHours(d.Schedule.Zone), Credits = [], MonthlyFee = 0 }
        : throw new InvalidOperationException("no SLA definition");

    /// <summary>The zone the months are months of.</summary>
    public TimeZoneInfo Zone => _definition.Schedule.Zone;

    /// <summary>The month it is now in <see cref="Zone"/>.</summary>
    public SlaMonth CurrentMonth()
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone);
        return new SlaMonth(local.Year, local.Month);
    }

    /// <summary>The report for <paramref name="first"/> to <paramref name="last"/> (both included).</summary>
    public Task<UsageReport> ReportAsync(SlaMonth first, SlaMonth last, CancellationToken cancellationToken) => ReportAsync(first, last, null, cancellationToken);

    /// <summary>The report on the sites' status history already read for the same period (<see cref="SlaReports.HistoryAsync"/>), or reading it when null.</summary>
    public async Task<UsageReport> ReportAsync(SlaMonth first, SlaMonth last, ILookup<string, AlarmView>? history, CancellationToken cancellationToken)
    {
        SlaSchedule schedule = _definition.Schedule;
        long from = schedule.MonthStart(first.Year, first.Month), to = schedule.MonthEnd(last.Year, last.Month);
        IReadOnlyList<HotspotMonth> stored = await store.MonthsAsync(first.ToString(), last.ToString(), cancellationToken).ConfigureAwait(false);
        ILookup<string, HotspotMonth> bySite = stored.ToLookup(m => m.Site, StringComparer.Ordinal);
        history ??= await UplinkHistory.ReadAsync(alarms, from, options.Value.IncidentLookback, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<MaintenanceWindow> windows = await sla.WindowsAsync(
            DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), null, cancellationToken).ConfigureAwait(false);

        List<Site> hotspots = [.. inventory.Sites.Values
            .Where(s => s.Kind is SiteKinds.HotspotIndoor or SiteKinds.HotspotOutdoor && s.Lifecycle != Lifecycles.Planned)
            .OrderBy(s => s.Id, StringComparer.Ordinal)];
        var rows = new List<HotspotUsage>(hotspots.Count);
        var totals = new Dictionary<string, Totals>(StringComparer.Ordinal);
        var network = new Totals();
        var months = new SortedDictionary<string, Totals>(StringComparer.Ordinal);
        foreach (Site site in hotspots)
        {
            var own = new Totals();
            Dictionary<string, HotspotMonth> figures = bySite[site.Id].ToDictionary(m => m.Month, StringComparer.Ordinal);
            UplinkPeriods periods = UplinkHistory.Periods(history[site.Id], site.Uplink?.Name);
            List<MaintenancePeriod> siteWindows = [.. windows.Where(w => w.Sites.Contains(site.Id, StringComparer.Ordinal))
                .Select(w => new MaintenancePeriod(w.Id, w.Start.ToUnixTimeMilliseconds(), w.End.ToUnixTimeMilliseconds(), w.AfterTheFact))];
            for (SlaMonth month = first; month <= last; month = month.Next())
            {
                HotspotMonth? figure = figures.GetValueOrDefault(month.ToString());
                (double up, double measured) = Availability(site, month, periods, siteWindows, figure is not null);
                var one = new Totals();
                one.Add(figure, up, measured);
                own.Add(one);
                if (!months.TryGetValue(month.ToString(), out Totals? inMonth))
                {
                    months[month.ToString()] = inMonth = new Totals();
                }

                inMonth.Add(one);
            }

            rows.Add(new HotspotUsage(site.Id, site.Name, site.Commune, own.Figures()));
            if (!totals.TryGetValue(site.Commune, out Totals? commune))
            {
                totals[site.Commune] = commune = new Totals();
            }

            commune.Add(own);
            commune.Hotspots++;
            network.Add(own);
        }

        List<HotspotUsage> ranked = [.. rows.Where(r => inventory.Find(r.Site)?.Lifecycle == Lifecycles.Active)];
        return new UsageReport(first.ToString(), last.ToString(), network.Figures(),
            [.. months.Select(m => new MonthUsage(m.Key, m.Value.Figures()))],
            [.. totals.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new CommuneUsage(c.Key, c.Value.Hotspots, c.Value.Figures()))],
            rows,
            [.. ranked.OrderByDescending(r => r.Figures.Sessions).ThenBy(r => r.Site, StringComparer.Ordinal).Take(Ranked)],
            [.. ranked.OrderBy(r => r.Figures.Sessions).ThenBy(r => r.Site, StringComparer.Ordinal).Take(Ranked)]);
    }

    /// <summary>The hotspots' table as CSV (one row per hotspot).</summary>
    public static string HotspotsCsv(IEnumerable<HotspotUsage> rows) => CsvText.Table(
        ["site", "name", "commune", .. FigureHeader],
        rows.Select(r => (IEnumerable<string>)[CsvText.Field(r.Site), CsvText.Field(r.Name), CsvText.Field(r.Commune), .. Fields(r.Figures)]));

    /// <summary>The communes' table as CSV.</summary>
    public static string CommunesCsv(IEnumerable<CommuneUsage> rows) => CsvText.Table(
        ["commune", "hotspots", .. FigureHeader],
        rows.Select(r => (IEnumerable<string>)[CsvText.Field(r.Commune), CsvText.Number(r.Hotspots), .. Fields(r.Figures)]));

    /// <summary>The network's months as CSV.</summary>
    public static string MonthsCsv(IEnumerable<MonthUsage> rows) => CsvText.Table(
        ["month", .. FigureHeader],
        rows.Select(r => (IEnumerable<string>)[r.Month, .. Fields(r.Figures)]));

    private static readonly string[] FigureHeader =
        ["availability_percent", "sessions", "distinct_users", "logins", "registrations", "octets", "peak_users_online"];

    private static string[] Fields(UsageFigures f) =>
    [
        CsvText.Number(f.AvailabilityPercent), CsvText.Number(f.Sessions), CsvText.Number(f.Users), CsvText.Number(f.Logins),
        CsvText.Number(f.Registrations), CsvText.Number(f.Octets), CsvText.Number(f.PeakUsers),
    ];

    // Up and measured minutes of one hotspot's month, as the SLA maths splits it (nothing measured: both 0).
    private (double Up, double Measured) Availability(Site site, SlaMonth month, UplinkPeriods periods, IReadOnlyList<MaintenancePeriod> windows, bool reported)
    {
        SlaSchedule schedule = _definition.Schedule;
        if (!reported && !periods.Touch(schedule.MonthStart(month.Year, month.Month), schedule.MonthEnd(month.Year, month.Month)))
        {
            return (0, 0);
        }

        SlaDefinition definition = site.InstalledOn is DateOnly installed
            ? _definition with { ActiveFrom = DateTimeOffset.FromUnixTimeMilliseconds(schedule.LocalToUtc(installed.ToDateTime(TimeOnly.MinValue))) }
            : _definition;
        SlaMonthFigures f = SlaMath.Compute(new SlaMonthInput(month.Year, month.Month, definition, time.GetUtcNow().ToUnixTimeMilliseconds(), periods.Down, periods.NoData,
            windows, [], [], [])
        {
            ActiveUntilMs = site.RetiredOn is DateOnly retired ? schedule.LocalToUtc(retired.AddDays(1).ToDateTime(TimeOnly.MinValue)) : null,
        });
        return f.AvailabilityPercent is null
            ? (0, 0)
            : (f.Minutes.Up, f.Minutes.Scheduled - f.Minutes.Maintenance - (definition.NoDataCountsAsDown ? 0 : f.Minutes.NoData));
    }

    /// <summary>Figures being added up: sums, the highest peak, minutes, and the union of the distinct users.</summary>
    private sealed class Totals
    {
        private readonly UserCountSketch _users = new();
        private long _sessions, _logins, _registrations, _octets, _peak;
        private double _up, _measured;

        public int Hotspots { get; set; }

        public void Add(HotspotMonth? month, double up, double measured)
        {
            _up += up;
            _measured += measured;
            if (month is null)
            {
                return;
            }

            _sessions += month.Sessions;
            _logins += month.Logins;
            _registrations += month.Registrations;
            _octets += month.Octets;
            _peak = Math.Max(_peak, month.PeakUsers);
            if (month.Users is UserCountSketch users)
            {
                _users.Merge(users);
            }
        }

        public void Add(Totals other)
        {
            _up += other._up;
            _measured += other._measured;
            _sessions += other._sessions;
            _logins += other._logins;
            _registrations += other._registrations;
            _octets += other._octets;
            _peak = Math.Max(_peak, other._peak);
            _users.Merge(other._users);
        }

        public UsageFigures Figures() =>
            new(_measured > 0 ? _up / _measured * 100 : null, _sessions, _users.Estimate(), _logins, _registrations, _octets, _peak);
    }
}
