using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Network.ServiceDefaults;

/// <summary>Where a service keeps its embedded stores (SQLite files). Key <c>Storage:DataDirectory</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for this service's files; relative paths are taken from the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";
}

[OptionsValidator]
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;

/// <summary>The service's data folder, created at first use.</summary>
public sealed class DataDirectory(IOptions<StorageOptions> options)
{
    public string FullPath { get; } = Path.GetFullPath(options.Value.DataDirectory);

    public string Ensure()
    {
        Directory.CreateDirectory(FullPath);
        return FullPath;
    }
}

/// <summary>Ready when the data folder exists (or can be made) and a file can be written in it.</summary>
public sealed class DataDirectoryHealthCheck(DataDirectory directory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            string path = Path.Combine(directory.Ensure(), ".ready-probe");
            await File.WriteAllTextAsync(path, DateTimeOffset.UtcNow.ToString("O"), cancellationToken).ConfigureAwait(false);
            File.Delete(path);
            return HealthCheckResult.Healthy(directory.FullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"{directory.FullPath} is not writable: {ex.Message}");
        }
    }
}
