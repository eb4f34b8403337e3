using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Csv;
using Network.Noc.Inventory;
using Network.Noc.TimeSeries;

namespace Network.Noc.Sla;

/// <summary>A local month, <c>2026-03</c>.</summary>
public readonly record struct SlaMonth(int Year, int Month) : IComparable<SlaMonth>
{
    public static bool TryParse(string? text, out SlaMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || !DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day)
            || day.Year < 2000 || day.Year > 2100)
        {
            return false;
        }

        month = new SlaMonth(day.Year, day.Month);
        return true;
    }

    public SlaMonth Next() => Month == 12 ? new SlaMonth(Year + 1, 1) : new SlaMonth(Year, Month + 1);

    public int Index => Year * 12 + Month - 1;

    public int CompareTo(SlaMonth other) => Index.CompareTo(other.Index);

    public static bool operator <(SlaMonth left, SlaMonth right) => left.Index < right.Index;

    public static bool operator <=(SlaMonth left, SlaMonth right) => left.Index <= right.Index;

    public static bool operator >(SlaMonth left, SlaMonth right) => left.Index > right.Index;

    public static bool operator >=(SlaMonth left, SlaMonth right) => left.Index >= right.Index;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Month:00}");
}

/// <summary>A school's SLA as the API shows it: what applies, and the school's own values with who set them.</summary>
public sealed record SchoolSla(
    string Site, double CommittedDownMbps, double CommittedUpMbps, double AvailabilityObjectivePercent, IReadOnlyList<string> Hours,
    IReadOnlyList<string> Excluded, string TimeZone, double LatencyObjectiveMs, double LossObjectivePercent, IReadOnlyList<CreditStep> Credits,
    decimal MonthlyFee, double ThroughputTolerancePercent, bool NoDataCountsAsDown, DateTimeOffset? ActiveFrom, SlaOverride? Overrides, string? UpdatedBy,
    DateTimeOffset? UpdatedAt);

/// <summary>One school's month: its SLA, the figures, and the maintenance windows that touched it.</summary>
public sealed record SchoolMonthReport(string Site, string Name, string Month, SchoolSla Sla, SlaMonthFigures Figures, IReadOnlyList<MaintenanceWindow> Maintenance)
{
    /// <summary>The month's throughput tests (hourly means, in time order), for the chart against the committed rate.</summary>
    public IReadOnlyList<ThroughputResult> Throughput { get; init; } = [];
}

/// <summary>One row of the programme report and of its CSV: one school, one month (probe latency and loss are on the school's month).</summary>
public sealed record ProgrammeRow(
    string Site, string Name, string Month, double ScheduledMinutes, double UpMinutes, double DownMinutes, double MaintenanceMinutes, double NoDataMinutes,
    double? AvailabilityPercent, double ObjectivePercent, bool? Met, int Incidents, double? MttrMinutes, double? MtbfMinutes,
    int DownloadTests, int DownloadPassed, double? DownloadP10Mbps, int UploadTests, int UploadPassed, double? UploadP10Mbps, double CreditPercent, decimal CreditAmount, int MaintenanceAfterTheFact);

/// <summary>The programme over a range of months: every school and month, worst first, and the totals.</summary>
public sealed record ProgrammeReport(
    string From, string To, double? AvailabilityPercent, int SchoolMonthsBelowObjective, int SchoolsBelowObjective, decimal CreditTotal,
    IReadOnlyList<ProgrammeRow> Rows);

/// <summary>
/// The SLA reports: a school's month and the programme's months, from the alarms' history (down and no-data periods of
/// the school's uplink), the maintenance windows, the uplink probes and throughput tests in the time series (hourly
/// rollups: two years are kept), and each school's SLA; the maths is <see cref="SlaMath"/>.
/// </summary>
public sealed class SlaReports(SlaStore store, InventoryService inventory, AlarmService alarms, ITimeSeriesReader series, IOptions<SlaOptions> options,
    TimeProvider time)
{
    public const int MaxMonths = 36;

    private static readonly SlaOverride s_none = new();

    private readonly SlaDefinition _defaults = options.Value.Definition();

    /// <summary>The month it is now in the schedule's zone.</summary>
    public SlaMonth CurrentMonth()
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(time.GetUtcNow(), _defaults.Schedule.Zone);
        return new SlaMonth(local.Year, local.Month);
    }

    /// <summary>Whether a site is in the SLA programme (a school).</summary>
    public bool IsSchool(string site) => inventory.Find(site) is { Kind: SiteKinds.School };

    /// <summary>A school's SLA, or null when the site is not a school.</summary>
    public async Task<SchoolSla?> SlaAsync(string site, CancellationToken cancellationToken)
    {
        if (inventory.Find(site) is not { Kind: SiteKinds.School } school)
        {
            return null;
        }

        IReadOnlyDictionary<string, StoredSlaOverride> overrides = await store.OverridesAsync(cancellationToken).ConfigureAwait(false);
        return View(school, overrides.GetValueOrDefault(site));
    }

    /// <summary>Stores a school's own values (the caller has validated them with <see cref="SlaOverride.Problems"/>).</summary>
    public async Task<SchoolSla?> SaveAsync(string site, SlaOverride values, string user, CancellationToken cancellationToken)
    {
        if (!IsSchool(site))
        {
            return null;
        }

        await store.SaveOverrideAsync(site, values, user, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await SlaAsync(site, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One school's month, or null when the site is not a school.</summary>
    public async Task<SchoolMonthReport?> SchoolMonthAsync(string site, SlaMonth month, CancellationToken cancellationToken)
    {
        if (inventory.Find(site) is not { Kind: SiteKinds.School } school)
        {
            return null;
        }

        (long from, long to) = Range(month, month);
        IReadOnlyDictionary<string, StoredSlaOverride> overrides = await store.OverridesAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AlarmView> history = await alarms.QueryAsync(
            new AlarmFilter("all", site, Since: DateTimeOffset.FromUnixTimeMilliseconds(from) - options.Value.IncidentLookback, Limit: int.MaxValue),
            cancellationToken).ConfigureAwait(false);
        IReadOnlyList<MaintenanceWindow> windows = await store.WindowsAsync(
            DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), site, cancellationToken).ConfigureAwait(false);
        StoredSlaOverride? stored = overrides.GetValueOrDefault(site);
        SchoolData data = await ReadAsync(school, from, to, probes: true, cancellationToken).ConfigureAwait(false);
        bool reported = await ReportedAsync(school, from, to, history, data, cancellationToken).ConfigureAwait(false);
        SlaMonthFigures figures = Compute(school, Definition(school, stored), month, history, windows, data, reported);
        return new SchoolMonthReport(site, school.Name, month.ToString(), View(school, stored), figures, windows)
        {
            Throughput = [.. data.Throughput.Where(t => t.AtMs >= from && t.AtMs < to).OrderBy(t => t.AtMs)],
        };
    }

    /// <summary>Every school's months from <paramref name="first"/> to <paramref name="last"/> (both included), worst availability first.</summary>
    public Task<ProgrammeReport> ProgrammeAsync(SlaMonth first, SlaMonth last, CancellationToken cancellationToken) =>
        ProgrammeAsync(first, last, null, cancellationToken);

    /// <summary>
    /// The programme as <see cref="ProgrammeAsync(SlaMonth, SlaMonth, CancellationToken)"/>, on the sites' status history
    /// already read for the same period (<see cref="HistoryAsync"/>), or reading it when null.
    /// </summary>
    public async Task<ProgrammeReport> ProgrammeAsync(SlaMonth first, SlaMonth last, ILookup<string, AlarmView>? history, CancellationToken cancellationToken)
    {
        (long from, long to) = Range(first, last);
        IReadOnlyDictionary<string, StoredSlaOverride> overrides = await store.OverridesAsync(cancellationToken).ConfigureAwait(false);
        history ??= await HistoryAsync(first, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<MaintenanceWindow> windows = await store.WindowsAsync(
            DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to), null, cancellationToken).ConfigureAwait(false);

        List<Site> schools = [.. inventory.Sites.Values.Where(s => s.Kind == SiteKinds.School && s.Lifecycle != Lifecycles.Planned).OrderBy(s => s.Id, StringComparer.Ordinal)];
        var perSchool = new List<(ProgrammeRow Row, double Up, double Measured)>[schools.Count];
        // Schools one after the other cost a read of their series each; a few at once use the cores (SQLite readers do not block each other).
        await Parallel.ForAsync(0, schools.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                Site school = schools[i];
                SlaDefinition sla = Definition(school, overrides.GetValueOrDefault(school.Id));
                List<MaintenanceWindow> own = [.. windows.Where(w => w.Sites.Contains(school.Id, StringComparer.Ordinal))];
                SchoolData data = await ReadAsync(school, from, to, probes: false, token).ConfigureAwait(false);
                List<AlarmView> siteHistory = [.. history[school.Id]];
                var rows = new List<(ProgrammeRow, double, double)>();
                for (SlaMonth month = first; month <= last; month = month.Next())
                {
                    bool reported = await ReportedAsync(school, sla.Schedule.MonthStart(month.Year, month.Month), sla.Schedule.MonthEnd(month.Year, month.Month),
                        siteHistory, data, token).ConfigureAwait(false);
                    SlaMonthFigures figures = Compute(school, sla, month, siteHistory, own, data, reported);
                    if (figures.Minutes.Scheduled > 0)
                    {
                        double measured = figures.AvailabilityPercent is null ? 0
                            : figures.Minutes.Scheduled - figures.Minutes.Maintenance - (sla.NoDataCountsAsDown ? 0 : figures.Minutes.NoData);
                        rows.Add((Row(school.Id, school.Name, month.ToString(), figures), figures.AvailabilityPercent is null ? 0 : figures.Minutes.Up, measured));
                    }
                }

                perSchool[i] = rows;
            }).ConfigureAwait(false);

        List<ProgrammeRow> rows = [.. perSchool.SelectMany(r => r).Select(r => r.Row)];
        double up = perSchool.SelectMany(r => r).Sum(r => r.Up);
        double measured = perSchool.SelectMany(r => r).Sum(r => r.Measured);
        rows.Sort((a, b) => (a.AvailabilityPercent ?? double.MaxValue).CompareTo(b.AvailabilityPercent ?? double.MaxValue) is int c and not 0 ? c
            : string.CompareOrdinal(a.Site, b.Site) is int s and not 0 ? s : string.CompareOrdinal(a.Month, b.Month));
        return new ProgrammeReport(first.ToString(), last.ToString(), measured > 0 ? up / measured * 100 : null,
            rows.Count(r => r.Met == false), rows.Where(r => r.Met == false).Select(r => r.Site).Distinct(StringComparer.Ordinal).Count(),
            rows.Sum(r => r.CreditAmount), rows);
    }

    /// <summary>Every site's status history that can touch a period from <paramref name="first"/> on (<see cref="UplinkHistory.ReadAsync"/>).</summary>
    public Task<ILookup<string, AlarmView>> HistoryAsync(SlaMonth first, CancellationToken cancellationToken) =>
        UplinkHistory.ReadAsync(alarms, Range(first, first).From, options.Value.IncidentLookback, cancellationToken);

    /// <summary>The programme report as CSV: UTF-8, a header row, one row per school and month, invariant numbers.</summary>
    public static string Csv(ProgrammeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Csv(report.Rows);
    }

    /// <summary>One school's month as the programme's CSV has it (one row).</summary>
    public static ProgrammeRow Row(SchoolMonthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Row(report.Site, report.Name, report.Month, report.Figures);
    }

    /// <summary>Rows of the programme report as CSV (<see cref="Csv(ProgrammeReport)"/>).</summary>
    public static string Csv(IEnumerable<ProgrammeRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder();
        csv.Append("site,name,month,scheduled_minutes,up_minutes,down_minutes,maintenance_minutes,no_data_minutes,availability_percent,objective_percent,met,")
            .Append("incidents,mttr_minutes,mtbf_minutes,download_tests,download_passed,download_p10_mbps,upload_tests,upload_passed,upload_p10_mbps,")
            .Append("credit_percent,credit_amount,maintenance_after_the_fact\r\n");
        foreach (ProgrammeRow r in rows)
        {
            string[] fields =
            [
                CsvText.Field(r.Site), CsvText.Field(r.Name), r.Month, CsvText.Number(r.ScheduledMinutes), CsvText.Number(r.UpMinutes), CsvText.Number(r.DownMinutes), CsvText.Number(r.MaintenanceMinutes),
                CsvText.Number(r.NoDataMinutes), CsvText.Number(r.AvailabilityPercent), CsvText.Number(r.ObjectivePercent), r.Met switch { true => "yes", false => "no", null => "" },
                CsvText.Number(r.Incidents), CsvText.Number(r.MttrMinutes), CsvText.Number(r.MtbfMinutes), CsvText.Number(r.DownloadTests), CsvText.Number(r.DownloadPassed), CsvText.Number(r.DownloadP10Mbps),
                CsvText.Number(r.UploadTests), CsvText.Number(r.UploadPassed), CsvText.Number(r.UploadP10Mbps),
                CsvText.Number(r.CreditPercent), r.CreditAmount.ToString("0.00", CultureInfo.InvariantCulture), CsvText.Number(r.MaintenanceAfterTheFact),
            ];
            csv.AppendJoin(',', fields).Append("\r\n");
        }

        return csv.ToString();
    }

    private (long From, long To) Range(SlaMonth first, SlaMonth last) =>
        (_defaults.Schedule.MonthStart(first.Year, first.Month), _defaults.Schedule.MonthEnd(last.Year, last.Month));

    private SlaDefinition Definition(Site school, StoredSlaOverride? stored)
    {
        SlaDefinition defaults = _defaults with
        {
            ActiveFrom = school.InstalledOn is DateOnly installed
                ? DateTimeOffset.FromUnixTimeMilliseconds(_defaults.Schedule.LocalToUtc(installed.ToDateTime(TimeOnly.MinValue)))
                : null,
        };
        return (stored?.Values ?? s_none).Apply(defaults, school.CommittedMbps);
    }

    private SchoolSla View(Site school, StoredSlaOverride? stored)
    {
        SlaDefinition sla = Definition(school, stored);
        return new SchoolSla(school.Id, sla.CommittedDownMbps, sla.CommittedUpMbps, sla.AvailabilityObjectivePercent,
            [.. sla.Schedule.Hours.Select(h => h.ToString())], [.. sla.Schedule.Excluded.Select(e => e.ToString())], sla.Schedule.Zone.Id,
            sla.LatencyObjectiveMs, sla.LossObjectivePercent, sla.Credits, sla.MonthlyFee, sla.ThroughputTolerancePercent, sla.NoDataCountsAsDown,
            sla.ActiveFrom, stored?.Values, stored?.UpdatedBy, stored?.UpdatedAt);
    }

    private SlaMonthFigures Compute(Site school, SlaDefinition sla, SlaMonth month, IEnumerable<AlarmView> history, IReadOnlyList<MaintenanceWindow> windows,
        SchoolData data, bool reported)
    {
        UplinkPeriods periods = UplinkHistory.Periods(history, school.Uplink?.Name);
        var noData = new List<TimeSpan64>(periods.NoData);
        long monthStart = sla.Schedule.MonthStart(month.Year, month.Month);
        long monthEnd = sla.Schedule.MonthEnd(month.Year, month.Month);
        if (!reported)
        {
            // Not a single reading in the month: no data all through it (nothing was stale to raise an alarm about).
            noData.Add(new TimeSpan64(monthStart, monthEnd));
        }

        var input = new SlaMonthInput(month.Year, month.Month, sla, time.GetUtcNow().ToUnixTimeMilliseconds(), periods.Down, noData,
            [.. windows.Select(w => new MaintenancePeriod(w.Id, w.Start.ToUnixTimeMilliseconds(), w.End.ToUnixTimeMilliseconds(), w.AfterTheFact))],
            data.Throughput, data.Latency, data.Loss)
        {
            ActiveUntilMs = school.RetiredOn is DateOnly retired ? sla.Schedule.LocalToUtc(retired.AddDays(1).ToDateTime(TimeOnly.MinValue)) : null,
        };
        return SlaMath.Compute(input);
    }

    private static ProgrammeRow Row(string site, string name, string month, SlaMonthFigures f) => new(
        site, name, month, f.Minutes.Scheduled, f.Minutes.Up, f.Minutes.Down, f.Minutes.Maintenance, f.Minutes.NoData,
        f.AvailabilityPercent, f.ObjectivePercent, f.Met, f.IncidentCount, f.MttrMinutes, f.MtbfMinutes, f.Download.Tests, f.Download.Passed, f.Download.P10Mbps,
        f.Upload.Tests, f.Upload.Passed, f.Upload.P10Mbps, f.CreditPercent, f.CreditAmount,
        f.Maintenance.Count(m => m.AfterTheFact));

    // The hourly rollups of the school's throughput tests and, when asked, its probes' latency and loss (the programme
    // leaves those out: two dense series of 140 schools over a year are 2.4 million hour rows).
    private async Task<SchoolData> ReadAsync(Site school, long from, long to, bool probes, CancellationToken cancellationToken)
    {
        List<SeriesBucket> rtt = probes ? await HourlyAsync(school, MetricNames.ProbeRttMs, from, to, cancellationToken).ConfigureAwait(false) : [];
        List<SeriesBucket> loss = probes ? await HourlyAsync(school, MetricNames.ProbeLossRatio, from, to, cancellationToken).ConfigureAwait(false) : [];
        List<SeriesBucket> downloads = await HourlyAsync(school, MetricNames.ThroughputDownloadMbps, from, to, cancellationToken).ConfigureAwait(false);
        List<SeriesBucket> uploads = await HourlyAsync(school, MetricNames.ThroughputUploadMbps, from, to, cancellationToken).ConfigureAwait(false);
        long[] readings = [.. rtt.Concat(loss).Concat(downloads).Concat(uploads).Where(b => b.Count > 0).Select(b => b.TimestampMs).Distinct().Order()];
        return new SchoolData(
            readings,
            probes,
            [.. downloads.Select(b => new ThroughputResult(b.TimestampMs, true, b.Mean)).Concat(uploads.Select(b => new ThroughputResult(b.TimestampMs, false, b.Mean)))],
            [.. rtt.Select(b => new ProbeFigure(b.TimestampMs, b.Mean, b.Count))],
            [.. loss.Select(b => new ProbeFigure(b.TimestampMs, b.Mean, b.Count))]);
    }

    /// <summary>
    /// Whether the school reported anything in [<paramref name="from"/>, <paramref name="to"/>): a reading read already, an
    /// uplink alarm the status engine opened or cleared on a reading then, or else (a month the cheap signs leave open) a
    /// probe reading: the probes report loss every round, up or down.
    /// </summary>
    private async Task<bool> ReportedAsync(Site school, long from, long to, IEnumerable<AlarmView> history, SchoolData data, CancellationToken cancellationToken)
    {
        bool Within(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds() is long ms && ms >= from && ms < to;
        if (data.HasReadings(from, to)
            || history.Any(a => UplinkHistory.Includes(a) && ((a.Kind == AlarmKinds.Down && Within(a.OpenedAt)) || Within(a.ClearedAt))))
        {
            return true;
        }

        return !data.ProbesRead && (await HourlyAsync(school, MetricNames.ProbeLossRatio, from, to, cancellationToken).ConfigureAwait(false)).Exists(b => b.Count > 0);
    }

    private async Task<List<SeriesBucket>> HourlyAsync(Site school, string metric, long from, long to, CancellationToken cancellationToken)
    {
        var query = new SeriesQuery(school.Id, metric, DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to))
        {
            Resolution = SeriesResolution.Hour,
        };
        IReadOnlyList<SeriesData> read = await series.ReadAsync(query, cancellationToken).ConfigureAwait(false);
        return [.. read.SelectMany(s => s.Buckets)];
    }

    /// <summary>What the time series hold for one school over the report's range.</summary>
    private sealed record SchoolData(long[] Readings, bool ProbesRead, IReadOnlyList<ThroughputResult> Throughput, IReadOnlyList<ProbeFigure> Latency, IReadOnlyList<ProbeFigure> Loss)
    {
        // Hour buckets start on the hour: one from the hour before the month may hold readings of the month's first minutes.
        public bool HasReadings(long from, long to)
        {
            int index = Array.BinarySearch(Readings, from - 3_600_000 + 1);
            index = index < 0 ? ~index : index;
            return index < Readings.Length && Readings[index] < to;
        }
    }
}
