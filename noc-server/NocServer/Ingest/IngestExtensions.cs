using Network.Hosting;
using Network.Storage;

namespace Network.Noc.Ingest;

public static class IngestExtensions
{
    /// <summary>The ingest pipeline and its writer; the time-series sinks and the agents come from their own features.</summary>
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section)
            .ValidateOnStartNamingKeys(IngestOptions.Section, new IngestOptionsValidator());
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<UnknownSites>();
        builder.Services.AddHostedService<IngestWriter>();
        return builder;
    }

    /// <summary>Loads the pipeline's sequences, runs the mirrors, and at the stop stores what was accepted (the pipeline's writer runs on its own).</summary>
    private sealed class IngestWriter(IngestPipeline pipeline, TimeProvider time, ILogger<IngestPipeline> logger) : BackgroundService
    {
        public override async Task StartAsync(CancellationToken cancellationToken)
        {
            await StoreStartup.TryAsync(() => pipeline.LoadAsync(cancellationToken), logger, "the agents' last sequences");
            await base.StartAsync(cancellationToken);
        }

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            // Accepted batches are written even while stopping: their agents are waiting for the answer.
            await pipeline.DisposeAsync();
            await base.StopAsync(cancellationToken);
        }

        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            Task.WhenAll(pipeline.Mirrors.Select(m => m.RunAsync(time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default)));
    }
}
