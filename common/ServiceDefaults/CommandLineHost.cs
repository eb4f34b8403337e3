using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Network.Hosting;

namespace Network.ServiceDefaults;

/// <summary>
/// The host behind a service's operators' command line (<c>users ...</c>, <c>agents ...</c>): the service's own
/// configuration (appsettings, environment, and <c>--Key:Sub=value</c> arguments), its data folder and the features
/// the command needs, started (options validated, stores migrated) before the command runs; a configuration error is
/// one line and exit code 78, as for the service.
/// </summary>
public static class CommandLineHost
{
    /// <summary>
    /// Builds and starts the host with <paramref name="configure"/>, runs <paramref name="command"/> with the words of
    /// the command line (the settings taken out) and the services, then stops the host.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Action<HostApplicationBuilder> configure,
        Func<string[], IServiceProvider, Task<int>> command, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(error);
        string[] words = [.. args.Where(a => !IsSetting(a))];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. args.Where(IsSetting)],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.AddDataDirectory();
        configure(builder);

        IHost host;
        try
        {
            host = builder.Build();
            await host.StartAsync().ConfigureAwait(false); // validates options, migrates the stores
        }
        catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out string? message))
        {
            await error.WriteLineAsync($"configuration error: {message}").ConfigureAwait(false);
            return ConfigurationErrors.ExitCode;
        }

        using (host)
        {
            try
            {
                return await command(words, host.Services).ConfigureAwait(false);
            }
            finally
            {
                await host.StopAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A request for help: <c>--help</c> or <c>-h</c>, anywhere on the command line.</summary>
    public static bool IsHelp(string arg) => arg is "--help" or "-h";

    /// <summary>A setting is <c>--Section:Key=value</c>; everything else is a word of the command.</summary>
    public static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal);
}
