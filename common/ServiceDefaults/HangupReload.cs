using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Network.ServiceDefaults;

/// <summary>
/// SIGHUP re-reads the configuration files, as daemons do (the units' <c>ExecReload</c> sends it, so
/// <c>systemctl reload</c> works): what follows the configuration while running (the portal's RADIUS clients and their
/// secrets) takes the new values; the rest keeps what it read at start. A file that is not valid JSON is reported and
/// nothing is reloaded, so a half-written file never empties the running configuration.
/// </summary>
internal sealed partial class HangupReload(IConfiguration configuration, ILogger<HangupReload> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows() && configuration is IConfigurationRoot)
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // not the default action, which ends the process
                Reload();
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    /// <summary>Re-reads every configuration file when each one parses; false (and an error log) otherwise.</summary>
    public bool Reload()
    {
        var root = (IConfigurationRoot)configuration;
        foreach (JsonConfigurationProvider provider in root.Providers.OfType<JsonConfigurationProvider>())
        {
            string? path = provider.Source.FileProvider?.GetFileInfo(provider.Source.Path ?? "").PhysicalPath;
            if (path is null || !File.Exists(path))
            {
                continue;
            }

            try
            {
                using FileStream stream = File.OpenRead(path);
                using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                LogRefused(logger, path, ex.Message);
                return false;
            }
        }

        root.Reload();
        LogReloaded(logger);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: configuration reloaded")]
    private static partial void LogReloaded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "SIGHUP: configuration not reloaded, {Path} is not valid JSON ({Error}); the running configuration is unchanged")]
    private static partial void LogRefused(ILogger logger, string path, string error);
}
