using Microsoft.AspNetCore.Http.HttpResults;
using Network.Noc.Users;
using Network.Storage;

namespace Network.Noc.Agents;

public static class AgentsExtensions
{
    public static IHostApplicationBuilder AddAgents(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteDatabase("Noc", "noc.db", AgentService.Schema);
        builder.Services.AddSingleton<AgentService>();
        builder.Services.AddHostedService<AgentsStartup>();
        return builder;
    }

    /// <summary>Admins create agents (the token is in that answer only), list and revoke them.</summary>
    public static IEndpointRouteBuilder MapAgents(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder group = endpoints.MapGroup("/api/v1/agents").RequireAuthorization(NocPolicies.Admin);
        group.MapGet("/", async (AgentService agents, CancellationToken cancellationToken) => TypedResults.Ok(await agents.ListAsync(cancellationToken)));
        group.MapPost("/", async Task<Results<Created<NewAgentToken>, ValidationProblem>> (NewAgent body, AgentService agents, CancellationToken cancellationToken) =>
        {
            try
            {
                string token = await agents.CreateAsync(body.Id ?? "", body.Site, token: null, cancellationToken);
                return TypedResults.Created($"/api/v1/agents/{Uri.EscapeDataString(body.Id!)}", new NewAgentToken(body.Id!, token));
            }
            catch (AgentException ex)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agent"] = [ex.Message] });
            }
        });
        group.MapPost("/{id}/revoke", async Task<Results<NoContent, NotFound>> (string id, AgentService agents, CancellationToken cancellationToken) =>
            await agents.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound());
        return endpoints;
    }

    /// <summary>The body of <c>POST /api/v1/agents</c>.</summary>
    public sealed record NewAgent(string? Id, string? Site);

    /// <summary>The answer to <c>POST /api/v1/agents</c>: the only time the token is shown.</summary>
    public sealed record NewAgentToken(string Id, string Token);

    private sealed class AgentsStartup(AgentService agents, ILogger<AgentService> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => StoreStartup.TryAsync(() => agents.LoadAsync(cancellationToken), logger, "the agents");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
