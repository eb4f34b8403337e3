using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Network.EdgeAgent.Configuration;

/// <summary>
/// The agent's JSON file, named by <c>--config FILE</c> (or <c>Agent:ConfigFile</c>). Its keys sit under
/// <c>Agent</c>, like every other source's, so environment variables (<c>Agent__Noc__Token</c>) and the command line
/// (<c>--Agent:Noc:Url=...</c>) still override it.
/// </summary>
public static class AgentConfigFile
{
    public const string Key = "Agent:ConfigFile";

    /// <summary>
    /// Adds the file to <paramref name="configuration"/>, below the environment and the command line. A missing or
    /// unreadable file, or one that is not JSON, is an error naming the file and where it is broken.
    /// </summary>
    public static bool TryAdd(IConfigurationManager configuration, string[] args, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? path = configuration["config"] ?? configuration[Key];
        if (string.IsNullOrEmpty(path))
        {
            error = $"no configuration file: start the agent with --config FILE (or set {Key})";
            return false;
        }

        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            error = $"{Key}: the file {full} does not exist";
            return false;
        }

        try
        {
            // Parse it once here, so a syntax error is reported with its line instead of as a host crash.
            using var probe = new ConfigurationManager();
            probe.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        catch (InvalidDataException ex)
        {
            error = $"{full}: {ex.Message} {ex.InnerException?.Message}".TrimEnd();
            return false;
        }
        catch (IOException ex)
        {
            error = $"{full}: {ex.Message}";
            return false;
        }
        catch (UnauthorizedAccessException ex)
        {
            error = $"{full}: {ex.Message}";
            return false;
        }

        configuration.AddJsonFile(full, optional: false, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        error = null;
        return true;
    }
}
