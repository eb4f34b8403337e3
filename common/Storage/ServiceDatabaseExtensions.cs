using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Network.ServiceDefaults;

namespace Network.Storage;

/// <summary>What a feature adds to its service's relational database: the assembly with its migrations, and its legacy name.</summary>
/// <param name="Migrations">The assembly whose <c>[Migration]</c> classes make the feature's tables.</param>
/// <param name="LegacyComponent">The feature's row in <c>schema_version</c> in files made before FluentMigrator, if it had one.</param>
/// <param name="LegacyVersion">That row's last version.</param>
public sealed record DatabaseFeature(Assembly Migrations, string? LegacyComponent = null, int LegacyVersion = 0);

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// The service's relational database, named by <c>ConnectionStrings:{name}</c>: a PostgreSQL connection string
    /// (<c>Host=...</c>), a SQLite one (<c>Data Source=...</c>), or a file name taken inside <c>Storage:DataDirectory</c>
    /// (empty: <c>{defaultFile}</c> there). Every feature on it calls this with its <paramref name="feature"/>; the
    /// database is registered once, migrated before the service takes requests, and checked by <c>/readyz</c>.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string name, string defaultFile, DatabaseFeature feature)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(feature);
        if (builder.Services.Any(d => d.ServiceType == typeof(ServiceDatabase)))
        {
            return builder;
        }

        string? configured = builder.Configuration.GetConnectionString(name);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => Create(configured, defaultFile, services.GetRequiredService<DataDirectory>(), services.GetServices<DatabaseFeature>()));
        builder.Services.AddHostedService<ServiceDatabaseMigration>();
        builder.Services.AddHealthChecks().AddCheck<ServiceDatabaseHealthCheck>($"{name.ToLowerInvariant()}-database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>The database for a configured connection string (or file name, or nothing) and the features on it.</summary>
    public static ServiceDatabase Create(string? configured, string defaultFile, DataDirectory directory, IEnumerable<DatabaseFeature> features)
    {
        DatabaseFeature[] all = [.. features];
        return new ServiceDatabase(
            SqliteDatabaseExtensions.ConnectionString(configured, defaultFile, directory),
            all.Select(f => f.Migrations),
            all.Where(f => f.LegacyComponent is not null).ToDictionary(f => f.LegacyComponent!, f => f.LegacyVersion));
    }

    /// <summary>
    /// Creates or migrates the tables before the service takes requests. A database that cannot be reached is logged and
    /// leaves the service up but not ready (<see cref="StoreStartup"/>); a file too old or newer than this build stops it.
    /// </summary>
    private sealed class ServiceDatabaseMigration(ServiceDatabase database, ILogger<ServiceDatabase> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            StoreStartup.TryAsync(() => database.MigrateAsync().WaitAsync(cancellationToken), logger, database.Description);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Ready when the service's database is reached, migrated and answers a query.</summary>
public sealed class ServiceDatabaseHealthCheck(ServiceDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.ReadAsync(async connection =>
            {
                await using System.Data.Common.DbCommand command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(database.Description);
        }
        catch (Exception ex) when (StoreStartup.IsUnavailable(ex) || ex is InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{database.Description}: {ex.Message}");
        }
    }
}
