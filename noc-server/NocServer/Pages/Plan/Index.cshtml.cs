using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Inventory;
using Network.Noc.Plan;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages.Plan;

/// <summary>
/// The plan of a year (<c>/plan?year=&amp;programme=&amp;state=</c>): every planned site in a table sorted by links, a
/// page of 50 at a time; links to the CSV export, the import and a new entry (planners and admins), and the progress.
/// </summary>
public sealed class IndexModel(PlanService plan, InventoryService inventory, IAuthorizationService authorization, IStringLocalizer<PlanText> planText,
    TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    public int Year { get; private set; }

    public IReadOnlyList<int> Years { get; private set; } = [];

    public string? Programme { get; private set; }

    public string? State { get; private set; }

    public bool CanEdit { get; private set; }

    public IReadOnlyList<DataColumn> Columns { get; private set; } = [];

    public IReadOnlyList<IReadOnlyList<DataCell>> Rows { get; private set; } = [];

    public DataSort Sort { get; private set; } = new("site", false);

    public Pagination Pages { get; private set; } = new(1, 1);

    /// <summary>What the last form did (after its redirect): a saved site or an import's count.</summary>
    public string? Done { get; private set; }

    public async Task OnGetAsync(string? year, string? programme, string? state, string? sort, string? dir, string? page, string? saved, string? imported,
        CancellationToken cancellationToken)
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        int thisYear = PlanCalendar.Day(time.GetUtcNow()).Year;
        Year = PlanCalendar.YearOr(year, thisYear);
        Years = [.. (await plan.YearsAsync(cancellationToken)).Append(thisYear).Append(Year).Distinct().OrderDescending()];
        Programme = PlanProgrammes.All.Contains(programme) ? programme : null;
        State = PlanStates.All.Contains(state) ? state : null;
        CanEdit = (await authorization.AuthorizeAsync(User, NocPolicies.Planner)).Succeeded;
        if (saved is { Length: > 0 and <= 64 })
        {
            Done = string.Format(culture, planText["Saved"], saved);
        }
        else if (int.TryParse(imported, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            Done = string.Format(culture, planText["Imported"], count);
        }

        Columns =
        [
            new("site", planText["ColSite"]), new("name", planText["ColName"]), new("programme", planText["ColProgramme"]), new("quarter", planText["ColQuarter"], Numeric: true),
            new("estimated", planText["ColEstimated"], Numeric: true), new("actual", planText["ColActual"], Numeric: true), new("responsible", planText["ColResponsible"]),
            new("state", planText["ColState"]), new("since", planText["ColSince"]),
        ];
        Sort = DataSort.Parse(sort, dir, Columns, "site");
        IEnumerable<PlanEntry> entries = (await plan.EntriesAsync(Year, cancellationToken))
            .Where(e => (Programme is null || e.Programme == Programme) && (State is null || e.State == State));
        List<(PlanEntry Entry, string Name)> named = [.. entries.Select(e => (e, inventory.Find(e.Site)?.Name ?? e.Site))];
        Func<(PlanEntry Entry, string Name), IComparable?> key = Sort.Key switch
        {
            "name" => r => r.Name,
            "programme" => r => r.Entry.Programme,
            "quarter" => r => r.Entry.Quarter,
            "estimated" => r => r.Entry.EstimatedCost,
            "actual" => r => r.Entry.ActualCost,
            "responsible" => r => r.Entry.Responsible,
            "state" => r => PlanStates.All.TakeWhile(s => s != r.Entry.State).Count(),
            "since" => r => r.Entry.Dates.Of(r.Entry.State),
            _ => r => r.Entry.Site,
        };
        var comparer = Comparer<IComparable?>.Create((a, b) => a is string sa && b is string sb ? culture.CompareInfo.Compare(sa, sb, CompareOptions.IgnoreCase)
            : Comparer<IComparable?>.Default.Compare(a, b));
        IOrderedEnumerable<(PlanEntry Entry, string Name)> ordered = Sort.Descending ? named.OrderByDescending(key, comparer) : named.OrderBy(key, comparer);
        List<(PlanEntry Entry, string Name)> sorted = [.. ordered.ThenBy(r => r.Entry.Site, StringComparer.Ordinal)];
        Pages = Pagination.Parse(page, sorted.Count, PageSize);
        Rows = [.. sorted.Skip(Pages.Skip(PageSize)).Take(PageSize).Select(r => Row(r.Entry, r.Name, culture))];
    }

    private IReadOnlyList<DataCell> Row(PlanEntry e, string name, CultureInfo culture)
    {
        string state = PlanText.State(planText, e.State);
        if (e.ChangedByNetworkAt is DateTimeOffset at)
        {
            state += " (" + string.Format(culture, planText["ChangedByNetwork"], PlanText.Day(PlanCalendar.Day(at), culture)) + ")";
        }

        return
        [
            new DataCell(e.Site, CanEdit ? "/plan/edit?site=" + Uri.EscapeDataString(e.Site) : "/sites/" + Uri.EscapeDataString(e.Site)),
            new DataCell(name), new DataCell(PlanText.Programme(planText, e.Programme)),
            new DataCell(string.Format(culture, planText["QuarterName"], e.Quarter)), new DataCell(PlanText.Money(e.EstimatedCost, culture)),
            new DataCell(PlanText.Money(e.ActualCost, culture)), new DataCell(e.Responsible), new DataCell(state),
            new DataCell(PlanText.Day(e.Dates.Of(e.State), culture)),
        ];
    }
}
