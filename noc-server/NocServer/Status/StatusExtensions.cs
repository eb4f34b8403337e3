using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Network.Hosting;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;
using Network.Noc.Users;

namespace Network.Noc.Status;

public static partial class StatusExtensions
{
    /// <summary>Longest range one series read may ask for.</summary>
    public static readonly TimeSpan MaxSeriesRange = TimeSpan.FromDays(400);

    /// <summary>The status engine, its clock, and the publisher that judges stored batches and tells alarms and site observers.</summary>
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section)
            .ValidateOnStartNamingKeys(StatusOptions.Section, new StatusOptionsValidator());
        builder.Services.AddSingleton<StatusEngine>();
        builder.Services.AddSingleton<StatusPublisher>();
        builder.Services.AddSingleton<IIngestObserver>(services => services.GetRequiredService<StatusPublisher>());
        builder.Services.AddHostedService<StatusTicker>();
        return builder;
    }

    /// <summary>Sites with their live state, and their series for the charts.</summary>
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder group = endpoints.MapGroup("/api/v1/sites").RequireAuthorization(NocPolicies.Viewer);
        group.MapGet("/", (StatusPublisher publisher) => TypedResults.Ok(publisher.Sites()));
        group.MapGet("/{id}", Results<Ok<SiteStatusView>, NotFound> (string id, StatusPublisher publisher) =>
            publisher.Site(id) is SiteStatusView site ? TypedResults.Ok(site) : TypedResults.NotFound());
        group.MapGet("/{id}/series", async Task<Results<Ok<IReadOnlyList<SeriesData>>, NotFound, ValidationProblem>> (
            string id, string? metric, string? from, string? to, string? device, string? resolution,
            ITimeSeriesReader reader, Inventory.InventoryService inventory, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (inventory.Find(id) is null)
            {
                return TypedResults.NotFound();
            }

            DateTimeOffset now = time.GetUtcNow();
            if (string.IsNullOrEmpty(metric) || metric.Length > Ingest.SampleValidation.MaxNameLength
                || !TryTime(from, now.AddHours(-1), out DateTimeOffset start) || !TryTime(to, now, out DateTimeOffset end)
                || end <= start || end - start > MaxSeriesRange
                || !Enum.TryParse(resolution ?? "auto", ignoreCase: true, out SeriesResolution wanted))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["query"] = ["metric is required; from < to as ISO 8601, at most 400 days apart; resolution auto, raw, minute or hour"],
                });
            }

            var query = new SeriesQuery(id, metric, start, end) { Device = device, Resolution = wanted };
            return TypedResults.Ok(await reader.ReadAsync(query, cancellationToken));
        });
        return endpoints;
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>Ticks the engine for staleness; the work is in <see cref="StatusPublisher.TickAsync"/>.</summary>
    private sealed partial class StatusTicker(StatusPublisher publisher, Microsoft.Extensions.Options.IOptions<StatusOptions> options, TimeProvider time,
        ILogger<StatusTicker> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            publisher.PublishGauges();
            using var timer = new PeriodicTimer(options.Value.TickInterval, time);
            while (await WaitAsync(timer, stoppingToken))
            {
                try
                {
                    await publisher.TickAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogTickFailed(logger, ex);
                }
            }
        }

        private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
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

        [LoggerMessage(Level = LogLevel.Error, Message = "Status tick failed")]
        private static partial void LogTickFailed(ILogger logger, Exception ex);
    }
}
