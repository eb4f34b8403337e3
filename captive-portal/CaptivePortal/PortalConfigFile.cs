using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration.Json;

namespace Network.CaptivePortal;

/// <summary>
/// The portal's own settings file, for the service and the operators' command line alike (so <c>clients list</c> sees the
/// gateways the running service was given): <c>--config FILE</c> on the command line, or the key <c>Portal:ConfigFile</c>
/// (environment <c>Portal__ConfigFile</c>). A JSON file of configuration keys, read after <c>appsettings.json</c> and
/// <c>appsettings.{Environment}.json</c> and before the environment and the command line, which still override it.
/// </summary>
public static class PortalConfigFile
{
    public const string Key = "Portal:ConfigFile";
    public const string Option = "--config";

    /// <summary>
    /// Takes <c>--config FILE</c> (or <c>--config=FILE</c>) out of <paramref name="args"/>; <paramref name="file"/> is null
    /// when it is not there. False when <c>--config</c> has no file after it.
    /// </summary>
    public static bool TryTake(string[] args, out string[] rest, out string? file)
    {
        ArgumentNullException.ThrowIfNull(args);
        file = null;
        var kept = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == Option)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    rest = args;
                    return false;
                }

                file = args[++i];
            }
            else if (args[i].StartsWith(Option + "=", StringComparison.Ordinal))
            {
                file = args[i][(Option.Length + 1)..];
            }
            else
            {
                kept.Add(args[i]);
            }
        }

        rest = [.. kept];
        return file is not { Length: 0 };
    }

    /// <summary>
    /// Adds the settings file (<paramref name="file"/>, else <c>Portal:ConfigFile</c>) to <paramref name="configuration"/>
    /// after its JSON files; nothing when neither names one. False, with a line naming the key, when the file does not
    /// exist or is not JSON.
    /// </summary>
    public static bool TryAdd(IConfigurationManager configuration, string? file, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        error = null;
        file ??= configuration[Key];
        if (string.IsNullOrWhiteSpace(file))
        {
            return true;
        }

        string path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            error = $"{Key}: {path} does not exist";
            return false;
        }

        var source = new JsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        int after = -1;
        for (int i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is JsonConfigurationSource)
            {
                after = i;
            }
        }

        try
        {
            configuration.Sources.Insert(after + 1, source); // loads it at once
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            error = $"{Key}: {path}: {ex.InnerException?.Message ?? ex.Message}";
            return false;
        }
    }
}
