using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Pages.Sla;
using Network.Noc.Plan;
using Network.Noc.Reports;
using Network.Noc.Sla;
using Network.WebPages;

namespace Network.Noc.Pages.Reports;

/// <summary>
/// The monthly report (<c>/reports/monthly?month=2026-03</c>, this month without one; <c>/reports</c> too) and the yearly
/// report (<c>/reports/yearly?year=2026</c>): the hotspots' use and uptime for the network, month by month, per commune,
/// per hotspot (sorted by links) and the top and bottom ten, the schools' SLA programme for the same months, and in the
/// yearly report the plan's progress for the year. The figures are the API's (<see cref="ReportsExtensions.ReportAsync"/>);
/// every table links to its CSV there. A period that cannot be read gets 400 and says what to write.
/// </summary>
public sealed class ReportModel(UsageReports usage, SlaReports schools, PlanProgressService plan, TimeProvider time, IStringLocalizer<ReportText> reportText)
    : PageModel
{
    public const string Monthly = "monthly";
    public const string Yearly = "yearly";

    public string Period { get; private set; } = Monthly;

    public bool IsYearly => Period == Yearly;

    public SlaMonth First { get; private set; }

    public SlaMonth Last { get; private set; }

    /// <summary>The report, or null when the period asked for could not be read.</summary>
    public PeriodReport? Report { get; private set; }

    /// <summary>The plan's progress for the year (the yearly report only).</summary>
    public PlanProgress? Progress { get; private set; }

    /// <summary>What the period form says is wrong (empty when the period was read).</summary>
    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    /// <summary>What was typed in the period form, shown again.</summary>
    public string Asked { get; private set; } = "";

    /// <summary>The day the report is issued, in Brussels.</summary>
    public DateOnly IssuedOn { get; private set; }

    /// <summary>The query of the period before and, when it has begun, after (<c>month=2026-02</c>, <c>year=2025</c>).</summary>
    public string? PreviousQuery { get; private set; }

    public string? NextQuery { get; private set; }

    /// <summary>The period's query (<c>month=2026-03</c> or <c>year=2026</c>), for the CSV links.</summary>
    public string Query => IsYearly
        ? "year=" + First.Year.ToString(CultureInfo.InvariantCulture)
        : "month=" + First;

    public IReadOnlyList<DataColumn> HotspotColumns { get; private set; } = [];

    public IReadOnlyList<IReadOnlyList<DataCell>> HotspotRows { get; private set; } = [];

    public DataSort HotspotSort { get; private set; } = null!;

    /// <summary>The columns of the tables that do not sort: the months, the communes, the top and bottom ten.</summary>
    public IReadOnlyList<DataColumn> MonthColumns => FigureColumns("Month");

    public IReadOnlyList<DataColumn> CommuneColumns => FigureColumns("Commune");

    public IReadOnlyList<DataColumn> RankedColumns => FigureColumns("Hotspot");

    public async Task<IActionResult> OnGetAsync(string period, string? month, string? year, string? sort, string? dir, CancellationToken cancellationToken)
    {
        if (period is not (Monthly or Yearly))
        {
            return NotFound();
        }

        Period = period;
        IssuedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), SlaText.Zone).DateTime);
        SlaMonth now = usage.CurrentMonth();
        if (!ReportsExtensions.TryPeriod(period, month, year, usage, out SlaMonth first, out SlaMonth last))
        {
            Asked = (IsYearly ? year : month) ?? "";
            Errors = [new FieldError(IsYearly ? "year" : "month", reportText[IsYearly ? "BadYear" : "BadMonth"])];
            (First, Last) = (now, now);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        (First, Last) = (first, last);
        Asked = IsYearly ? first.Year.ToString(CultureInfo.InvariantCulture) : first.ToString();
        if (IsYearly)
        {
            PreviousQuery = first.Year > 2000 ? "year=" + (first.Year - 1).ToString(CultureInfo.InvariantCulture) : null;
            NextQuery = first.Year < now.Year && first.Year < 2100 ? "year=" + (first.Year + 1).ToString(CultureInfo.InvariantCulture) : null;
        }
        else
        {
            SlaMonth previous = new(first.Month == 1 ? first.Year - 1 : first.Year, first.Month == 1 ? 12 : first.Month - 1);
            PreviousQuery = previous.Year >= 2000 ? "month=" + previous : null;
            NextQuery = first < now && first.Next().Year <= 2100 ? "month=" + first.Next() : null;
        }

        Report = await ReportsExtensions.ReportAsync(period, first, last, usage, schools, cancellationToken);
        if (IsYearly)
        {
            Progress = await plan.ProgressAsync(first.Year, cancellationToken);
        }

        HotspotColumns = [new DataColumn("hotspot", reportText["Hotspot"]), new DataColumn("commune", reportText["Commune"]), .. FigureHeadings(sortable: true)];
        HotspotSort = DataSort.Parse(sort, dir, HotspotColumns, "sessions", defaultDescending: true);
        HotspotRows = [.. Sorted(Report.Hotspots.Hotspots, HotspotSort).Select(h => (IReadOnlyList<DataCell>)
            [new DataCell(h.Name, "/sites/" + Uri.EscapeDataString(h.Site)), new DataCell(h.Commune), .. Figures(h.Figures)])];
        return Page();
    }

    /// <summary>A hotspot's, a commune's or a month's figures as the tables show them, in the page's culture.</summary>
    public static IReadOnlyList<DataCell> Figures(UsageFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return
        [
            new DataCell(SlaText.Percent(f.AvailabilityPercent)), new DataCell(ReportText.Count(f.Sessions)), new DataCell(ReportText.Count(f.Users)),
            new DataCell(ReportText.Count(f.Logins)), new DataCell(ReportText.Count(f.Registrations)), new DataCell(ReportText.Gigabytes(f.Octets)),
            new DataCell(ReportText.Count(f.PeakUsers)),
        ];
    }

    /// <summary>The network's months as table rows.</summary>
    public static IEnumerable<IReadOnlyList<DataCell>> Rows(IEnumerable<MonthUsage> months) =>
        months.Select(m => (IReadOnlyList<DataCell>)[new DataCell(MonthName(m.Month)), .. Figures(m.Figures)]);

    /// <summary>The communes as table rows.</summary>
    public static IEnumerable<IReadOnlyList<DataCell>> Rows(IEnumerable<CommuneUsage> communes) =>
        communes.Select(c => (IReadOnlyList<DataCell>)[new DataCell(c.Commune), .. Figures(c.Figures)]);

    /// <summary>Hotspots as table rows, each name a link to the site's page.</summary>
    public static IEnumerable<IReadOnlyList<DataCell>> Rows(IEnumerable<HotspotUsage> hotspots) =>
        hotspots.Select(h => (IReadOnlyList<DataCell>)[new DataCell(h.Name, "/sites/" + Uri.EscapeDataString(h.Site)), .. Figures(h.Figures)]);

    /// <summary>A month of the report (<c>2026-03</c>) as words in the page's language.</summary>
    public static string MonthName(string month) => SlaMonth.TryParse(month, out SlaMonth m) ? SlaText.Month(m) : month;

    /// <summary>The link to a table's CSV in the API.</summary>
    public string CsvHref(string table) => $"/api/v1/reports/{Period}/{table}.csv?{Query}";

    private IReadOnlyList<DataColumn> FigureColumns(string first) =>
        [new DataColumn("first", reportText[first], Sortable: false), .. FigureHeadings(sortable: false)];

    private IEnumerable<DataColumn> FigureHeadings(bool sortable) =>
    [
        new DataColumn("availability", reportText["Availability"], sortable, Numeric: true),
        new DataColumn("sessions", reportText["Sessions"], sortable, Numeric: true),
        new DataColumn("users", reportText["Users"], sortable, Numeric: true),
        new DataColumn("logins", reportText["Logins"], sortable, Numeric: true),
        new DataColumn("registrations", reportText["Registrations"], sortable, Numeric: true),
        new DataColumn("data", reportText["Data"], sortable, Numeric: true),
        new DataColumn("peak", reportText["PeakUsers"], sortable, Numeric: true),
    ];

    private static IEnumerable<HotspotUsage> Sorted(IEnumerable<HotspotUsage> rows, DataSort sort)
    {
        // The report lists the hotspots by site id; a stable sort on name then id breaks the ties.
        Func<HotspotUsage, IComparable?> key = sort.Key switch
        {
            "commune" => r => r.Commune,
            "availability" => r => r.Figures.AvailabilityPercent ?? -1,
            "sessions" => r => r.Figures.Sessions,
            "users" => r => r.Figures.Users,
            "logins" => r => r.Figures.Logins,
            "registrations" => r => r.Figures.Registrations,
            "data" => r => r.Figures.Octets,
            "peak" => r => r.Figures.PeakUsers,
            _ => r => r.Name,
        };
        List<HotspotUsage> ordered = [.. rows.OrderBy(r => r.Name, StringComparer.CurrentCulture).ThenBy(r => r.Site, StringComparer.Ordinal)];
        return sort.Descending ? ordered.OrderByDescending(key) : ordered.OrderBy(key);
    }
}
