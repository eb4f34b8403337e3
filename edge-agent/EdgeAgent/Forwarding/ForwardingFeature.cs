using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Queue;
using Network.Hosting;

namespace Network.EdgeAgent.Forwarding;

public static class ForwardingFeature
{
    public static IServiceCollection AddAgentForwarding(this IServiceCollection services)
    {
        services.AddOptions<ForwardingOptions>().BindConfiguration(ForwardingOptions.Section)
            .ValidateOnStartNamingKeys(ForwardingOptions.Section, new ForwardingOptionsValidator());
        services.AddSingleton<IValidateOptions<ForwardingOptions>, ForwardingUrlValidator>();
        services.AddSingleton(provider =>
        {
            ForwardingOptions o = provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;
            return new Forwarder(
                provider.GetRequiredService<SegmentStore>(),
                provider.GetRequiredService<IOptions<QueueOptions>>().Value.Folder,
                o,
                provider.GetRequiredService<IOptions<SiteOptions>>().Value.EffectiveAgentId,
                Forwarder.CreateHandler(o),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger("Network.EdgeAgent.Forwarding"));
        });
        services.AddHostedService<ForwardingService>();
        return services;
    }
}

/// <summary>
/// Runs the forwarder step after step, waiting what each step says. On shutdown (SIGTERM), after the pollers have
/// stopped and written their last records, it gets a few seconds to deliver what it can; the rest stays queued.
/// </summary>
public sealed partial class ForwardingService(Forwarder forwarder, TimeProvider time, ILogger<ForwardingService> logger) : BackgroundService
{
    public static readonly TimeSpan FlushBudget = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ForwardOutcome outcome = await forwarder.ForwardOnceAsync(stoppingToken).ConfigureAwait(false);
                if (outcome.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(outcome.Delay, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(FlushBudget);
        int delivered = 0;
        try
        {
            while (true)
            {
                ForwardOutcome outcome = await forwarder.ForwardOnceAsync(budget.Token).ConfigureAwait(false);
                if (outcome.Result is not (ForwardResult.Delivered or ForwardResult.Rejected))
                {
                    break;
                }

                delivered += outcome.Records;
            }
        }
        catch (OperationCanceledException)
        {
            // out of time: the queue keeps the rest
        }

        LogFlushed(logger, delivered);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "shutting down: delivered {Records} more records; the rest stays in the queue")]
    private static partial void LogFlushed(ILogger logger, int records);
}
