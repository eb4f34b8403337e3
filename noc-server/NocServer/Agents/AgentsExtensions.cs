using Microsoft.AspNetCore.Http.HttpResults;
using Network.Noc.Users;
using Network.Storage;

namespace Network.Noc.Agents;

public static partial class AgentsExtensions
{
    public static IHostApplicationBuilder AddAgents(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", AgentService.Feature);
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

    /// <summary>
    /// How often the running NOC reads the tokens again: what the command line changed in the store (a revoked agent,
    /// a finished rotation, which only drop tokens and so never cause a miss that reads them) applies within this time.
    /// </summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(5);

    /// <summary>Reads the tokens at start, then every <see cref="ReloadInterval"/>.</summary>
    private sealed partial class AgentsStartup(AgentService agents, TimeProvider time, ILogger<AgentService> logger) : BackgroundService
    {
        public override async Task StartAsync(CancellationToken cancellationToken)
        {
            await StoreStartup.TryAsync(() => agents.LoadAsync(cancellationToken), logger, "the agents").ConfigureAwait(false);
            await base.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(ReloadInterval, time);
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                {
                    try
                    {
                        await agents.LoadAsync(stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (StoreStartup.IsUnavailable(ex))
                    {
                        LogReloadFailed(logger, ex);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "reading the agents' tokens again failed; the ones read before stay in use")]
        private static partial void LogReloadFailed(ILogger logger, Exception exception);
    }
}
