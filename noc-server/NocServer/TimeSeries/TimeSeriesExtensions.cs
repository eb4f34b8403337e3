using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Network.Hosting;
using Network.Storage;

namespace Network.Noc.TimeSeries;

public static class TimeSeriesExtensions
{
    /// <summary>
    /// The time-series layer, options section <c>TimeSeries</c>: the embedded store as the <see cref="ITimeSeriesReader"/> and an
    /// <see cref="ITimeSeriesSink"/>, InfluxDB as a second sink when <c>TimeSeries:Influx:Url</c> is set, and the background
    /// flush and retention. The embedded store is always SQLite (<see cref="SeriesFile"/>).
    /// </summary>
    public static IHostApplicationBuilder AddTimeSeries(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        (string name, string defaultFile) = SeriesFile(builder.Configuration);
        builder.AddSqliteDatabase(name, defaultFile, EmbeddedTimeSeriesStore.Schema);
        builder.Services.AddOptions<TimeSeriesOptions>().BindConfiguration(TimeSeriesOptions.Section)
            .ValidateOnStartNamingKeys(TimeSeriesOptions.Section, new TimeSeriesOptionsValidator());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<TimeSeriesMetrics>();
        builder.Services.AddSingleton<EmbeddedTimeSeriesStore>();
        builder.Services.AddSingleton<ITimeSeriesReader>(services => services.GetRequiredService<EmbeddedTimeSeriesStore>());
        builder.Services.AddSingleton<ITimeSeriesSink>(services => services.GetRequiredService<EmbeddedTimeSeriesStore>());

        // Bound here only to decide the registration; the options above are what the sink reads (and what is validated).
        var influx = new InfluxOptions();
        builder.Configuration.GetSection($"{TimeSeriesOptions.Section}:Influx").Bind(influx);
        if (influx.Enabled)
        {
            builder.Services.AddSingleton<InfluxTimeSeriesSink>();
            builder.Services.AddSingleton<ITimeSeriesSink>(services => services.GetRequiredService<InfluxTimeSeriesSink>());
        }

        builder.Services.AddHostedService<TimeSeriesMaintenance>();
        return builder;
    }

    /// <summary>
    /// The connection string that names the embedded store's SQLite file, and its default file: <c>ConnectionStrings:Series</c>
    /// when given; otherwise the NOC's own file (<c>ConnectionStrings:Noc</c>, as before the NOC's tables could move to
    /// PostgreSQL, so existing files keep their series) while that is SQLite; when the NOC's tables are on PostgreSQL, a file of
    /// its own, <c>noc-series.db</c> in the data folder.
    /// </summary>
    public static (string Name, string DefaultFile) SeriesFile(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString("Series")))
        {
            return ("Series", "noc-series.db");
        }

        return ServiceDatabase.EngineOf(configuration.GetConnectionString("Noc") ?? "") == DatabaseEngine.PostgreSql
            ? ("Series", "noc-series.db")
            : ("Noc", "noc.db");
    }
}

/// <summary>Ticks the embedded store's <see cref="EmbeddedTimeSeriesStore.MaintainAsync"/> (flush and retention), and flushes at shutdown.</summary>
internal sealed class TimeSeriesMaintenance(
    EmbeddedTimeSeriesStore store, IOptions<TimeSeriesOptions> options, TimeProvider time, ILogger<TimeSeriesMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan period = TimeSpan.FromTicks(Math.Min(options.Value.FlushInterval.Ticks, options.Value.CleanupInterval.Ticks) / 2);
        using var timer = new PeriodicTimer(period < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : period, time);
        do
        {
            try
            {
                await store.MaintainAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Time-series maintenance failed; retrying at the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await store.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The point log still holds everything; the next start merges it.
            logger.LogWarning(ex, "Time-series flush at shutdown failed; the point log is merged at the next start");
        }
    }
}
