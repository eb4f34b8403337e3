using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Network.Hosting;
using Network.Noc.Alarms;
using Network.Noc.Users;
using Network.Storage;

namespace Network.Noc.Sla;

/// <summary>The body of <c>POST /api/v1/sla/maintenance</c>.</summary>
public sealed record NewMaintenanceWindow(IReadOnlyList<string>? Sites, DateTimeOffset? Start, DateTimeOffset? End, string? Reason);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SchoolMonthReport))]
[JsonSerializable(typeof(ProgrammeReport))]
[JsonSerializable(typeof(SchoolSla))]
[JsonSerializable(typeof(SlaOverride))]
[JsonSerializable(typeof(MaintenanceWindow))]
[JsonSerializable(typeof(IReadOnlyList<MaintenanceWindow>))]
[JsonSerializable(typeof(NewMaintenanceWindow))]
[JsonSerializable(typeof(IReadOnlyList<CreditStep>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class SlaJsonContext : JsonSerializerContext;

public static class SlaExtensions
{
    /// <summary>The SLA's settings, tables, maintenance windows (also asked by the alarms as they open) and reports.</summary>
    public static IHostApplicationBuilder AddSla(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", SlaStore.Feature);
        builder.Services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section)
            .ValidateOnStartNamingKeys(SlaOptions.Section, new SlaOptionsValidator());
        builder.Services.AddSingleton<SlaStore>();
        builder.Services.AddSingleton<MaintenanceService>();
        builder.Services.AddSingleton<IAlarmMaintenance>(services => services.GetRequiredService<MaintenanceService>());
        builder.Services.AddSingleton<SlaReports>();
        builder.Services.AddHostedService<MaintenanceRefresh>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SlaJsonContext.Default));
        return builder;
    }

    /// <summary>
    /// A school's month and the programme (everyone with a role), the programme as CSV, a school's SLA (planners and
    /// admins edit it), maintenance windows (engineers, planners and admins create them).
    /// </summary>
    public static IEndpointRouteBuilder MapSla(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder group = endpoints.MapGroup("/api/v1/sla").RequireAuthorization(NocPolicies.Viewer);
        group.MapGet("/schools/{site}", async Task<Results<Ok<SchoolMonthReport>, NotFound, ValidationProblem>> (string site, string? month, SlaReports reports,
            CancellationToken cancellationToken) =>
        {
            if (!TryMonth(month, reports, out SlaMonth wanted))
            {
                return Problem("month", "a month YYYY-MM");
            }

            return await reports.SchoolMonthAsync(site, wanted, cancellationToken) is SchoolMonthReport report ? TypedResults.Ok(report) : TypedResults.NotFound();
        });
        group.MapGet("/schools/{site}/definition", async Task<Results<Ok<SchoolSla>, NotFound>> (string site, SlaReports reports, CancellationToken cancellationToken) =>
            await reports.SlaAsync(site, cancellationToken) is SchoolSla sla ? TypedResults.Ok(sla) : TypedResults.NotFound());
        group.MapPut("/schools/{site}/definition", async Task<Results<Ok<SchoolSla>, NotFound, ValidationProblem>> (string site, SlaOverride body, HttpContext context,
            SlaReports reports, CancellationToken cancellationToken) =>
        {
            Dictionary<string, string[]> problems = body.Problems();
            if (problems.Count > 0)
            {
                return TypedResults.ValidationProblem(problems);
            }

            return await reports.SaveAsync(site, body, context.User.Identity?.Name ?? "?", cancellationToken) is SchoolSla sla ? TypedResults.Ok(sla) : TypedResults.NotFound();
        }).RequireAuthorization(NocPolicies.Planner);
        group.MapGet("/programme", async Task<Results<Ok<ProgrammeReport>, ValidationProblem>> (string? from, string? to, SlaReports reports,
            CancellationToken cancellationToken) =>
            TryRange(from, to, reports, out SlaMonth first, out SlaMonth last)
                ? TypedResults.Ok(await reports.ProgrammeAsync(first, last, cancellationToken))
                : Problem("range", $"from and to are months YYYY-MM, from not after to, at most {SlaReports.MaxMonths} months"));
        group.MapGet("/programme.csv", async Task<Results<FileContentHttpResult, ValidationProblem>> (string? from, string? to, SlaReports reports,
            CancellationToken cancellationToken) =>
        {
            if (!TryRange(from, to, reports, out SlaMonth first, out SlaMonth last))
            {
                return Problem("range", $"from and to are months YYYY-MM, from not after to, at most {SlaReports.MaxMonths} months");
            }

            string csv = SlaReports.Csv(await reports.ProgrammeAsync(first, last, cancellationToken));
            return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"sla-programme-{first}-{last}.csv");
        });
        group.MapGet("/maintenance", async Task<Results<Ok<IReadOnlyList<MaintenanceWindow>>, ValidationProblem>> (DateTimeOffset? from, DateTimeOffset? to, string? site,
            MaintenanceService maintenance, TimeProvider time, CancellationToken cancellationToken) =>
        {
            DateTimeOffset end = to ?? time.GetUtcNow().AddDays(90);
            DateTimeOffset start = from ?? time.GetUtcNow().AddDays(-90);
            if (end <= start || end - start > TimeSpan.FromDays(800))
            {
                return Problem("range", "from before to, at most 800 days apart");
            }

            return TypedResults.Ok(await maintenance.ListAsync(start, end, string.IsNullOrEmpty(site) ? null : site, cancellationToken));
        });
        group.MapPost("/maintenance", async Task<Results<Created<MaintenanceWindow>, ValidationProblem>> (NewMaintenanceWindow body, HttpContext context,
            MaintenanceService maintenance, CancellationToken cancellationToken) =>
        {
            try
            {
                MaintenanceWindow window = await maintenance.CreateAsync(body.Sites, body.Start, body.End, body.Reason, context.User.Identity?.Name ?? "?",
                    context.User.IsInRole(NocRoles.Admin), cancellationToken);
                return TypedResults.Created($"/api/v1/sla/maintenance/{window.Id}", window);
            }
            catch (MaintenanceException ex)
            {
                return Problem(ex.Field, ex.Message);
            }
        });
        return endpoints;
    }

    private static ValidationProblem Problem(string field, string message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static bool TryMonth(string? text, SlaReports reports, out SlaMonth month)
    {
        if (string.IsNullOrEmpty(text))
        {
            month = reports.CurrentMonth();
            return true;
        }

        return SlaMonth.TryParse(text, out month);
    }

    /// <summary>A range of months from <c>from</c> and <c>to</c> (<c>to</c> missing: <c>from</c> alone; both missing: the current month), at most <see cref="SlaReports.MaxMonths"/>.</summary>
    internal static bool TryRange(string? from, string? to, SlaReports reports, out SlaMonth first, out SlaMonth last)
    {
        last = default;
        return TryMonth(from, reports, out first) && TryMonth(string.IsNullOrEmpty(to) ? from : to, reports, out last)
            && first <= last && last.Index - first.Index < SlaReports.MaxMonths;
    }

    /// <summary>Loads the running and coming maintenance windows at start, and again every minute (another node may have added one).</summary>
    private sealed class MaintenanceRefresh(MaintenanceService maintenance, TimeProvider time, ILogger<MaintenanceService> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
            do
            {
                await StoreStartup.TryAsync(() => maintenance.LoadAsync(stoppingToken), logger, "the maintenance windows");
            }
            while (await Next(timer, stoppingToken));
        }

        private static async Task<bool> Next(PeriodicTimer timer, CancellationToken stoppingToken)
        {
            try
            {
                return await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
