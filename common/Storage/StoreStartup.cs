using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Network.Storage;

/// <summary>
/// Start-up reads of a service's store that must not stop the service when the store is unavailable (a folder that
/// cannot be made, a full or absent disk): the failure is logged, the service stays up, and <c>/readyz</c> reports
/// the store until it answers again. A restart reloads what was not loaded.
/// </summary>
public static partial class StoreStartup
{
    /// <summary>Whether an exception means the store cannot be reached, rather than a bug.</summary>
    public static bool IsUnavailable(Exception ex) => ex is DbException or IOException or UnauthorizedAccessException or SocketException or TimeoutException;

    /// <summary>Runs <paramref name="load"/>; false (and an error log naming <paramref name="what"/>) when the store is unavailable.</summary>
    public static async Task<bool> TryAsync(Func<Task> load, ILogger logger, string what)
    {
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            await load().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            LogUnavailable(logger, what, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading {What} failed: the store is unavailable ({Error}); the service is not ready until it is")]
    private static partial void LogUnavailable(ILogger logger, string what, string error);
}
