using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Network.Hosting;

/// <summary>Turns the exceptions that bad configuration raises at start-up into one readable line.</summary>
public static class ConfigurationErrors
{
    /// <summary>Exit code of a process stopped by its configuration (as sysexits' EX_CONFIG).</summary>
    public const int ExitCode = 78;

    public static bool TryDescribe(Exception ex, [NotNullWhen(true)] out string? message)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OptionsValidationException validation:
                    message = string.Join("; ", validation.Failures);
                    return true;
                // The binder's own words name the key: "Failed to convert configuration value at 'X:Y' to type ..."
                case InvalidOperationException invalid when invalid.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    message = invalid.Message;
                    return true;
                default:
                    break;
            }
        }

        message = null;
        return false;
    }

    /// <summary>Runs <paramref name="run"/>; a configuration error prints one line on stderr and returns <see cref="ExitCode"/>.</summary>
    public static int Report(Action run)
    {
        try
        {
            run();
            return 0;
        }
        catch (Exception ex) when (TryDescribe(ex, out string? message))
        {
            Console.Error.WriteLine($"configuration error: {message}");
            return ExitCode;
        }
    }
}
