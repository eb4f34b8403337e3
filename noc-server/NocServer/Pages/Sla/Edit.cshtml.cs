using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Sla;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages.Sla;

/// <summary>
/// A school's own SLA values as a form (<c>/sla/schools/{site}/edit</c>), planners and admins only (on every handler):
/// an empty field keeps the programme's value. Posted back, checked (<see cref="SlaOverride.Problems"/>, with the
/// messages in the page's language), saved, and redirected to the school's month.
/// </summary>
[Authorize(Policy = NocPolicies.Planner)]
public sealed class EditModel(SlaReports reports, IStringLocalizer<SlaText> sla) : PageModel
{
    /// <summary>The form's fields, by name: what was typed (or stored), shown again.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public SchoolSla Current { get; private set; } = null!;

    public static readonly string[] Numbers = ["committedDown", "committedUp", "objective", "latency", "loss", "fee"];

    public async Task<IActionResult> OnGetAsync(string site, CancellationToken cancellationToken)
    {
        if (await reports.SlaAsync(site, cancellationToken) is not SchoolSla current)
        {
            return NotFound();
        }

        Current = current;
        SlaOverride values = current.Overrides ?? new SlaOverride();
        Values["committedDown"] = Invariant(values.CommittedDownMbps);
        Values["committedUp"] = Invariant(values.CommittedUpMbps);
        Values["objective"] = Invariant(values.AvailabilityObjectivePercent);
        Values["latency"] = Invariant(values.LatencyObjectiveMs);
        Values["loss"] = Invariant(values.LossObjectivePercent);
        Values["fee"] = values.MonthlyFee?.ToString(CultureInfo.InvariantCulture) ?? "";
        Values["hours"] = values.Hours is null ? "" : string.Join("; ", values.Hours);
        Values["excluded"] = values.Excluded is null ? "" : string.Join("\n", values.Excluded);
        Values["credits"] = values.Credits is null ? "" : string.Join("; ", values.Credits.Select(c => Invariant(c.BelowPercent) + "=" + Invariant(c.CreditPercent)));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string site, CancellationToken cancellationToken)
    {
        if (await reports.SlaAsync(site, cancellationToken) is not SchoolSla current)
        {
            return NotFound();
        }

        Current = current;
        IFormCollection form = await Request.ReadFormAsync(cancellationToken);
        var errors = new List<FieldError>();
        foreach (string field in Numbers.Concat(["hours", "excluded", "credits"]))
        {
            string value = form[field].ToString().Trim();
            Values[field] = value.Length > 4000 ? value[..4000] : value;
        }

        double? Number(string field)
        {
            string text = Values[field];
            if (text.Length == 0)
            {
                return null;
            }

            if (TryNumber(text, out double value))
            {
                return value;
            }

            errors.Add(new FieldError(field, sla["NotANumber"]));
            return null;
        }

        IReadOnlyList<string>? Lines(string field, char separator) =>
            Values[field].Length == 0 ? null : [.. Values[field].Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

        double? fee = Number("fee");
        var values = new SlaOverride(
            Number("committedDown"), Number("committedUp"), Number("objective"), Lines("hours", ';'), Lines("excluded", '\n'),
            Number("latency"), Number("loss"), Credits(errors), fee is double f && f <= (double)decimal.MaxValue ? (decimal)f : null, current.Overrides?.ActiveFrom);
        foreach ((string key, string[] _) in values.Problems())
        {
            (string field, string message) = key switch
            {
                nameof(SlaOverride.CommittedDownMbps) => ("committedDown", sla["RangeRate"].Value),
                nameof(SlaOverride.CommittedUpMbps) => ("committedUp", sla["RangeRate"].Value),
                nameof(SlaOverride.AvailabilityObjectivePercent) => ("objective", sla["RangePercent"].Value),
                nameof(SlaOverride.LatencyObjectiveMs) => ("latency", sla["RangeLatency"].Value),
                nameof(SlaOverride.LossObjectivePercent) => ("loss", sla["RangePercent"].Value),
                nameof(SlaOverride.MonthlyFee) => ("fee", sla["RangeFee"].Value),
                nameof(SlaOverride.Credits) => ("credits", sla["BadCredits"].Value),
                _ => ScheduleField(values),
            };
            if (!errors.Exists(e => e.Field == field))
            {
                errors.Add(new FieldError(field, message));
            }
        }

        if (errors.Count > 0)
        {
            Errors = [.. errors.OrderBy(e => Array.IndexOf(FieldOrder, e.Field))];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await reports.SaveAsync(site, values, User.Identity?.Name ?? "?", cancellationToken);
        return Redirect($"/sla/schools/{Uri.EscapeDataString(site)}");
    }

    private static readonly string[] FieldOrder = ["committedDown", "committedUp", "objective", "hours", "excluded", "latency", "loss", "credits", "fee"];

    // The credit table as typed: "99.5=10; 98=25" (below this availability, this share of the fee).
    private List<CreditStep>? Credits(List<FieldError> errors)
    {
        string text = Values["credits"];
        if (text.Length == 0)
        {
            return null;
        }

        var steps = new List<CreditStep>();
        foreach (string line in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !TryNumber(parts[0], out double below) || !TryNumber(parts[1], out double credit))
            {
                errors.Add(new FieldError("credits", sla["BadCredits"]));
                return null;
            }

            steps.Add(new CreditStep(below, credit));
        }

        return steps;
    }

    // Which schedule field holds the line the schedule's parser refused.
    private (string, string) ScheduleField(SlaOverride values)
    {
        try
        {
            SlaSchedule.Parse(values.Hours, null, "UTC");
            return ("excluded", sla["BadExcluded"].Value);
        }
        catch (FormatException)
        {
            return ("hours", sla["BadHours"].Value);
        }
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Invariant(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
