using System.Globalization;

namespace Network.Noc.Pages.Reports;

/// <summary>
/// Horizontal bars drawn on the server as SVG (no script, nothing inline for the CSP to refuse): a label on the left, a
/// bar as long as its value against the largest, the value written after it. The report pages draw every usage chart
/// this way (sessions per month, per commune, of the busiest hotspots); the figures are in the table beside each chart.
/// Coordinates are invariant numbers in a view box <see cref="Width"/> wide.
/// </summary>
public sealed class BarChart
{
    public const int Width = 640;
    public const int LabelWidth = 190;
    public const int ValueWidth = 90;
    public const int Row = 22;
    public const int BarHeight = 15;

    /// <summary>One bar: its label, its value as written, and where it is drawn.</summary>
    public sealed record Bar(string Label, string Value, string Y, string TextY, string Length, string ValueX);

    public BarChart(IEnumerable<(string Label, double Value, string Text)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        List<(string Label, double Value, string Text)> all = [.. items];
        double largest = Math.Max(1, all.Select(i => i.Value).DefaultIfEmpty(0).Max());
        const int span = Width - LabelWidth - ValueWidth;
        Bars = [.. all.Select((item, i) =>
        {
            double length = Math.Max(0, item.Value) / largest * span;
            return new Bar(item.Label, item.Text, N(i * Row + (Row - BarHeight) / 2.0), N(i * Row + Row / 2.0 + 4), N(length), N(LabelWidth + length + 6));
        })];
        Height = Math.Max(Row, all.Count * Row);
    }

    public IReadOnlyList<Bar> Bars { get; }

    /// <summary>The view box's height: a row a bar.</summary>
    public int Height { get; }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
