namespace Network.CaptivePortal.Accounts;

/// <summary>
/// Writes the last-login stamps that logins note in memory (<see cref="AccountService.FlushLastLoginsAsync"/>): one
/// transaction every <see cref="AccountService.LastLoginFlushInterval"/> for however many users logged in, and a last
/// one at shutdown. It stops after the RADIUS server (hosted services stop in reverse order), so no login's stamp is lost.
/// </summary>
public sealed partial class LastLoginWriter(AccountService accounts, TimeProvider time, ILogger<LastLoginWriter> logger) : BackgroundService
{
    // Made with the writer, so its ticks count from there (ExecuteAsync starts on the thread pool, a little later).
    private readonly PeriodicTimer _timer = new(AccountService.LastLoginFlushInterval, time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: StopAsync writes what is left
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await accounts.FlushLastLoginsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // out of time: what is left is written when the account service is disposed
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            LogFlushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the noted last-login stamps failed; they are kept for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
