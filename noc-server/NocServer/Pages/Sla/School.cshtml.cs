using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Network.Noc.Sla;
using Network.Noc.Users;

namespace Network.Noc.Pages.Sla;

/// <summary>
/// A school's SLA month (<c>/sla/schools/{site}?month=2026-03</c>, the current month without one): availability with
/// the minutes behind it, incidents, probes, throughput tests against the committed rate, the credit owed, the month's
/// maintenance windows; the previous and next months; the month as a CSV row (<c>?handler=csv</c>).
/// </summary>
public sealed class SchoolModel(SlaReports reports, IAuthorizationService authorization) : PageModel
{
    public SchoolMonthReport Report { get; private set; } = null!;

    public SlaMonth Month { get; private set; }

    public SlaMonth Previous { get; private set; }

    /// <summary>The next month, when it has begun.</summary>
    public SlaMonth? Next { get; private set; }

    public ThroughputChart Chart { get; private set; } = null!;

    /// <summary>Whether the user may edit the school's SLA (planners and admins).</summary>
    public bool CanEdit { get; private set; }

    public async Task<IActionResult> OnGetAsync(string site, string? month, CancellationToken cancellationToken)
    {
        if (await ReadAsync(site, month, cancellationToken) is IActionResult refused)
        {
            return refused;
        }

        Previous = new SlaMonth(Month.Month == 1 ? Month.Year - 1 : Month.Year, Month.Month == 1 ? 12 : Month.Month - 1);
        Next = Month < reports.CurrentMonth() ? Month.Next() : null;
        Chart = new ThroughputChart(Report);
        CanEdit = (await authorization.AuthorizeAsync(User, NocPolicies.Planner)).Succeeded;
        return Page();
    }

    /// <summary>The month as the programme's CSV has it: a header row and the school's row.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string site, string? month, CancellationToken cancellationToken)
    {
        if (await ReadAsync(site, month, cancellationToken) is IActionResult refused)
        {
            return refused;
        }

        string csv = SlaReports.Csv([SlaReports.Row(Report)]);
        return File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"sla-{Report.Site}-{Report.Month}.csv");
    }

    private async Task<IActionResult?> ReadAsync(string site, string? month, CancellationToken cancellationToken)
    {
        SlaMonth wanted = reports.CurrentMonth();
        if (!string.IsNullOrEmpty(month) && !SlaMonth.TryParse(month, out wanted))
        {
            return BadRequest();
        }

        if (site.Length > 128 || await reports.SchoolMonthAsync(site, wanted, cancellationToken) is not SchoolMonthReport report)
        {
            return NotFound();
        }

        Month = wanted;
        Report = report;
        return null;
    }
}
