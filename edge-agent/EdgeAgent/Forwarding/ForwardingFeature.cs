using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Queue;

namespace Network.EdgeAgent.Forwarding;

public static class ForwardingFeature
{
    /// <summary>Needs the site and the queue (<c>AddAgentSite</c>, <c>AddAgentQueue</c>) registered before it.</summary>
    public static AgentHostBuilder AddAgentForwarding(this AgentHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ForwardingOptions o = builder.AddOptions(ForwardingOptions.Section, static (c, o) => c.Bind(o), new ForwardingOptionsValidator(),
            new ForwardingUrlValidator());
        builder.AddSingleton(_ => new NocRequests());
        builder.AddSingleton(b => new Forwarder(
            b.Get<SegmentStore>(),
            b.Get<QueueOptions>().Folder,
            o,
            b.Get<SiteOptions>().EffectiveAgentId,
            Forwarder.CreateHandler(o),
            b.Time,
            b.Logger("Network.EdgeAgent.Forwarding"),
            requests: b.Get<NocRequests>()));
        builder.AddHostedService(b => new ForwardingService(b.Get<Forwarder>(), b.Time, b.Logger("Network.EdgeAgent.Forwarding")));
        return builder;
    }
}

/// <summary>
/// Runs the forwarder step after step, waiting what each step says. On shutdown (SIGTERM), after the pollers have
/// stopped and written their last records, it gets a few seconds to deliver what it can; the rest stays queued.
/// </summary>
public sealed partial class ForwardingService(Forwarder forwarder, TimeProvider time, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan FlushBudget = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ForwardOutcome outcome = await forwarder.ForwardOnceAsync(stoppingToken).ConfigureAwait(false);
                if (EndsACycle(outcome))
                {
                    ResidentMemory.AfterCycle();
                }

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

    /// <summary>
    /// True when a step did work (a batch sent or attempted) and the forwarder now waits: the cycle's allocations are
    /// garbage and the agent idles, the moment to give memory back (<see cref="ResidentMemory.AfterCycle"/>).
    /// </summary>
    public static bool EndsACycle(ForwardOutcome outcome) => outcome.Result != ForwardResult.Idle && outcome.Delay > TimeSpan.Zero;

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
