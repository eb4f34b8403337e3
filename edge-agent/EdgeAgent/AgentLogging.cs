using Microsoft.Extensions.Logging;

namespace Network.EdgeAgent;

public static class AgentLogging
{
    /// <summary>One JSON object a line on stdout: what journald and the NOC's log shipping read.</summary>
    public static ILoggingBuilder AddAgentLogging(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        return logging;
    }
}
