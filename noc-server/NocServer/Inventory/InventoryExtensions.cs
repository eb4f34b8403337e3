using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Network.Hosting;
using Network.Noc.Ingest;
using Network.Noc.Users;
using Network.Storage;

namespace Network.Noc.Inventory;

/// <summary>Options of the inventory, section <c>Inventory</c>.</summary>
public sealed class InventoryOptions
{
    public const string Section = "Inventory";

    /// <summary>A JSON file of sites added at start when their ids are not known yet (the demo fleet: <c>Inventory/demo-sites.json</c>).</summary>
    [System.ComponentModel.DataAnnotations.StringLength(4096)]
    public string? SeedFile { get; set; }
}

[OptionsValidator]
public sealed partial class InventoryOptionsValidator : IValidateOptions<InventoryOptions>;

public static class InventoryExtensions
{
    public static IHostApplicationBuilder AddInventory(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", InventoryService.Feature);
        builder.Services.AddOptions<InventoryOptions>().BindConfiguration(InventoryOptions.Section)
            .ValidateOnStartNamingKeys(InventoryOptions.Section, new InventoryOptionsValidator());
        builder.Services.AddSingleton<InventoryService>();
        builder.Services.AddSingleton<IKnownSites>(services => services.GetRequiredService<InventoryService>());
        builder.Services.AddSingleton<IIngestObserver, DeviceRegistration>();
        builder.Services.AddHostedService<InventoryStartup>();
        return builder;
    }

    /// <summary>The inventory as stored (planners and admins read it; admins change it). Live status is under <c>/api/v1/sites</c>.</summary>
    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder group = endpoints.MapGroup("/api/v1/inventory/sites");
        group.MapGet("/", (InventoryService inventory) => TypedResults.Ok(inventory.Sites.Values.OrderBy(s => s.Id, StringComparer.Ordinal)))
            .RequireAuthorization(NocPolicies.Viewer);
        group.MapGet("/{id}", Results<Ok<Site>, NotFound> (string id, InventoryService inventory) =>
            inventory.Find(id) is Site site ? TypedResults.Ok(site) : TypedResults.NotFound())
            .RequireAuthorization(NocPolicies.Viewer);
        group.MapPut("/{id}", async Task<Results<Ok<Site>, ValidationProblem>> (string id, SeedSite body, InventoryService inventory, CancellationToken cancellationToken) =>
        {
            try
            {
                return TypedResults.Ok(await inventory.SaveAsync(body.ToSite() with { Id = id }, cancellationToken));
            }
            catch (InventoryException ex)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["site"] = [ex.Message] });
            }
        }).RequireAuthorization(NocPolicies.Admin);
        return endpoints;
    }

    /// <summary>Loads the inventory into memory and adds the seed file's new sites before the NOC takes requests.</summary>
    private sealed class InventoryStartup(InventoryService inventory, IOptions<InventoryOptions> options, ILogger<InventoryStartup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!await StoreStartup.TryAsync(() => inventory.LoadAsync(cancellationToken), logger, "the inventory"))
            {
                return;
            }

            if (options.Value.SeedFile is { Length: > 0 } file)
            {
                int added;
                try
                {
                    added = await inventory.SeedAsync(file, cancellationToken);
                }
                catch (Exception ex) when (ex is InventoryException or IOException or UnauthorizedAccessException)
                {
                    throw new OptionsValidationException(InventoryOptions.Section, typeof(InventoryOptions), [$"Inventory:SeedFile: {ex.Message}"]);
                }

                logger.LogInformation("Inventory seeded from {File}: {Added} new sites, {Total} in all", file, added, inventory.Sites.Count);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
