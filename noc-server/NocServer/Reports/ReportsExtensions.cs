using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Network.Noc.Csv;
using Network.Noc.Ingest;
using Network.Noc.Plan;
using Network.Noc.Sla;
using Network.Noc.Users;
using Network.Storage;

namespace Network.Noc.Reports;

/// <summary>A monthly or yearly report: the hotspots' use and uptime, and the schools' SLA (the programme's figures) for the same months.</summary>
public sealed record PeriodReport(string Period, string From, string To, UsageReport Hotspots, ProgrammeReport Schools);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PeriodReport))]
internal sealed partial class ReportsJsonContext : JsonSerializerContext;

public static class ReportsExtensions
{
    private static readonly string[] s_tables = ["hotspots", "communes", "months", "top", "bottom", "schools", "plan"];

    /// <summary>The hotspots' months (the portal's figures, kept from ingest) and the reports built on them.</summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", UsageStore.Feature);
        builder.Services.AddSingleton<UsageStore>();
        builder.Services.AddSingleton<UsageRecorder>();
        builder.Services.AddSingleton<IIngestObserver>(services => services.GetRequiredService<UsageRecorder>());
        builder.Services.AddSingleton<UsageReports>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ReportsJsonContext.Default));
        return builder;
    }

    /// <summary>
    /// <c>/api/v1/reports/monthly?month=YYYY-MM</c>, <c>/api/v1/reports/yearly?year=YYYY</c> (engineers, planners, admins read),
    /// and each of their tables as CSV: <c>/api/v1/reports/{monthly|yearly}/{hotspots|communes|months|top|bottom|schools}.csv</c>, and
    /// the yearly report's plan progress, <c>/api/v1/reports/yearly/plan.csv</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder group = endpoints.MapGroup("/api/v1/reports").RequireAuthorization(NocPolicies.Viewer);
        group.MapGet("/{period}", async Task<Results<Ok<PeriodReport>, NotFound, ValidationProblem>> (string period, string? month, string? year,
            UsageReports usage, SlaReports schools, CancellationToken cancellationToken) =>
        {
            if (!IsPeriod(period))
            {
                return TypedResults.NotFound();
            }

            return TryPeriod(period, month, year, usage, out SlaMonth first, out SlaMonth last)
                ? TypedResults.Ok(await ReportAsync(period, first, last, usage, schools, cancellationToken))
                : Problem(period);
        });
        group.MapGet("/{period}/{table}.csv", async Task<Results<FileContentHttpResult, NotFound, ValidationProblem>> (string period, string table, string? month,
            string? year, UsageReports usage, SlaReports schools, PlanProgressService plan, CancellationToken cancellationToken) =>
        {
            if (!IsPeriod(period) || !s_tables.Contains(table) || (table == "plan" && period != "yearly"))
            {
                return TypedResults.NotFound();
            }

            if (!TryPeriod(period, month, year, usage, out SlaMonth first, out SlaMonth last))
            {
                return Problem(period);
            }

            string csv = table == "plan"
                ? ProgressCsv(await plan.ProgressAsync(first.Year, cancellationToken))
                : await CsvAsync(table, first, last, usage, schools, cancellationToken);
            string name = first == last ? first.ToString() : first.Year.ToString(CultureInfo.InvariantCulture);
            return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"report-{table}-{name}.csv");
        });
        return endpoints;
    }

    /// <summary>The report of a period (the pages and the API show the same).</summary>
    public static async Task<PeriodReport> ReportAsync(string period, SlaMonth first, SlaMonth last, UsageReports usage, SlaReports schools,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(schools);
        // Both halves judge the sites on the same status history: read once.
        ILookup<string, Alarms.AlarmView> history = await schools.HistoryAsync(first, cancellationToken).ConfigureAwait(false);
        UsageReport hotspots = await usage.ReportAsync(first, last, history, cancellationToken).ConfigureAwait(false);
        ProgrammeReport programme = await schools.ProgrammeAsync(first, last, history, cancellationToken).ConfigureAwait(false);
        return new PeriodReport(period, first.ToString(), last.ToString(), hotspots, programme);
    }

    /// <summary>One table of a period's report as CSV.</summary>
    public static async Task<string> CsvAsync(string table, SlaMonth first, SlaMonth last, UsageReports usage, SlaReports schools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(schools);
        if (table == "schools")
        {
            return SlaReports.Csv(await schools.ProgrammeAsync(first, last, cancellationToken).ConfigureAwait(false));
        }

        UsageReport report = await usage.ReportAsync(first, last, cancellationToken).ConfigureAwait(false);
        return table switch
        {
            "communes" => UsageReports.CommunesCsv(report.Communes),
            "months" => UsageReports.MonthsCsv(report.Months),
            "top" => UsageReports.HotspotsCsv(report.Top),
            "bottom" => UsageReports.HotspotsCsv(report.Bottom),
            _ => UsageReports.HotspotsCsv(report.Hotspots),
        };
    }

    /// <summary>The months of a period: <c>monthly</c> one month (<paramref name="month"/>, else this one), <c>yearly</c> a year's twelve (<paramref name="year"/>, else this one).</summary>
    public static bool TryPeriod(string period, string? month, string? year, UsageReports usage, out SlaMonth first, out SlaMonth last)
    {
        ArgumentNullException.ThrowIfNull(usage);
        SlaMonth now = usage.CurrentMonth();
        first = last = now;
        if (period == "monthly")
        {
            if (!string.IsNullOrEmpty(month) && !SlaMonth.TryParse(month, out first))
            {
                return false;
            }

            last = first;
            return first.Year is >= 2000 and <= 2100;
        }

        int wanted = now.Year;
        if (!string.IsNullOrEmpty(year) && (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out wanted) || wanted is < 2000 or > 2100))
        {
            return false;
        }

        (first, last) = (new SlaMonth(wanted, 1), new SlaMonth(wanted, 12));
        return true;
    }

    /// <summary>The plan's progress of a year by programme and quarter as CSV (the yearly report's plan tables).</summary>
    public static string ProgressCsv(PlanProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return CsvText.Table(
            ["programme", "year", "quarter", "quarter_end", "target_cumulative", "planned_cumulative", "active_cumulative", "budget", "estimated", "spent"],
            progress.Programmes.SelectMany(p => p.Quarters.Select(q => (IEnumerable<string>)
            [
                p.Programme, CsvText.Number(p.Year), CsvText.Number(q.Quarter), q.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                TargetBy(p, q.Quarter) is int target ? CsvText.Number(target) : "", CsvText.Number(q.PlannedCumulative),
                q.ActiveCumulative is int active ? CsvText.Number(active) : "",
                p.Budget?.ToString("0.00", CultureInfo.InvariantCulture) ?? "", p.Estimated.ToString("0.00", CultureInfo.InvariantCulture),
                p.Spent.ToString("0.00", CultureInfo.InvariantCulture),
            ])));
    }

    /// <summary>The target line's sites by the end of a quarter (a quarter of the year's target each), as the progress page draws it.</summary>
    public static int? TargetBy(ProgrammeProgress programme, int quarter)
    {
        ArgumentNullException.ThrowIfNull(programme);
        return programme.SitesTarget is int target ? (int)Math.Round(target * quarter / 4.0, MidpointRounding.AwayFromZero) : null;
    }

    private static bool IsPeriod(string period) => period is "monthly" or "yearly";

    private static ValidationProblem Problem(string period) => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        [period == "monthly" ? "month" : "year"] = [period == "monthly" ? "a month YYYY-MM (2000 to 2100)" : "a year YYYY (2000 to 2100)"],
    });
}
