using System.Globalization;
using Microsoft.Extensions.Localization;
using Network.Noc.Inventory;
using Network.Noc.Plan;
using Network.WebPages;

namespace Network.Noc.Pages.Plan;

/// <summary>
/// The rollout plan's pages' texts: <c>PlanText.resx</c> (English, the fallback), <c>PlanText.nl.resx</c>,
/// <c>PlanText.fr.resx</c>, read through <c>IStringLocalizer&lt;PlanText&gt;</c> (<c>P[key]</c> in the pages). Every key
/// is in all three files. And how the pages write money, days and names of states in the page's culture.
/// </summary>
public sealed class PlanText
{
    /// <summary>
    /// An amount in EUR as the culture writes money, with the code rather than the sign: <c>EUR 35.000,00</c> in nl-BE,
    /// <c>35 000,00 EUR</c> in fr-BE, <c>EUR 35,000.00</c> in en-GB (the spaces do not break).
    /// </summary>
    public static string Money(decimal amount, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        string number = amount.ToString("N2", culture);
        return culture.NumberFormat.CurrencyPositivePattern is 0 or 2 ? "EUR\u00A0" + number : number + "\u00A0EUR";
    }

    public static string Money(decimal? amount, CultureInfo culture) => amount is decimal value ? Money(value, culture) : "";

    /// <summary>A day in the culture's short form (11/03/2026 in nl-BE, fr-BE and en-GB).</summary>
    public static string Day(DateOnly? day, CultureInfo culture) => day?.ToString("d", culture) ?? "";

    /// <summary>An amount as the form shows it again: the culture's decimal separator, no grouping (35000,50).</summary>
    public static string Amount(decimal? amount, CultureInfo culture) => amount?.ToString("0.00", culture) ?? "";

    /// <summary>An amount typed in a form: the culture's decimal separator, groups and "EUR"/"€" allowed; null when empty.</summary>
    public static bool TryAmount(string? text, CultureInfo culture, out decimal? amount)
    {
        ArgumentNullException.ThrowIfNull(culture);
        amount = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        amount = PlanCsv.ParseNumber(text.Trim(), culture.NumberFormat.NumberDecimalSeparator[0]);
        return amount is not null;
    }

    public static string State(IStringLocalizer<PlanText> planText, string state) => planText["State" + char.ToUpperInvariant(state[0]) + state[1..]];

    public static string Programme(IStringLocalizer<PlanText> planText, string programme) =>
        planText[programme == PlanProgrammes.Schools ? "ProgrammeSchools" : "ProgrammeHotspots"];

    public static string Kind(IStringLocalizer<PlanText> planText, string kind) => kind switch
    {
        SiteKinds.HotspotIndoor => planText["KindHotspotIndoor"],
        SiteKinds.HotspotOutdoor => planText["KindHotspotOutdoor"],
        _ => planText["KindSchool"],
    };

    /// <summary>The plan's problems as form errors in the page's language (the field's own message for the code).</summary>
    public static IReadOnlyList<FieldError> Errors(IStringLocalizer<PlanText> planText, IEnumerable<PlanProblem> problems) =>
        [.. problems.Select(p => new FieldError(p.Field, planText["Problem" + p.Code]))];
}
