using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Network.Hosting;
using Prometheus;

namespace Network.ServiceDefaults;

/// <summary>
/// What every web service of the platform has, written once: structured console logging,
/// the data folder with its readiness check, <c>/healthz</c>, <c>/readyz</c> and Prometheus <c>/metrics</c>.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag decide <c>/readyz</c>: the service's stores are reachable.</summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // Structured logs on stdout (one JSON object a line) unless the configuration names another formatter.
        if (string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }

        builder.AddDataDirectory();
        builder.Services.AddHostedService<HangupReload>();

        // Libraries count with System.Diagnostics.Metrics (no Prometheus dependency); publish their meters on /metrics.
        LibraryMeters.Publish();
        builder.Services.AddHealthChecks()
            .AddCheck<DataDirectoryHealthCheck>("data-directory", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// The service's data folder (<c>Storage:DataDirectory</c>), for the web host and for a service's command-line
    /// tools that open the same stores.
    /// </summary>
    public static IHostApplicationBuilder AddDataDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .ValidateOnStartNamingKeys(StorageOptions.Section, new StorageOptionsValidator());
        builder.Services.AddSingleton<DataDirectory>();
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseHttpMetrics();
        // Liveness: the process answers. No check runs, so a slow store never makes the orchestrator kill us.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        // Readiness: every store this service needs is reachable.
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthReport,
        });
        app.MapMetrics("/metrics");
        return app;
    }

    /// <summary>
    /// Runs the service; a configuration error stops it with one line naming the key and exit code 78,
    /// not a stack trace.
    /// </summary>
    public static int RunService(this WebApplication app) => ConfigurationErrors.Report(app.Run);

    private static Task WriteHealthReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Select(e =>
            $"{e.Key}: {e.Value.Status}{(e.Value.Description is null ? "" : " (" + e.Value.Description + ")")}");
        return context.Response.WriteAsync($"{report.Status}\n{string.Join('\n', lines)}\n");
    }
}
