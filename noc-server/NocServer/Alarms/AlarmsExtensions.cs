using Microsoft.AspNetCore.Http.HttpResults;
using Network.Hosting;
using Network.Noc.Users;
using Network.Storage;

namespace Network.Noc.Alarms;

public static class AlarmsExtensions
{
    public static IHostApplicationBuilder AddAlarms(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", AlarmService.Feature);
        builder.Services.AddOptions<AlarmsOptions>().BindConfiguration(AlarmsOptions.Section)
            .ValidateOnStartNamingKeys(AlarmsOptions.Section, new AlarmsOptionsValidator());
        builder.Services.AddSingleton<AlarmService>();
        builder.Services.AddSingleton<AlarmWebhook>();
        builder.Services.AddSingleton<IAlarmObserver>(services => services.GetRequiredService<AlarmWebhook>());
        builder.Services.AddHostedService(services => services.GetRequiredService<AlarmWebhook>());
        builder.Services.AddHostedService<AlarmsStartup>();
        return builder;
    }

    /// <summary>The alarm list with filters (anyone with a role) and bulk acknowledgement (engineers and admins).</summary>
    public static IEndpointRouteBuilder MapAlarms(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder group = endpoints.MapGroup("/api/v1/alarms");
        group.MapGet("/", async Task<Results<Ok<IReadOnlyList<AlarmView>>, ValidationProblem>> (string? state, string? site, string? severity, DateTimeOffset? since, int? limit,
            AlarmService alarms, CancellationToken cancellationToken) =>
        {
            if (state is not (null or "" or "all" or AlarmStates.Active or AlarmStates.Open or AlarmStates.Acknowledged or AlarmStates.Cleared)
                || limit is < 1 or > 5000)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["query"] = ["state is active, open, acknowledged, cleared or all; limit 1 to 5000"],
                });
            }

            return TypedResults.Ok(await alarms.QueryAsync(new AlarmFilter(state ?? AlarmStates.Active, site, severity, since, limit ?? 500), cancellationToken));
        }).RequireAuthorization(NocPolicies.Viewer);
        group.MapPost("/acknowledge", async Task<Results<Ok<AcknowledgeAnswer>, ValidationProblem>> (AcknowledgeRequest body, HttpContext context,
            AlarmService alarms, CancellationToken cancellationToken) =>
        {
            if (body.Ids is null || body.Ids.Count is 0 or > 10_000 || body.Note?.Length > AlarmService.MaxNoteLength)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["ids"] = [$"1 to 10,000 alarm ids, and a note of at most {AlarmService.MaxNoteLength} characters"],
                });
            }

            Acknowledgement done = await alarms.AcknowledgeAsync(body.Ids, context.User.Identity?.Name ?? "?", body.Note, cancellationToken);
            return TypedResults.Ok(new AcknowledgeAnswer(done.Acknowledged.Count, [.. done.AlreadyAcknowledged.Select(a => new AcknowledgedBefore(a.Id, a.AcknowledgedBy, a.AcknowledgedAt))]));
        }).RequireAuthorization(NocPolicies.Engineer);
        return endpoints;
    }

    /// <summary>The body of <c>POST /api/v1/alarms/acknowledge</c>.</summary>
    public sealed record AcknowledgeRequest(IReadOnlyCollection<long>? Ids, string? Note);

    /// <summary>
    /// How many alarms were acknowledged (cleared or unknown ids are skipped), and those someone else had acknowledged
    /// first, left as they were.
    /// </summary>
    public sealed record AcknowledgeAnswer(int Acknowledged, IReadOnlyList<AcknowledgedBefore> AlreadyAcknowledged);

    /// <summary>An alarm acknowledged before this request: by whom and when.</summary>
    public sealed record AcknowledgedBefore(long Id, string? By, DateTimeOffset? At);

    private sealed class AlarmsStartup(AlarmService alarms, ILogger<AlarmService> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => StoreStartup.TryAsync(() => alarms.LoadAsync(cancellationToken), logger, "the active alarms");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
