using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Plan;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages.Plan;

/// <summary>
/// A year's targets per programme (<c>/plan/targets?year=</c>): everyone with a role reads them; planners and admins
/// change them in a form that posts back here (antiforgery checked by Razor Pages), all programmes at once or none. Money
/// is shown and read in the page's culture (EUR 35.000,00 in nl-BE, 35 000,00 EUR in fr-BE); a programme whose fields
/// are all empty keeps its targets. A refused form comes back with its messages; a stored one redirects here (post/redirect/get).
/// </summary>
public sealed class TargetsModel(PlanService plan, IAuthorizationService authorization, IStringLocalizer<PlanText> planText, TimeProvider time) : PageModel
{
    /// <summary>The form's fields of each programme (the schools' total only for schools).</summary>
    private static readonly string[] s_fields = ["sitesToAdd", "budget", "schoolsTotal"];

    public int Year { get; private set; }

    public IReadOnlyList<int> Years { get; private set; } = [];

    public bool CanEdit { get; private set; }

    /// <summary>The stored targets of the year, by programme.</summary>
    public IReadOnlyDictionary<string, PlanTarget> Targets { get; private set; } = new Dictionary<string, PlanTarget>();

    /// <summary>The form's values as typed (or as stored), by field name (<see cref="Field"/>).</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    /// <summary>Whether the page comes after a stored form.</summary>
    public bool Saved { get; private set; }

    /// <summary>A programme's field in the form: <c>schools-budget</c>.</summary>
    public static string Field(string programme, string name) => programme + "-" + name;

    /// <summary>Whether a programme's form has a field (the schools' total is for schools only).</summary>
    public static bool Has(string programme, string name) => name != "schoolsTotal" || programme == PlanProgrammes.Schools;

    public string Value(string field) => Values.GetValueOrDefault(field) ?? "";

    public async Task OnGetAsync(string? year, string? saved, CancellationToken cancellationToken)
    {
        await LoadAsync(PlanCalendar.YearOr(year, ThisYear), cancellationToken);
        Saved = saved == "1";
        CultureInfo culture = CultureInfo.CurrentCulture;
        foreach (PlanTarget target in Targets.Values)
        {
            Values[Field(target.Programme, "sitesToAdd")] = target.SitesToAdd.ToString(CultureInfo.InvariantCulture);
            Values[Field(target.Programme, "budget")] = PlanText.Money(target.Budget, culture);
            Values[Field(target.Programme, "schoolsTotal")] = target.SchoolsTotal?.ToString(CultureInfo.InvariantCulture) ?? "";
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, NocPolicies.Planner)).Succeeded)
        {
            return StatusCode(StatusCodes.Status403Forbidden); // the error page, in the viewer's language
        }

        CultureInfo culture = CultureInfo.CurrentCulture;
        IFormCollection form = await Request.ReadFormAsync(cancellationToken);
        await LoadAsync(PlanCalendar.YearOr(form["year"].ToString(), ThisYear), cancellationToken);
        var problems = new List<PlanProblem>();
        var targets = new List<(string, PlanTargetInput)>();
        foreach (string programme in PlanProgrammes.All)
        {
            foreach (string name in s_fields.Where(n => Has(programme, n)))
            {
                string value = form[Field(programme, name)].ToString().Trim();
                Values[Field(programme, name)] = value.Length > 100 ? value[..100] : value;
            }

            if (s_fields.Where(n => Has(programme, n)).All(n => Value(Field(programme, n)).Length == 0))
            {
                continue; // nothing typed: the programme keeps its targets
            }

            // A field that cannot be read is refused with its own message (the one the service would give for its value).
            var read = new List<PlanProblem>();
            int? sitesToAdd = PlanText.TryWhole(Value(Field(programme, "sitesToAdd")), out int? sites) ? sites : Refuse<int>(read, "SitesToAdd");
            decimal? budget = PlanText.TryAmount(Value(Field(programme, "budget")), culture, out decimal? amount) ? amount : Refuse<decimal>(read, "Budget");
            int? schoolsTotal = !Has(programme, "schoolsTotal") ? null
                : PlanText.TryWhole(Value(Field(programme, "schoolsTotal")), out int? total) ? total : Refuse<int>(read, "SchoolsTotal");
            var input = new PlanTargetInput(sitesToAdd, budget, schoolsTotal);
            problems.AddRange(read.Select(p => p with { Field = Field(programme, p.Field) }));
            problems.AddRange(PlanService.CheckTarget(Year, programme, input)
                .Where(p => !read.Any(r => r.Field == p.Field))
                .Select(p => p with { Field = Field(programme, p.Field) }));
            targets.Add((programme, input));
        }

        if (problems.Count == 0 && targets.Count > 0)
        {
            try
            {
                await plan.SaveTargetsAsync(Year, targets, User.Identity?.Name ?? "?", cancellationToken);
                return Redirect($"/plan/targets?year={Year}&saved=1");
            }
            catch (PlanException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        if (targets.Count == 0)
        {
            problems.Add(new(Field(PlanProgrammes.All[0], "sitesToAdd"), "TargetsEmpty", "nothing typed"));
        }

        // Each message names its programme: the summary lists both programmes' fields.
        Errors = [.. problems.DistinctBy(p => p.Field).Select(p => new FieldError(p.Field, targets.Count == 0 ? planText["Problem" + p.Code]
            : string.Format(culture, planText["ProblemOfProgramme"],
                PlanText.Programme(planText, p.Field.StartsWith(PlanProgrammes.Schools, StringComparison.Ordinal) ? PlanProgrammes.Schools : PlanProgrammes.Hotspots),
                planText["Problem" + p.Code].Value)))];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private int ThisYear => PlanCalendar.Day(time.GetUtcNow()).Year;

    // A field's problem under the field's name (its code with a lower-case first letter: "SitesToAdd" is field "sitesToAdd").
    private static T? Refuse<T>(List<PlanProblem> problems, string code)
        where T : struct
    {
        problems.Add(new(char.ToLowerInvariant(code[0]) + code[1..], code, "cannot be read"));
        return null;
    }

    private async Task LoadAsync(int year, CancellationToken cancellationToken)
    {
        Year = year;
        Years = [.. (await plan.YearsAsync(cancellationToken)).Append(ThisYear).Append(ThisYear + 1).Append(Year).Distinct().OrderDescending()];
        CanEdit = (await authorization.AuthorizeAsync(User, NocPolicies.Planner)).Succeeded;
        Targets = (await plan.TargetsAsync(Year, cancellationToken)).ToDictionary(t => t.Programme, StringComparer.Ordinal);
    }
}
