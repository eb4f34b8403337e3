using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Network.Noc.Plan;

namespace Network.Noc.Pages.Plan;

/// <summary>
/// The plan's progress for a year (<c>/plan/progress?year=</c>), per programme: a chart drawn on the server (SVG, no
/// script: cumulative active sites by quarter as bars, the planned sites and the target as lines) and the same figures
/// in a table under it; the budget against the estimated and spent amounts; the late sites; the share of schools connected.
/// </summary>
public sealed class ProgressModel(PlanProgressService progress, TimeProvider time) : PageModel
{
    /// <summary>The chart's drawing area in SVG units.</summary>
    public const double Width = 480, Height = 200, Left = 40, Bottom = 24, Top = 10;

    public PlanProgress Progress { get; private set; } = new(0, default, []);

    public async Task OnGetAsync(string? year, CancellationToken cancellationToken)
    {
        Progress = await progress.ProgressAsync(PlanCalendar.YearOr(year, PlanCalendar.Day(time.GetUtcNow()).Year), cancellationToken);
    }

    /// <summary>The top of the chart's scale: the largest of the target and the planned sites, at least 1.</summary>
    public static int Scale(ProgrammeProgress p) => Math.Max(1, Math.Max(p.SitesTarget ?? 0, p.Quarters.Max(q => q.PlannedCumulative)));

    /// <summary>The x of the middle of a quarter's slot.</summary>
    public static double X(int quarter) => Left + (Width - Left) * (quarter - 0.5) / 4;

    /// <summary>The y of a count on the scale.</summary>
    public static double Y(double count, int scale) => Top + (Height - Bottom - Top) * (1 - count / scale);

    /// <summary>An axis label: SVG's <c>text</c> element, which Razor keeps for itself in a page.</summary>
    public static IHtmlContent Label(double x, double y, string anchor, string text) => new HtmlString(
        $"<text class=\"tick\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\">{HtmlEncoder.Default.Encode(text)}</text>");

    /// <summary>A coordinate as SVG writes it (invariant, two decimals).</summary>
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
