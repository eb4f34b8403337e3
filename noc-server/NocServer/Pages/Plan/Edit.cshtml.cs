using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Inventory;
using Network.Noc.Plan;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages.Plan;

/// <summary>
/// A site's plan entry (<c>/plan/edit?site=ID</c>; without a site, a new one): planners and admins only. The form posts
/// back here (antiforgery checked by Razor Pages); a refused form comes back with its messages in the page's language,
/// a stored one redirects to the year's plan. Amounts and days are read in the page's culture (35.000,50 and 11/03/2026 in nl-BE).
/// </summary>
[RequirePolicy(NocPolicies.Planner)]
public sealed class EditModel(PlanService plan, InventoryService inventory, IStringLocalizer<PlanText> planText, TimeProvider time) : PageModel
{
    private static readonly string[] s_dayFormats = ["d", "dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"];

    /// <summary>The form's values as typed (or as stored), by field name.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    /// <summary>The stored entry, when the site is in the plan.</summary>
    public PlanEntry? Entry { get; private set; }

    /// <summary>Whether the site is in the inventory (else the form asks for the inventory's fields).</summary>
    public bool Known { get; private set; }

    public string Value(string field) => Values.GetValueOrDefault(field) ?? "";

    public async Task<IActionResult> OnGetAsync(string? site, CancellationToken cancellationToken)
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        Values["year"] = PlanCalendar.Day(time.GetUtcNow()).Year.ToString(CultureInfo.InvariantCulture);
        if (site is { Length: > 0 })
        {
            if (site.Length > 64)
            {
                return NotFound();
            }

            Values["site"] = site;
            Known = inventory.Find(site) is not null;
            Entry = await plan.EntryAsync(site, cancellationToken);
            if (Entry is PlanEntry e)
            {
                Values["year"] = e.Year.ToString(CultureInfo.InvariantCulture);
                Values["quarter"] = e.Quarter.ToString(CultureInfo.InvariantCulture);
                Values["estimatedCost"] = PlanText.Amount(e.EstimatedCost, culture);
                Values["actualCost"] = PlanText.Amount(e.ActualCost, culture);
                Values["responsible"] = e.Responsible;
                Values["note"] = e.Note;
                Values["state"] = e.State;
                Values["stateDate"] = PlanText.Day(e.Dates.Of(e.State), culture);
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        IFormCollection form = await Request.ReadFormAsync(cancellationToken);
        foreach (string field in (string[])["site", "year", "quarter", "estimatedCost", "actualCost", "responsible", "note", "state", "stateDate", "name", "kind",
            "commune", "address", "latitude", "longitude"])
        {
            string value = form[field].ToString().Trim();
            Values[field] = value.Length > PlanService.MaxText ? value[..PlanService.MaxText] : value;
        }

        var problems = new List<PlanProblem>();
        int? year = Whole("year", problems);
        int? quarter = Whole("quarter", problems);
        decimal? estimated = Amount("estimatedCost", culture, problems);
        decimal? actual = Amount("actualCost", culture, problems);
        double? latitude = Degrees("latitude", problems);
        double? longitude = Degrees("longitude", problems);
        DateOnly? stateDate = null;
        if (Value("stateDate").Length > 0)
        {
            if (DateOnly.TryParseExact(Value("stateDate"), s_dayFormats, culture, DateTimeStyles.None, out DateOnly day))
            {
                stateDate = day;
            }
            else
            {
                problems.Add(new("stateDate", "Date", "not a day"));
            }
        }

        string site = Value("site");
        Known = inventory.Find(site) is not null;
        Entry = site.Length > 0 ? await plan.EntryAsync(site, cancellationToken) : null;
        if (problems.Count == 0)
        {
            try
            {
                PlanEntry saved = await plan.SaveAsync(new PlanSiteInput(site, year, quarter, estimated, actual, Value("responsible"), Value("note"),
                    Empty(Value("state")), stateDate, Empty(Value("name")), Empty(Value("kind")), Empty(Value("commune")), Empty(Value("address")), latitude, longitude),
                    User.Identity?.Name ?? "?", cancellationToken);
                return Redirect($"/plan?year={saved.Year}&saved={Uri.EscapeDataString(saved.Site)}");
            }
            catch (PlanException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        Errors = PlanText.Errors(planText, problems.DistinctBy(p => p.Field));
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    private int? Whole(string field, List<PlanProblem> problems)
    {
        if (PlanText.TryWhole(Value(field), out int? number))
        {
            return number;
        }

        problems.Add(new(field, "Number", "not a number"));
        return null;
    }

    private decimal? Amount(string field, CultureInfo culture, List<PlanProblem> problems)
    {
        if (PlanText.TryAmount(Value(field), culture, out decimal? amount))
        {
            return amount;
        }

        problems.Add(new(field, "Number", "not a number"));
        return null;
    }

    // Coordinates are typed with a point or a comma, whatever the language (a map gives "50.8275").
    private double? Degrees(string field, List<PlanProblem> problems)
    {
        if (Value(field).Length == 0)
        {
            return null;
        }

        if (double.TryParse(Value(field).Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double degrees))
        {
            return degrees;
        }

        problems.Add(new(field, "Number", "not a number"));
        return null;
    }
}
