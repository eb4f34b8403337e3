using System.Globalization;
using Microsoft.Extensions.Localization;
using Network.Noc.Sla;

namespace Network.Noc.Pages.Sla;

/// <summary>
/// The SLA pages' texts: <c>SlaText.resx</c> (English, the fallback), <c>SlaText.nl.resx</c>, <c>SlaText.fr.resx</c>, read
/// through <c>IStringLocalizer&lt;SlaText&gt;</c> (<c>S[key]</c> in the pages, <c>sla[key]</c> in their models).
/// Numbers, money and dates are written in the request's culture (<see cref="NocText.Culture"/>), times in Europe/Brussels.
/// </summary>
public sealed class SlaText
{
    private static readonly TimeZoneInfo s_zone = TimeZoneInfo.FindSystemTimeZoneById(NocText.TimeZone);

    /// <summary>The region's time zone, the pages' times and the forms' local times.</summary>
    public static TimeZoneInfo Zone => s_zone;

    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>What the page shows for a figure there is none of.</summary>
    public const string None = "–";

    /// <summary>A month as words: <c>maart 2026</c>, <c>mars 2026</c>, <c>March 2026</c>.</summary>
    public static string Month(SlaMonth month) => new DateTime(month.Year, month.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).ToString("MMMM yyyy", Culture);

    /// <summary>An instant in the region's local time, short date and time of the culture.</summary>
    public static string When(DateTimeOffset? at) => at is DateTimeOffset t ? TimeZoneInfo.ConvertTime(t, s_zone).ToString("g", Culture) : None;

    /// <summary>A local date and time for a <c>datetime-local</c> input (<c>2026-03-10T09:00</c>).</summary>
    public static string LocalInput(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, s_zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A percentage with three decimals, as the culture writes one (<c>99,894 %</c>).</summary>
    public static string Percent(double? value, int decimals = 3) =>
        value is double v ? (v / 100).ToString("P" + decimals.ToString(CultureInfo.InvariantCulture), Culture) : None;

    /// <summary>A number with <paramref name="decimals"/> decimals and the culture's separators.</summary>
    public static string Number(double? value, int decimals = 0) =>
        value is double v ? v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture) : None;

    /// <summary>Euros as the culture writes them.</summary>
    public static string Money(decimal amount)
    {
        var format = (NumberFormatInfo)Culture.NumberFormat.Clone();
        format.CurrencySymbol = "€";
        return amount.ToString("C", format);
    }

    /// <summary>A duration in minutes as hours and minutes (<c>3 h 10 min</c>; Dutch <c>3 u 10 min</c>).</summary>
    public static string Duration(double? minutes, IStringLocalizer<SlaText> sla)
    {
        ArgumentNullException.ThrowIfNull(sla);
        if (minutes is not double m)
        {
            return None;
        }

        long whole = (long)Math.Round(m, MidpointRounding.AwayFromZero);
        return whole < 60
            ? string.Format(Culture, sla["DurationMinutes"], whole)
            : string.Format(Culture, sla["DurationHours"], whole / 60, whole % 60);
    }

    /// <summary>Yes, no, or nothing to say.</summary>
    public static string YesNo(bool? value, IStringLocalizer<SlaText> sla)
    {
        ArgumentNullException.ThrowIfNull(sla);
        return value switch { true => sla["Yes"], false => sla["No"], null => None };
    }
}
