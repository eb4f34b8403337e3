using System.Globalization;
using Network.Noc.Sla;

namespace Network.Noc.Pages.Sla;

/// <summary>
/// The geometry of a month's throughput tests drawn on the server as SVG (no script, nothing inline for the CSP to
/// refuse): one mark per test (downloads as circles, uploads as squares, so the shape tells them apart as well as the
/// colour), a dashed line at each direction's pass threshold, days along the bottom and Mbit/s up the side. Coordinates
/// are invariant numbers in a 640 × 240 view box.
/// </summary>
public sealed class ThroughputChart
{
    private static readonly int[] s_days = [1, 8, 15, 22, 29];
    private static readonly double[] s_fractions = [0, 0.25, 0.5, 0.75, 1];

    public const int Width = 640;
    public const int Height = 240;
    public const int Left = 48;
    public const int Right = 12;
    public const int Top = 12;
    public const int Bottom = 28;

    /// <summary>One test's mark: its centre, direction, and the value for its tooltip.</summary>
    public sealed record Mark(string X, string Y, bool Download, double Mbps, DateTimeOffset At);

    /// <summary>A tick: where, and what it says.</summary>
    public sealed record Tick(string At, string Label);

    public IReadOnlyList<Mark> Marks { get; }

    public IReadOnlyList<Tick> XTicks { get; }

    public IReadOnlyList<Tick> YTicks { get; }

    /// <summary>The y of the download and upload pass thresholds.</summary>
    public string DownThresholdY { get; }

    public string UpThresholdY { get; }

    public int PlotRight => Width - Right;

    public int PlotBottom => Height - Bottom;

    public ThroughputChart(SchoolMonthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!SlaMonth.TryParse(report.Month, out SlaMonth month))
        {
            throw new ArgumentException($"Not a month: {report.Month}.", nameof(report));
        }

        DateTimeOffset start = LocalMidnight(month.Year, month.Month, 1);
        int days = DateTime.DaysInMonth(month.Year, month.Month);
        DateTimeOffset end = start.AddDays(days);
        double top = new[] { report.Figures.Download.CommittedMbps, report.Figures.Upload.CommittedMbps }
            .Concat(report.Throughput.Select(t => t.Mbps)).Max() * 1.15;
        double scale = Math.Max(10, Math.Ceiling(top / 10) * 10);

        string X(DateTimeOffset at) => Coordinate(Left + (at - start).TotalMilliseconds / (end - start).TotalMilliseconds * (PlotRight - Left));
        string Y(double mbps) => Coordinate(PlotBottom - Math.Clamp(mbps / scale, 0, 1) * (PlotBottom - Top));

        Marks = [.. report.Throughput.Select(t =>
        {
            DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(t.AtMs);
            return new Mark(X(at), Y(t.Mbps), t.Download, t.Mbps, at);
        })];
        XTicks = [.. s_days.Where(d => d <= days).Select(d => new Tick(X(LocalMidnight(month.Year, month.Month, d)), d.ToString(CultureInfo.CurrentCulture)))];
        YTicks = [.. s_fractions.Select(f => new Tick(Y(scale * f), (scale * f).ToString("0", CultureInfo.CurrentCulture)))];
        DownThresholdY = Y(report.Figures.Download.ThresholdMbps);
        UpThresholdY = Y(report.Figures.Upload.ThresholdMbps);
    }

    private static DateTimeOffset LocalMidnight(int year, int month, int day)
    {
        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, SlaText.Zone.GetUtcOffset(local));
    }

    private static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
