using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Network.ServiceDefaults;

namespace Network.Storage;

public static class SqliteDatabaseExtensions
{
    /// <summary>
    /// The service's SQLite file, named by <c>ConnectionStrings:{name}</c> (a connection string, or a file name taken
    /// inside <c>Storage:DataDirectory</c>; empty: <c>{defaultFile}</c> there), with <paramref name="schema"/> among the
    /// tables it creates or migrates before the service takes requests, and its readiness check. Every feature on the
    /// file calls it; the file is registered once.
    /// </summary>
    public static IHostApplicationBuilder AddSqliteDatabase(this IHostApplicationBuilder builder, string name, string defaultFile, SqliteSchema schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(schema);
        if (builder.Services.Any(d => d.ServiceType == typeof(SqliteDatabase)))
        {
            return builder;
        }

        string? configured = builder.Configuration.GetConnectionString(name);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new SqliteDatabase(
            ConnectionString(configured, defaultFile, services.GetRequiredService<DataDirectory>()),
            services.GetServices<SqliteSchema>()));
        builder.Services.AddHostedService<SqliteDatabaseMigration>();
        builder.Services.AddHealthChecks().AddCheck<SqliteDatabaseHealthCheck>($"{name.ToLowerInvariant()}-file", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>A connection string as given, or a file name (relative ones inside the data folder) made into one.</summary>
    public static string ConnectionString(string? configured, string defaultFile, DataDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (string.IsNullOrWhiteSpace(configured))
        {
            // The folder is made when the file is first opened (SqliteDatabase.MigrateAsync), not here: a folder that
            // cannot be made must fail readiness, not the construction of every service that needs the store.
            return new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.FullPath, defaultFile) }.ToString();
        }

        if (configured.Contains('=', StringComparison.Ordinal))
        {
            return configured;
        }

        string path = Path.IsPathRooted(configured) ? configured : Path.Combine(directory.FullPath, configured);
        return new SqliteConnectionStringBuilder { DataSource = path }.ToString();
    }

    /// <summary>
    /// Creates or migrates the tables before the service takes requests. A file that cannot be opened is logged and
    /// leaves the service up but not ready (<see cref="StoreStartup"/>); a file newer than this build stops it.
    /// </summary>
    private sealed class SqliteDatabaseMigration(SqliteDatabase database, Microsoft.Extensions.Logging.ILogger<SqliteDatabase> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            StoreStartup.TryAsync(() => database.MigrateAsync().WaitAsync(cancellationToken), logger, database.FilePath);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
