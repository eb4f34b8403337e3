using System.Globalization;

namespace Network.Noc.Pages;

/// <summary>
/// The NOC's texts: <c>NocText.resx</c> (English, the fallback), <c>NocText.nl.resx</c>, <c>NocText.fr.resx</c>, read
/// through <c>IStringLocalizer&lt;NocText&gt;</c>. Every key is in all three files. Keys that start with <c>Js</c> are the
/// dashboards' scripts' texts: the layout hands them to the page in a JSON block (<see cref="ScriptTextPrefix"/>).
/// </summary>
public sealed class NocText
{
    /// <summary>The prefix of the texts the scripts in <c>wwwroot/js</c> read from the page.</summary>
    public const string ScriptTextPrefix = "Js";

    /// <summary>The languages the NOC speaks, in the order of the language switch.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["nl", "fr", "en"];

    /// <summary>The time zone the pages show times in (the region's).</summary>
    public const string TimeZone = "Europe/Brussels";

    /// <summary>A moment as the pages write it: in the region's time zone, date and time in <paramref name="culture"/>'s short form.</summary>
    public static string LocalTime(DateTimeOffset at, CultureInfo culture) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(TimeZone)).ToString("g", culture);

    /// <summary>
    /// The culture numbers and dates are written in for <paramref name="language"/> (nl, fr, en): Belgian Dutch and
    /// French, British English (day before month, 24-hour clock).
    /// </summary>
    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language switch
    {
        "nl" => "nl-BE",
        "fr" => "fr-BE",
        _ => "en-GB",
    });

    /// <summary>One of <see cref="Languages"/> for a language tag (<c>fr</c>, <c>fr-BE</c>, <c>NL</c>), or null.</summary>
    public static string? Language(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > 35)
        {
            return null;
        }

        int dash = tag.IndexOfAny(['-', '_']);
        string primary = (dash < 0 ? tag : tag[..dash]).ToLowerInvariant();
        return Languages.Contains(primary) ? primary : null;
    }
}
