using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Network.Noc.Ingest;
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
    /// and each of their tables as CSV: <c>/api/v1/reports/{monthly|yearly}/{hotspots|communes|months|schools}.csv</c>.
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
            string? year, UsageReports usage, SlaReports schools, CancellationToken cancellationToken) =>
        {
            if (!IsPeriod(period) || table is not ("hotspots" or "communes" or "months" or "schools"))
            {
                return TypedResults.NotFound();
            }

            if (!TryPeriod(period, month, year, usage, out SlaMonth first, out SlaMonth last))
            {
                return Problem(period);
            }

            string csv = await CsvAsync(table, first, last, usage, schools, cancellationToken);
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
        UsageReport hotspots = await usage.ReportAsync(first, last, cancellationToken).ConfigureAwait(false);
        ProgrammeReport programme = await schools.ProgrammeAsync(first, last, cancellationToken).ConfigureAwait(false);
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

    private static bool IsPeriod(string period) => period is "monthly" or "yearly";

    private static ValidationProblem Problem(string period) => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        [period == "monthly" ? "month" : "year"] = [period == "monthly" ? "a month YYYY-MM (2000 to 2100)" : "a year YYYY (2000 to 2100)"],
    });
}
