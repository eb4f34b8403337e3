using Network.Noc.Alarms;
using Network.Noc.Ingest;
using Network.Noc.Reports;
using Network.Noc.Status;
using Network.Noc.Users;

namespace Network.Noc.Live;

public static class LiveExtensions
{
    /// <summary>
    /// SignalR with bounded messages from clients, and the broadcaster that feeds every dashboard: it observes the sites'
    /// status, the alarms, the hotspots' users online and (for the charts) the stored points.
    /// </summary>
    public static IHostApplicationBuilder AddLive(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options =>
        {
            options.MaximumReceiveMessageSize = 64 * 1024;
            options.MaximumParallelInvocationsPerClient = 1;
            options.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton<LiveBroadcaster>();
        builder.Services.AddSingleton<ISiteObserver>(services => services.GetRequiredService<LiveBroadcaster>());
        builder.Services.AddSingleton<IAlarmObserver>(services => services.GetRequiredService<LiveBroadcaster>());
        builder.Services.AddSingleton<IUsersOnlineObserver>(services => services.GetRequiredService<LiveBroadcaster>());
        builder.Services.AddSingleton<IIngestObserver, LiveChartPoints>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<LiveHub>("/hubs/live").RequireAuthorization(NocPolicies.Viewer);
        return endpoints;
    }
}
