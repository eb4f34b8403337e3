using Network.CaptivePortal.Accounts;
using Network.Hosting;

namespace Network.CaptivePortal.Sessions;

public static class SessionsExtensions
{
    /// <summary>
    /// The accounting store (<see cref="SessionStore"/>) and the session policy (<see cref="SessionPolicy"/>: quotas,
    /// simultaneous sessions), options section <c>Sessions</c>, on the portal's database. The policy needs the
    /// gateways (<see cref="ISessionGateways"/>) that the RADIUS feature registers.
    /// </summary>
    public static IHostApplicationBuilder AddSessions(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase(SessionStore.Feature);
        builder.Services.AddOptions<SessionsOptions>().BindConfiguration(SessionsOptions.Section)
            .ValidateOnStartNamingKeys(SessionsOptions.Section, new SessionsOptionsValidator());
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SessionPolicy>();
        return builder;
    }
}
