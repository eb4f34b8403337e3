using Network.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Network.Hosting;
using Network.ServiceDefaults;

namespace Network.CaptivePortal.Accounts;

public static class AccountsExtensions
{
    /// <summary>
    /// The account store and its policy (<see cref="AccountService"/>), options section <c>Accounts</c>,
    /// on the portal's SQLite file (<see cref="AddSqliteDatabase"/>).
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteDatabase(AccountService.Schema);
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section)
            .ValidateOnStartNamingKeys(AccountsOptions.Section, new AccountsOptionsValidator());
        builder.Services.AddSingleton<AccountService>();
        return builder;
    }

    /// <summary>
    /// The portal's SQLite file (key <c>ConnectionStrings:Portal</c>, default <c>portal.db</c> in <c>Storage:DataDirectory</c>),
    /// with <paramref name="schema"/> among the tables it creates or migrates at start, and its readiness check.
    /// Every feature on the file calls it; the file is registered once.
    /// </summary>
    public static IHostApplicationBuilder AddSqliteDatabase(this IHostApplicationBuilder builder, SqliteSchema schema)
    {
        builder.Services.AddSingleton(schema);
        if (builder.Services.Any(d => d.ServiceType == typeof(SqliteDatabase)))
        {
            return builder;
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PortalConnectionOptions>().BindConfiguration(PortalConnectionOptions.Section)
            .ValidateOnStartNamingKeys(PortalConnectionOptions.Section, new PortalConnectionOptionsValidator());
        builder.Services.AddSingleton(services => new SqliteDatabase(
            ConnectionString(services.GetRequiredService<IOptions<PortalConnectionOptions>>().Value.Portal, services.GetRequiredService<DataDirectory>()),
            services.GetServices<SqliteSchema>()));
        builder.Services.AddHostedService<SqliteDatabaseMigration>();
        builder.Services.AddHealthChecks().AddCheck<SqliteDatabaseHealthCheck>("portal-database", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>A connection string as given, or a file name (relative ones inside the data folder) made into one.</summary>
    internal static string ConnectionString(string? configured, DataDirectory directory)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory.Ensure(), "portal.db") }.ToString();
        }

        if (configured.Contains('=', StringComparison.Ordinal))
        {
            return configured;
        }

        string path = Path.IsPathRooted(configured) ? configured : Path.Combine(directory.Ensure(), configured);
        return new SqliteConnectionStringBuilder { DataSource = path }.ToString();
    }

    /// <summary>Creates or migrates the tables before the service takes requests: a broken file stops the start, not a login.</summary>
    private sealed class SqliteDatabaseMigration(SqliteDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync().WaitAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
