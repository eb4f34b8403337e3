namespace Network.FleetSimulator;

/// <summary>
/// How busy a kind of site is through the day and the week: one level per local hour (per mille of the
/// peak, linear between two hours) and a factor per weekday. Local time is Brussels winter time
/// (UTC+1) all year: the shape of the day matters here, not the change to summer time.
/// </summary>
internal sealed class DailyCurve
{
    private const long LocalOffsetHours = 1;
    private readonly int[] _perMille;
    private readonly double[] _weekday;

    private DailyCurve(int[] perMille, double[] weekdayMondayFirst)
    {
        _perMille = perMille;
        _weekday = weekdayMondayFirst;
    }

    /// <summary>A square or a street: a midday peak and a higher evening one, busier at the weekend.</summary>
    public static DailyCurve OutdoorHotspot { get; } = new(
        [120, 70, 40, 30, 30, 40, 80, 180, 300, 380, 450, 600, 850, 900, 700, 600, 650, 800, 950, 1000, 900, 650, 400, 220],
        [0.9, 0.9, 0.95, 0.95, 1.05, 1.25, 1.2]);

    /// <summary>A town hall or public office: opening hours, nearly empty at the weekend.</summary>
    public static DailyCurve IndoorHotspot { get; } = new(
        [20, 15, 10, 10, 10, 15, 30, 120, 500, 850, 900, 880, 800, 850, 900, 850, 700, 400, 150, 80, 50, 40, 30, 25],
        [1.0, 1.0, 1.0, 1.0, 0.95, 0.15, 0.1]);

    /// <summary>A secondary school: lessons from eight to four, Wednesday afternoon off, quiet weekends.</summary>
    public static DailyCurve School { get; } = new(
        [40, 30, 30, 30, 30, 40, 80, 300, 850, 950, 1000, 950, 800, 900, 1000, 850, 500, 200, 100, 80, 120, 60, 50, 45],
        [1.0, 1.0, 0.8, 1.0, 0.9, 0.08, 0.06]);

    /// <summary>The levels at the start and the end of UTC hour <paramref name="hour"/>, per mille, and the weekday factor.</summary>
    public (int StartPerMille, int EndPerMille, double DayFactor) Hour(long hour)
    {
        long local = hour + LocalOffsetHours;
        int hourOfDay = (int)(local - (SimTime.FloorDiv(local, 24) * 24));
        long day = SimTime.FloorDiv(local, 24);

        // 1970-01-01 was a Thursday: day 0 is index 3 counted from Monday.
        int weekday = (int)(((day + 3) % 7 + 7) % 7);
        return (_perMille[hourOfDay], _perMille[(hourOfDay + 1) % 24], _weekday[weekday]);
    }

    /// <summary>The level at <paramref name="ms"/>, 0 to about 1.25, the weekday factor included.</summary>
    public double ValueAt(long ms)
    {
        long hour = SimTime.HourOf(ms);
        (int start, int end, double dayFactor) = Hour(hour);
        double x = (ms - (hour * SimTime.HourMs)) / (double)SimTime.HourMs;
        return (start + ((end - start) * x)) / 1000.0 * dayFactor;
    }
}
