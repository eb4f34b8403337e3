using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Sla;
using Network.WebPages;

namespace Network.Noc.Pages.Sla;

/// <summary>
/// The programme's months (<c>/sla/programme?from=2026-01&amp;to=2026-12</c>; a month alone without <c>to</c>; the current
/// month without either): every school and month in one table, sorted by links (the worst availability first by
/// default), the programme's availability, the schools below objective, the credits; the same rows as the CSV.
/// </summary>
public sealed class ProgrammeModel(SlaReports reports, IStringLocalizer<SlaText> sla) : PageModel
{
    public ProgrammeReport Report { get; private set; } = null!;

    public SlaMonth First { get; private set; }

    public SlaMonth Last { get; private set; }

    public IReadOnlyList<DataColumn> Columns { get; private set; } = [];

    public IReadOnlyList<IReadOnlyList<DataCell>> Rows { get; private set; } = [];

    public DataSort Sort { get; private set; } = null!;

    /// <summary>Each month of the range with the programme's availability in it, for the chart.</summary>
    public IReadOnlyList<(SlaMonth Month, double? Availability, int Below)> Months { get; private set; } = [];

    /// <summary>Set when the range asked for could not be read (the current month is shown instead).</summary>
    public bool BadRange { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? sort, string? dir, CancellationToken cancellationToken)
    {
        if (!SlaExtensions.TryRange(from, to, reports, out SlaMonth first, out SlaMonth last))
        {
            first = last = reports.CurrentMonth();
            BadRange = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        (First, Last) = (first, last);
        Report = await reports.ProgrammeAsync(first, last, cancellationToken);
        Columns =
        [
            new DataColumn("school", sla["School"]),
            new DataColumn("month", sla["Month"]),
            new DataColumn("availability", sla["Availability"], Numeric: true),
            new DataColumn("objective", sla["ObjectiveShort"], Numeric: true),
            new DataColumn("met", sla["Met"]),
            new DataColumn("down", sla["DownMinutes"], Numeric: true),
            new DataColumn("nodata", sla["NoDataMinutes"], Numeric: true),
            new DataColumn("maintenance", sla["MaintenanceMinutes"], Numeric: true),
            new DataColumn("incidents", sla["Incidents"], Numeric: true),
            new DataColumn("mttr", sla["Mttr"], Numeric: true),
            new DataColumn("tests", sla["TestsPassed"], Numeric: true),
            new DataColumn("credit", sla["CreditOwed"], Numeric: true),
        ];
        Sort = DataSort.Parse(sort, dir, Columns, "availability");
        Rows = [.. Sorted(Report.Rows, Sort).Select(Cells)];
        Months = [.. Enumerable.Range(0, last.Index - first.Index + 1).Select(i => new SlaMonth(first.Year + (first.Month - 1 + i) / 12, (first.Month - 1 + i) % 12 + 1))
            .Select(m => (m, Availability(Report.Rows.Where(r => r.Month == m.ToString())), Report.Rows.Count(r => r.Month == m.ToString() && r.Met == false)))];
        return Page();
    }

    /// <summary>The programme's availability over some rows: up over measured minutes, as the report adds it up.</summary>
    private static double? Availability(IEnumerable<ProgrammeRow> rows)
    {
        double up = 0;
        double measured = 0;
        foreach (ProgrammeRow row in rows.Where(r => r.AvailabilityPercent is not null))
        {
            up += row.UpMinutes;
            // Up over measured is the row's availability; a row at 0 % was up for none of its measured minutes.
            measured += row.AvailabilityPercent > 0 ? row.UpMinutes * 100 / row.AvailabilityPercent.Value : row.ScheduledMinutes - row.MaintenanceMinutes;
        }

        return measured > 0 ? up / measured * 100 : null;
    }

    private static IEnumerable<ProgrammeRow> Sorted(IReadOnlyList<ProgrammeRow> rows, DataSort sort)
    {
        // The report comes worst first (availability, then school, then month); other columns sort on that order.
        Func<ProgrammeRow, IComparable?>? key = sort.Key switch
        {
            "school" => r => r.Name,
            "month" => r => r.Month,
            "objective" => r => r.ObjectivePercent,
            "met" => r => r.Met,
            "down" => r => r.DownMinutes,
            "nodata" => r => r.NoDataMinutes,
            "maintenance" => r => r.MaintenanceMinutes,
            "incidents" => r => r.Incidents,
            "mttr" => r => r.MttrMinutes ?? -1,
            "tests" => r => r.DownloadTests + r.UploadTests == 0 ? -1 : (double)(r.DownloadPassed + r.UploadPassed) / (r.DownloadTests + r.UploadTests),
            "credit" => r => r.CreditAmount == 0 ? (decimal)r.CreditPercent : r.CreditAmount,
            _ => null,
        };
        if (key is null)
        {
            return sort.Descending ? rows.Reverse() : rows;
        }

        return sort.Descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
    }

    private IReadOnlyList<DataCell> Cells(ProgrammeRow r) =>
    [
        new DataCell(r.Name, $"/sla/schools/{Uri.EscapeDataString(r.Site)}?month={r.Month}"),
        new DataCell(SlaMonth.TryParse(r.Month, out SlaMonth month) ? SlaText.Month(month) : r.Month),
        new DataCell(SlaText.Percent(r.AvailabilityPercent)),
        new DataCell(SlaText.Percent(r.ObjectivePercent)),
        new DataCell(SlaText.YesNo(r.Met, sla)),
        new DataCell(SlaText.Number(r.DownMinutes)),
        new DataCell(SlaText.Number(r.NoDataMinutes)),
        new DataCell(SlaText.Number(r.MaintenanceMinutes) + (r.MaintenanceAfterTheFact > 0 ? " " + sla["AfterTheFactMark"] : "")),
        new DataCell(r.Incidents.ToString(System.Globalization.CultureInfo.CurrentCulture)),
        new DataCell(SlaText.Duration(r.MttrMinutes, sla)),
        new DataCell(r.DownloadTests + r.UploadTests == 0 ? SlaText.None
            : string.Format(System.Globalization.CultureInfo.CurrentCulture, sla["PassedOf"], r.DownloadPassed + r.UploadPassed, r.DownloadTests + r.UploadTests)),
        new DataCell(SlaText.Money(r.CreditAmount) + " (" + SlaText.Percent(r.CreditPercent, 0) + ")"),
    ];
}
