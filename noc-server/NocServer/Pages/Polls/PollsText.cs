using System.Globalization;

namespace Network.Noc.Pages.Polls;

/// <summary>
/// The texts of the planners' poll pages: <c>PollsText.resx</c> (English, the fallback), <c>PollsText.nl.resx</c>,
/// <c>PollsText.fr.resx</c>, read through <c>IStringLocalizer&lt;PollsText&gt;</c> (<c>P[key]</c> in the pages,
/// <c>Texts[key]</c> in their models); every key is in all three files. The layout's texts stay in <c>NocText</c>.
/// </summary>
public sealed class PollsText;

/// <summary>
/// A poll's moments as the planners type and read them: local times of the region (<see cref="NocText.TimeZone"/>) in a
/// <c>datetime-local</c> field (<c>2026-06-03T09:00</c>), instants in UTC everywhere else.
/// </summary>
public static class PollTimes
{
    /// <summary>The <c>datetime-local</c> value format.</summary>
    public const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    private static readonly TimeZoneInfo s_zone = TimeZoneInfo.FindSystemTimeZoneById(NocText.TimeZone);

    /// <summary>What went wrong reading a local time.</summary>
    public enum Problem
    {
        None,
        Missing,
        Unreadable,

        /// <summary>A time the clocks skip when summer time starts (02:00-03:00 on the last Sunday of March).</summary>
        Skipped,
    }

    /// <summary>
    /// A local time typed in a <c>datetime-local</c> field (seconds allowed, as some browsers send them) as an instant; a
    /// time the clocks pass twice (the last Sunday of October, 02:00-03:00) is its first pass, in summer time.
    /// </summary>
    public static Problem TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Problem.Missing;
        }

        if (text.Length > 19 || !DateTime.TryParseExact(text.Trim(), [InputFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out DateTime local) || local.Year is < 2000 or > 2200)
        {
            return Problem.Unreadable;
        }

        if (s_zone.IsInvalidTime(local))
        {
            return Problem.Skipped;
        }

        TimeSpan offset = s_zone.IsAmbiguousTime(local) ? s_zone.GetAmbiguousTimeOffsets(local).Max() : s_zone.GetUtcOffset(local);
        instant = new DateTimeOffset(local, offset).ToUniversalTime();
        return Problem.None;
    }

    /// <summary>An instant as the value of a <c>datetime-local</c> field, in the region's time.</summary>
    public static string Input(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, s_zone).ToString(InputFormat, CultureInfo.InvariantCulture);

    /// <summary>An instant in the region's time, written in the page's culture (date and hour, no seconds).</summary>
    public static string Show(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, s_zone).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>An instant in the <c>datetime</c> attribute of a <c>&lt;time&gt;</c> element (ISO 8601 with its offset).</summary>
    public static string Machine(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, s_zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
