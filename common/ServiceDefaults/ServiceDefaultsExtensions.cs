using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Network.Hosting;
using Network.Metrics;

namespace Network.ServiceDefaults;

/// <summary>
/// What every web service of the platform has, written once: structured console logging,
/// the data folder with its readiness check, <c>/healthz</c>, <c>/readyz</c> and Prometheus <c>/metrics</c>.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag decide <c>/readyz</c>: the service's stores are reachable.</summary>
    public const string ReadyTag = "ready";

    /// <summary>ASP.NET Core's meter of <c>http.server.request.duration</c> and <c>http.server.active_requests</c>.</summary>
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";

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

        // Every metric is a System.Diagnostics.Metrics instrument: the platform's meters, and ASP.NET Core's request
        // duration (http_server_request_duration_seconds), exported on /metrics. Made now, so it listens from the start.
        var exporter = new PrometheusExporter(new PrometheusExporterOptions
        {
            Meters = [PrometheusExporterOptions.PlatformMeters, HostingMeter],
        });
        builder.Services.AddSingleton(_ => exporter); // from a factory, so the container disposes it with the host
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
        // Liveness: the process answers. No check runs, so a slow store never makes the orchestrator kill us.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        // Readiness: every store this service needs is reachable.
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthReport,
        });
        app.MapGet("/metrics", static (HttpContext context, PrometheusExporter exporter) =>
            Results.Text(exporter.Collect(), PrometheusExporter.ContentType));
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
