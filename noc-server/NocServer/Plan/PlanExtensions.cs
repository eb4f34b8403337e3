using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Network.Noc.Ingest;
using Network.Noc.Inventory;
using Network.Noc.Users;
using Network.Storage;

namespace Network.Noc.Plan;

/// <summary>
/// The answer of a refused import: the first bad row's line and what is wrong with it, every bad row (the first
/// <see cref="PlanCsv.MaxRefusalsListed"/>) and how many more were refused.
/// </summary>
public sealed record PlanImportRefusal(int Line, IReadOnlyList<string> Problems, IReadOnlyList<PlanImportRefusedRow> Rows, int More)
{
    public static PlanImportRefusal Of(PlanImportException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return new(refused.Line, [.. refused.Problems.Select(p => p.Message)],
            [.. refused.Refusals.Take(PlanCsv.MaxRefusalsListed).Select(r => new PlanImportRefusedRow(r.Line, [.. r.Problems.Select(p => p.Message)]))],
            Math.Max(0, refused.Refusals.Count - PlanCsv.MaxRefusalsListed));
    }
}

/// <summary>A refused row of an import: its line (0: the file as a whole) and what is wrong with it.</summary>
public sealed record PlanImportRefusedRow(int Line, IReadOnlyList<string> Problems);

/// <summary>The answer of a stored import.</summary>
public sealed record PlanImportResult(int Imported);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PlanTarget))]
[JsonSerializable(typeof(IReadOnlyList<PlanTarget>))]
[JsonSerializable(typeof(PlanEntry))]
[JsonSerializable(typeof(IReadOnlyList<PlanEntry>))]
[JsonSerializable(typeof(PlanSiteInput))]
[JsonSerializable(typeof(PlanTargetInput))]
[JsonSerializable(typeof(PlanProgress))]
[JsonSerializable(typeof(PlanImportRefusal))]
[JsonSerializable(typeof(PlanImportResult))]
[JsonSerializable(typeof(IReadOnlyList<int>))]
internal sealed partial class PlanJsonContext : JsonSerializerContext;

public static class PlanExtensions
{
    /// <summary>The plan's store, the waiting sites loaded at start, the first-report observer, progress.</summary>
    public static IHostApplicationBuilder AddPlan(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", PlanService.Feature);
        builder.Services.AddSingleton<PlanService>();
        builder.Services.AddSingleton<PlanProgressService>();
        builder.Services.AddSingleton<IIngestObserver, PlanActivation>();
        builder.Services.AddHostedService<PlanStartup>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PlanJsonContext.Default));
        return builder;
    }

    /// <summary>
    /// <c>/api/v1/plan</c>: everyone with a role reads (years, targets, sites, the CSV export, progress); planners and
    /// admins write (targets, sites, the CSV import).
    /// </summary>
    public static IEndpointRouteBuilder MapPlan(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder group = endpoints.MapGroup("/api/v1/plan").RequireAuthorization(NocPolicies.Viewer);
        group.MapGet("/years", async (PlanService plan, CancellationToken cancellationToken) => TypedResults.Ok(await plan.YearsAsync(cancellationToken)));
        group.MapGet("/{year:int}/targets", async (int year, PlanService plan, CancellationToken cancellationToken) =>
            TypedResults.Ok(await plan.TargetsAsync(year, cancellationToken)));
        group.MapPut("/{year:int}/targets/{programme}", async Task<Results<Ok<PlanTarget>, ValidationProblem>> (int year, string programme, PlanTargetInput body,
            HttpContext context, PlanService plan, CancellationToken cancellationToken) =>
        {
            try
            {
                return TypedResults.Ok(await plan.SaveTargetAsync(year, programme, body, User(context), cancellationToken));
            }
            catch (PlanException ex)
            {
                return TypedResults.ValidationProblem(ex.ToValidationProblems());
            }
        }).RequireAuthorization(NocPolicies.Planner);
        group.MapGet("/{year:int}/sites", async (int year, string? programme, string? state, PlanService plan, CancellationToken cancellationToken) =>
            TypedResults.Ok((await plan.EntriesAsync(year, cancellationToken))
                .Where(e => (string.IsNullOrEmpty(programme) || e.Programme == programme) && (string.IsNullOrEmpty(state) || e.State == state)).ToList()));
        group.MapGet("/{year:int}/sites.csv", async (int year, string? lang, PlanService plan, InventoryService inventory, CancellationToken cancellationToken) =>
        {
            string language = lang is "nl" or "fr" ? lang : "en";
            byte[] file = PlanCsv.Export(await plan.EntriesAsync(year, cancellationToken), inventory.Sites, language);
            return TypedResults.File(file, "text/csv; charset=utf-8", $"plan-{year}-{language}.csv");
        });
        group.MapGet("/{year:int}/progress", async (int year, PlanProgressService progress, CancellationToken cancellationToken) =>
            TypedResults.Ok(await progress.ProgressAsync(year, cancellationToken)));
        group.MapGet("/sites/{site}", async Task<Results<Ok<PlanEntry>, NotFound>> (string site, PlanService plan, CancellationToken cancellationToken) =>
            await plan.EntryAsync(site, cancellationToken) is PlanEntry entry ? TypedResults.Ok(entry) : TypedResults.NotFound());
        group.MapPut("/sites/{site}", async Task<Results<Ok<PlanEntry>, ValidationProblem>> (string site, PlanSiteInput body, HttpContext context, PlanService plan,
            CancellationToken cancellationToken) =>
        {
            try
            {
                return TypedResults.Ok(await plan.SaveAsync(body with { Site = site }, User(context), cancellationToken));
            }
            catch (PlanException ex)
            {
                return TypedResults.ValidationProblem(ex.ToValidationProblems());
            }
        }).RequireAuthorization(NocPolicies.Planner);
        group.MapDelete("/sites/{site}", async Task<Results<NoContent, NotFound>> (string site, PlanService plan, CancellationToken cancellationToken) =>
            await plan.DeleteAsync(site, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound()).RequireAuthorization(NocPolicies.Planner);
        group.MapPost("/import", async Task<Results<Ok<PlanImportResult>, UnprocessableEntity<PlanImportRefusal>, StatusCodeHttpResult>> (HttpContext context,
            PlanService plan, CancellationToken cancellationToken) =>
        {
            byte[]? body = await ReadBodyAsync(context.Request, cancellationToken);
            if (body is null)
            {
                return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            try
            {
                IReadOnlyList<PlanEntry> stored = await plan.ImportAsync(PlanCsv.Parse(PlanCsv.Decode(body)), User(context), cancellationToken);
                return TypedResults.Ok(new PlanImportResult(stored.Count));
            }
            catch (PlanImportException ex)
            {
                return TypedResults.UnprocessableEntity(PlanImportRefusal.Of(ex));
            }
        }).RequireAuthorization(NocPolicies.Planner);
        return endpoints;
    }

    /// <summary>A request's body up to <see cref="PlanCsv.MaxBytes"/>; null when it is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > PlanCsv.MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        try
        {
            await using var limited = new BoundedReadStream(request.Body, PlanCsv.MaxBytes);
            await limited.CopyToAsync(buffer, cancellationToken);
        }
        catch (BodyTooLargeException)
        {
            return null;
        }

        return buffer.ToArray();
    }

    private static string User(HttpContext context) => context.User.Identity?.Name ?? "?";

    /// <summary>Loads the waiting sites before the NOC takes batches.</summary>
    private sealed class PlanStartup(PlanService plan, ILogger<PlanService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken) => await StoreStartup.TryAsync(() => plan.LoadAsync(cancellationToken), logger, "the plan");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
