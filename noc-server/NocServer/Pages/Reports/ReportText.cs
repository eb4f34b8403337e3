using System.Globalization;

namespace Network.Noc.Pages.Reports;

/// <summary>
/// The report pages' texts: <c>ReportText.resx</c> (English, the fallback), <c>ReportText.nl.resx</c>,
/// <c>ReportText.fr.resx</c>, read through <c>IStringLocalizer&lt;ReportText&gt;</c> (<c>R[key]</c> in the pages,
/// <c>reportText[key]</c> in the model). Counts and data volumes in the request's culture; percentages, months and money as the
/// SLA and plan pages write them (<c>SlaText</c>, <c>PlanText</c>).
/// </summary>
public sealed class ReportText
{
    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    /// <summary>A count with the culture's groups: <c>12.345</c>, <c>12 345</c>, <c>12,345</c>.</summary>
    public static string Count(long value) => value.ToString("N0", Culture);

    /// <summary>Octets as gigabytes (10⁹ octets) with one decimal and the culture's separators: <c>1.234,5 GB</c>, <c>1,234.5 GB</c>.</summary>
    public static string Gigabytes(long octets) => (octets / 1e9).ToString("N1", Culture) + "\u00A0GB";

    /// <summary>A day written out: <c>7 december 2026</c>, <c>7 décembre 2026</c>, <c>7 December 2026</c>.</summary>
    public static string Day(DateOnly day) => day.ToString("d MMMM yyyy", Culture);
}
