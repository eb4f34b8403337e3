using Network.Noc.Users;

namespace Network.Noc.Live;

public static class LiveExtensions
{
    /// <summary>SignalR with bounded messages from clients, and the broadcaster that feeds every dashboard.</summary>
    public static IHostApplicationBuilder AddLive(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options =>
        {
            options.MaximumReceiveMessageSize = 64 * 1024;
            options.MaximumParallelInvocationsPerClient = 1;
            options.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton<LiveBroadcaster>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<LiveHub>("/hubs/live").RequireAuthorization(NocPolicies.Viewer);
        return endpoints;
    }
}
