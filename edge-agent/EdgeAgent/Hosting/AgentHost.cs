using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Network.EdgeAgent.Hosting;

/// <summary>
/// Runs the agent's services until SIGTERM (systemd's stop), SIGINT or SIGQUIT: starts them in order, stops them in
/// reverse order (so the forwarder, registered first, flushes what the pollers wrote last), then disposes what was made.
/// A background service that fails stops the agent with exit code 1, so systemd restarts it.
/// </summary>
public sealed partial class AgentHost : IDisposable
{
    /// <summary>How long stopping may take in all (systemd's TimeoutStopSec is 30 s).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    private readonly IReadOnlyList<IHostedService> _services;
    private readonly IReadOnlyList<object> _owned;
    private readonly ILoggerFactory _logging;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();

    internal AgentHost(IReadOnlyList<IHostedService> services, IReadOnlyList<object> owned, ILoggerFactory logging, TimeProvider time)
    {
        _services = services;
        _owned = owned;
        _logging = logging;
        _logger = logging.CreateLogger("Network.EdgeAgent.Host");
        _time = time;
    }

    /// <summary>Asks the host to stop, as SIGTERM does.</summary>
    public void Stop() => _stop.Cancel();

    /// <summary>Runs until a stop signal; returns the exit code (0, or 1 when a service failed).</summary>
    public int Run() => RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync()
    {
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        CancellationToken stopping = _stop.Token;
        foreach (IHostedService service in _services)
        {
            await service.StartAsync(stopping).ConfigureAwait(false);
        }

        LogStarted(_logger, _services.Count);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using CancellationTokenRegistration onStop = stopping.Register(() => stopped.TrySetResult());
        Task[] watched = [stopped.Task, .. _services.OfType<BackgroundService>().Select(s => s.ExecuteTask).OfType<Task>()];
        int exitCode = 0;
        while (true)
        {
            Task done = await Task.WhenAny(watched).ConfigureAwait(false);
            if (done == stopped.Task)
            {
                break;
            }

            if (done.IsFaulted)
            {
                LogServiceFailed(_logger, done.Exception.GetBaseException());
                exitCode = 1;
                break;
            }

            watched = [.. watched.Where(t => t != done)]; // a service that simply finished (nothing configured for it)
        }

        LogStopping(_logger);
        using var timeout = new CancellationTokenSource(ShutdownTimeout, _time);
        for (int i = _services.Count - 1; i >= 0; i--)
        {
            try
            {
                await _services[i].StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogStopFailed(_logger, _services[i].GetType().Name, ex);
                exitCode = 1;
            }
        }

        return exitCode;
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            (_owned[i] as IDisposable)?.Dispose();
        }

        _stop.Dispose();
        _logging.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // stop in order instead of the runtime's immediate exit
        _stop.Cancel();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "edge agent started: {Services} services")]
    private static partial void LogStarted(ILogger logger, int services);

    [LoggerMessage(Level = LogLevel.Information, Message = "edge agent stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "a service of the agent failed: stopping")]
    private static partial void LogServiceFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} did not stop cleanly")]
    private static partial void LogStopFailed(ILogger logger, string service, Exception exception);
}
