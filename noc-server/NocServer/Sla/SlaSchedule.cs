using System.Globalization;

namespace Network.Noc.Sla;

/// <summary>A half-open span of time [<see cref="Start"/>, <see cref="End"/>) in Unix milliseconds (UTC).</summary>
public readonly record struct TimeSpan64(long Start, long End)
{
    public long Length => End > Start ? End - Start : 0;
}

/// <summary>Sets of spans as sorted lists without overlaps: what the monthly maths adds and takes away.</summary>
public static class Spans
{
    /// <summary>The spans merged: sorted, overlapping or touching ones joined, empty ones dropped.</summary>
    public static List<TimeSpan64> Union(IEnumerable<TimeSpan64> spans)
    {
        var sorted = spans.Where(s => s.End > s.Start).OrderBy(s => s.Start).ToList();
        var merged = new List<TimeSpan64>(sorted.Count);
        foreach (TimeSpan64 span in sorted)
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, span.End) };
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    /// <summary>What both merged lists cover.</summary>
    public static List<TimeSpan64> Intersect(IReadOnlyList<TimeSpan64> a, IReadOnlyList<TimeSpan64> b)
    {
        var result = new List<TimeSpan64>();
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            long start = Math.Max(a[i].Start, b[j].Start);
            long end = Math.Min(a[i].End, b[j].End);
            if (end > start)
            {
                result.Add(new TimeSpan64(start, end));
            }

            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }

    /// <summary>What merged list <paramref name="a"/> covers and <paramref name="b"/> does not.</summary>
    public static List<TimeSpan64> Subtract(IReadOnlyList<TimeSpan64> a, IReadOnlyList<TimeSpan64> b)
    {
        var result = new List<TimeSpan64>();
        int j = 0;
        foreach (TimeSpan64 span in a)
        {
            long start = span.Start;
            while (j < b.Count && b[j].End <= start)
            {
                j++;
            }

            int k = j;
            while (k < b.Count && b[k].Start < span.End)
            {
                if (b[k].Start > start)
                {
                    result.Add(new TimeSpan64(start, b[k].Start));
                }

                start = Math.Max(start, b[k].End);
                k++;
            }

            if (span.End > start)
            {
                result.Add(new TimeSpan64(start, span.End));
            }
        }

        return result;
    }

    /// <summary>Milliseconds covered by a merged list.</summary>
    public static long Total(IEnumerable<TimeSpan64> spans) => spans.Sum(s => s.Length);
}

/// <summary>One line of a weekly schedule: these days, from one local time to another (<c>Mon-Fri 07:00-18:00</c>).</summary>
public sealed record WeeklyHours(IReadOnlySet<DayOfWeek> Days, TimeOnly From, TimeOnly To)
{
    private static readonly string[] s_days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>
    /// <c>DAYS HH:MM-HH:MM</c>, DAYS a day (<c>Mon</c>), a range (<c>Mon-Fri</c>) or a list of either (<c>Mon,Wed,Fri</c>);
    /// <c>24:00</c> ends a day.
    /// </summary>
    public static WeeklyHours Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] times = parts.Length == 2 ? parts[1].Split('-') : [];
        if (times.Length != 2)
        {
            throw new FormatException($"'{text}': weekly hours are DAYS HH:MM-HH:MM, for example Mon-Fri 07:00-18:00");
        }

        var days = new HashSet<DayOfWeek>();
        foreach (string item in parts[0].Split(','))
        {
            string[] range = item.Split('-');
            if (range.Length is < 1 or > 2)
            {
                throw new FormatException($"'{text}': '{item}' is not a day or a range of days");
            }

            int first = Day(range[0], text);
            int last = range.Length == 2 ? Day(range[1], text) : first;
            for (int d = first; ; d = (d + 1) % 7)
            {
                days.Add((DayOfWeek)d);
                if (d == last)
                {
                    break;
                }
            }
        }

        TimeOnly from = Time(times[0], text, allowEndOfDay: false);
        TimeOnly to = Time(times[1], text, allowEndOfDay: true);
        if (to != TimeOnly.MaxValue && to <= from)
        {
            throw new FormatException($"'{text}': the hours end after they start (a night across midnight is two lines)");
        }

        return new WeeklyHours(days, from, to);
    }

    public override string ToString()
    {
        string days = string.Join(',', Days.Order().Select(d => char.ToUpperInvariant(s_days[(int)d][0]) + s_days[(int)d][1..]));
        string to = To == TimeOnly.MaxValue ? "24:00" : To.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"{days} {From.ToString("HH:mm", CultureInfo.InvariantCulture)}-{to}";
    }

    private static int Day(string name, string text)
    {
        int index = Array.IndexOf(s_days, name.Trim().ToLowerInvariant() is { Length: >= 3 } n ? n[..3] : "");
        return index >= 0 ? index : throw new FormatException($"'{text}': '{name}' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    private static TimeOnly Time(string value, string text, bool allowEndOfDay)
    {
        if (allowEndOfDay && value == "24:00")
        {
            return TimeOnly.MaxValue;
        }

        return TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly time)
            ? time
            : throw new FormatException($"'{text}': '{value}' is not a time HH:MM");
    }
}

/// <summary>Local dates left out of the schedule, both days included (school holidays): <c>2026-02-16/2026-02-20 Krokusvakantie</c>.</summary>
public sealed record ExcludedPeriod(DateOnly From, DateOnly To, string Name)
{
    /// <summary><c>YYYY-MM-DD[/YYYY-MM-DD] [name]</c>.</summary>
    public static ExcludedPeriod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        string dates = space < 0 ? trimmed : trimmed[..space];
        string name = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        string[] ends = dates.Split('/');
        if (ends.Length is < 1 or > 2 || !TryDate(ends[0], out DateOnly from) || !TryDate(ends[^1], out DateOnly to))
        {
            throw new FormatException($"'{text}': an excluded period is YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD, then a name");
        }

        return to < from ? throw new FormatException($"'{text}': the period ends before it starts") : new ExcludedPeriod(from, to, name);
    }

    public override string ToString() =>
        (From == To ? From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : $"{From:yyyy-MM-dd}/{To:yyyy-MM-dd}".ToString(CultureInfo.InvariantCulture))
        + (Name.Length > 0 ? " " + Name : "");

    private static bool TryDate(string value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

/// <summary>
/// When a school's SLA is measured: every hour (no <see cref="Hours"/>) or the weekly hours given, in local time of
/// <see cref="Zone"/>, less the <see cref="Excluded"/> dates. Months are local months too, so March in Brussels has 743
/// hours and October 745.
/// </summary>
public sealed class SlaSchedule(IReadOnlyList<WeeklyHours> hours, IReadOnlyList<ExcludedPeriod> excluded, TimeZoneInfo zone)
{
    public const int MaxLines = 200;
    public const int MaxLineLength = 200;

    // A month's spans, worked out once per schedule (a programme report asks for the same months of every school).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TimeSpan64[]> _months = new();

    public IReadOnlyList<WeeklyHours> Hours { get; } = hours;

    public IReadOnlyList<ExcludedPeriod> Excluded { get; } = excluded;

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>Every hour of the month, nothing excluded, in Europe/Brussels.</summary>
    public static SlaSchedule AllHours(TimeZoneInfo zone) => new([], [], zone);

    /// <summary>Parses the text forms (<see cref="WeeklyHours.Parse"/>, <see cref="ExcludedPeriod.Parse"/>); throws <see cref="FormatException"/> with the line at fault.</summary>
    public static SlaSchedule Parse(IEnumerable<string>? hours, IEnumerable<string>? excluded, string timeZone)
    {
        List<string> hourLines = [.. hours ?? []];
        List<string> excludedLines = [.. excluded ?? []];
        if (hourLines.Count > MaxLines || excludedLines.Count > MaxLines || hourLines.Concat(excludedLines).Any(l => l is null || l.Length > MaxLineLength))
        {
            throw new FormatException($"at most {MaxLines} weekly hours and {MaxLines} excluded periods, each at most {MaxLineLength} characters");
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new FormatException($"'{timeZone}' is not a time zone (for example Europe/Brussels)");
        }

        return new SlaSchedule([.. hourLines.Select(WeeklyHours.Parse)], [.. excludedLines.Select(ExcludedPeriod.Parse)], zone);
    }

    /// <summary>The first instant of a local month (Unix ms).</summary>
    public long MonthStart(int year, int month) => LocalToUtc(new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified));

    /// <summary>The first instant after a local month (Unix ms).</summary>
    public long MonthEnd(int year, int month) => LocalToUtc(new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1));

    /// <summary>The scheduled spans of a local month, merged, in Unix ms.</summary>
    public IReadOnlyList<TimeSpan64> Scheduled(int year, int month) => _months.GetOrAdd(year * 12 + month - 1, _ => [.. Compute(year, month)]);

    private List<TimeSpan64> Compute(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        DateOnly next = first.AddMonths(1);
        var spans = new List<TimeSpan64>();
        for (DateOnly day = first; day < next; day = day.AddDays(1))
        {
            if (Excluded.Any(e => day >= e.From && day <= e.To))
            {
                continue;
            }

            long dayStart = LocalToUtc(day.ToDateTime(TimeOnly.MinValue));
            long dayEnd = LocalToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue));
            if (Hours.Count == 0)
            {
                spans.Add(new TimeSpan64(dayStart, dayEnd));
                continue;
            }

            foreach (WeeklyHours hours in Hours)
            {
                if (hours.Days.Contains(day.DayOfWeek))
                {
                    long start = LocalToUtc(day.ToDateTime(hours.From));
                    long end = hours.To == TimeOnly.MaxValue ? dayEnd : LocalToUtc(day.ToDateTime(hours.To));
                    spans.Add(new TimeSpan64(start, end));
                }
            }
        }

        return Spans.Union(spans);
    }

    /// <summary>A local time to Unix ms; a time the clock skips (spring) counts from the change, one it repeats (autumn) its first pass.</summary>
    public long LocalToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        TimeSpan offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
    }
}
