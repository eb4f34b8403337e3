using System.Globalization;
using System.Text.RegularExpressions;
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

    /// <summary>
    /// An amount typed in a form, as <see cref="Money(decimal, CultureInfo)"/> writes it or plainer: "EUR"/"€" before or after, the culture's
    /// decimal separator once, and groups of three digits before it separated by the culture's group separator, a space
    /// or the other of "." and "," (EUR 35.000,00 and 35000,5 in nl-BE; 35 000,00 EUR and 35.000,00 in fr-BE; EUR 35,000.00
    /// in en-GB). Anything else, 35,000.00 in nl-BE or 35.5 (groups of three only) among them, is not an amount: a
    /// separator of the wrong language is refused rather than read as another number. True with null when empty.
    /// </summary>
    public static bool TryAmount(string? text, CultureInfo culture, out decimal? amount)
    {
        ArgumentNullException.ThrowIfNull(culture);
        amount = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        char decimalSeparator = culture.NumberFormat.NumberDecimalSeparator[0];
        char other = decimalSeparator == ',' ? '.' : ',';
        string groups = Regex.Escape(culture.NumberFormat.NumberGroupSeparator + other) + "\\s";
        string pattern = $"^(?:EUR|€)?\\s*(\\d{{1,3}}(?:[{groups}]\\d{{3}})+|\\d+)(?:{Regex.Escape(decimalSeparator.ToString())}(\\d+))?\\s*(?:EUR|€)?$";
        Match match = text.Length <= 40 ? Regex.Match(text.Trim(), pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : Match.Empty;
        string digits = string.Concat(match.Groups[1].Value.Where(char.IsAsciiDigit)) + (match.Groups[2].Success ? "." + match.Groups[2].Value : "");
        if (!match.Success || !decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            return false;
        }

        amount = value;
        return true;
    }

    /// <summary>A whole number typed in a form (digits only). True with null when empty.</summary>
    public static bool TryWhole(string? text, out int? number)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return false;
        }

        number = value;
        return true;
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
