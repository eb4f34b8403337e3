using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Network.Storage;

/// <summary>
/// An operators' command acts only on a store that exists, so a command run in the wrong folder, or without the
/// service's data folder, refuses instead of quietly making a new empty store; <see cref="CreateFlag"/> asks for one.
/// </summary>
public static class ExistingStore
{
    /// <summary>The command-line flag that lets a command create the store when there is none yet.</summary>
    public const string CreateFlag = "--create-store";

    /// <summary>
    /// Makes the host's start fail with <see cref="StoreMissingException"/> when the store's file is not there. Call it
    /// before the stores are added: their migration, which would create the file, starts after this check.
    /// </summary>
    public static void Require(IServiceCollection services) => services.AddHostedService<Check>();

    /// <summary>
    /// Checks the service's relational database when it has one (on PostgreSQL there is no file: the server refuses a
    /// database that does not exist), else its SQLite store.
    /// </summary>
    private sealed class Check(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            string? file = services.GetService<ServiceDatabase>() is ServiceDatabase database
                ? database.FilePath
                : services.GetRequiredService<SqliteDatabase>().FilePath;
            if (file is null or ":memory:")
            {
                return Task.CompletedTask;
            }

            string path = Path.GetFullPath(file);
            return File.Exists(path) ? Task.CompletedTask : throw new StoreMissingException(path);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The store a command was to act on is not there (and it was not asked to create one).</summary>
public sealed class StoreMissingException(string path) : Exception($"no store at {path}")
{
    public string Path { get; } = path;
}
