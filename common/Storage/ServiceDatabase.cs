using System.Data;
using System.Data.Common;
using System.Reflection;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Network.Storage;

/// <summary>The relational engines a service's tables can live in.</summary>
public enum DatabaseEngine
{
    /// <summary>An embedded file: the default, so a service needs no server.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: what a region's operator backs up and shares between two nodes of a service.</summary>
    PostgreSql,
}

/// <summary>
/// A service's relational tables (the portal's accounts, devices, sessions, accounting; the NOC's inventory, agents,
/// users, alarms) in SQLite or PostgreSQL, chosen by the connection string: <c>Host=...</c> is PostgreSQL, anything else
/// (a file name, <c>Data Source=...</c>) SQLite. Queries go through Dapper on the connection this class opens; the tables
/// are created and changed by FluentMigrator migrations (classes with <c>[Migration]</c> in the service's assembly),
/// one mechanism for both engines.
/// </summary>
/// <remarks>
/// <para>
/// Writes run in one transaction each. On SQLite (WAL, so readers never wait for the writer) every write is a
/// <c>BEGIN IMMEDIATE</c> transaction behind one in-process gate, so writers queue here instead of spinning on
/// SQLITE_BUSY. On PostgreSQL writes run at READ COMMITTED without a gate (two processes may write at once), so a
/// store's statements must be atomic on their own: <c>UPDATE ... SET n = n + 1</c>, <c>INSERT ... ON CONFLICT</c>,
/// <c>UPDATE ... WHERE state = 'open'</c> with the row count checked, never read-then-write across statements.
/// </para>
/// <para>
/// Files made before the migrations moved to FluentMigrator carry a <c>schema_version</c> table (one row per
/// feature). The first migration of such a feature creates its tables only where they are absent; before any
/// migration runs, every legacy feature this database knows must be at its last legacy version (a file older than
/// that is refused with a message saying so), and afterwards its row is removed.
/// </para>
/// </remarks>
public sealed class ServiceDatabase : IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<Assembly> _migrations;
    private readonly IReadOnlyDictionary<string, int> _legacyVersions;
    private readonly NpgsqlDataSource? _postgres;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lock _migrationLock = new();
    private Task? _migration;

    /// <param name="connectionString">A PostgreSQL (<c>Host=...</c>) or SQLite connection string.</param>
    /// <param name="migrations">The assemblies whose <c>[Migration]</c> classes make this database's tables.</param>
    /// <param name="legacyVersions">
    /// For files made by the migration runner before FluentMigrator: each feature's name in <c>schema_version</c> and its
    /// last version there.
    /// </param>
    public ServiceDatabase(string connectionString, IEnumerable<Assembly> migrations, IReadOnlyDictionary<string, int>? legacyVersions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _migrations = [.. migrations.Distinct()];
        _legacyVersions = legacyVersions ?? new Dictionary<string, int>();
        Engine = EngineOf(connectionString);
        if (Engine == DatabaseEngine.PostgreSql)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            _connectionString = builder.ConnectionString;
            Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
            _postgres = NpgsqlDataSource.Create(builder);
        }
        else
        {
            SqliteConnectionStringBuilder builder = SqliteDatabase.Settings(connectionString);
            _connectionString = builder.ToString();
            FilePath = builder.DataSource;
            Description = FilePath;
        }
    }

    public DatabaseEngine Engine { get; }

    /// <summary>Where the tables are, for logs and readiness (never the password).</summary>
    public string Description { get; }

    /// <summary>The SQLite file, as the connection string names it; null on PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>PostgreSQL when the connection string names a host; SQLite otherwise.</summary>
    public static DatabaseEngine EngineOf(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        foreach (string part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim() is string key
                && (key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase)))
            {
                return DatabaseEngine.PostgreSql;
            }
        }

        return DatabaseEngine.Sqlite;
    }

    /// <summary>The statement for this engine, where the two dialects differ (date arithmetic, a few functions).</summary>
    public string Dialect(string sqlite, string postgreSql) => Engine == DatabaseEngine.PostgreSql ? postgreSql : sqlite;

    /// <summary>Whether <paramref name="ex"/> is a unique or primary-key violation, on either engine.</summary>
    public static bool IsUniqueViolation(Exception ex) => ex switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// Creates the database's tables or brings them to the latest migration: once per process, or again after a failure
    /// (a folder made writable later, a server that came back).
    /// </summary>
    public Task MigrateAsync()
    {
        lock (_migrationLock)
        {
            if (_migration is null || _migration.IsFaulted || _migration.IsCanceled)
            {
                _migration = Task.Run(MigrateCoreAsync);
            }

            return _migration;
        }
    }

    /// <summary>Runs <paramref name="read"/> on a pooled connection (outside any transaction; it sees the last committed state).</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await MigrateAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="write"/> in one transaction and commits it (see the remarks on the class for what each engine gives).</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await MigrateAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Engine == DatabaseEngine.PostgreSql)
        {
            await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using DbTransaction transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            T result = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
            // WAL with synchronous=NORMAL: a commit survives a crash of the process, and only a power cut can take the
            // last few (FreeRADIUS's detail files are not fsynced at all); FULL would fsync every accounting record.
            SqliteDatabase.Execute(connection, null, "PRAGMA synchronous = NORMAL;");
            // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE unless asked for a deferred transaction.
            await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            T result = await write(connection, transaction).ConfigureAwait(false);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="write"/> in one transaction and commits it.</summary>
    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync<bool>(async (connection, transaction) =>
        {
            await write(connection, transaction).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public void Dispose()
    {
        _writeGate.Dispose();
        _postgres?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _writeGate.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private async Task MigrateCoreAsync()
    {
        if (Engine == DatabaseEngine.Sqlite)
        {
            await MigrateSqliteAsync().ConfigureAwait(false);
            return;
        }

        // Two nodes of a service may start at once: the first to take this lock migrates, the second then finds nothing to do.
        await using NpgsqlConnection connection = await _postgres!.OpenConnectionAsync().ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(7361029480113)", connection))
        {
            await lockCommand.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        try
        {
            RunMigrations();
        }
        finally
        {
            // Types a migration made (citext) are unknown to connections that loaded the catalogue before it ran.
            await connection.ReloadTypesAsync().ConfigureAwait(false);
            await _postgres.ReloadTypesAsync().ConfigureAwait(false);
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(7361029480113)", connection);
            await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private async Task MigrateSqliteAsync()
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(FilePath!));
        if (!string.IsNullOrEmpty(folder) && FilePath != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }

        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            using (var connection = new SqliteConnection(_connectionString))
            {
                connection.Open();
                // The journal mode is kept in the file; it cannot change inside a transaction.
                SqliteDatabase.Execute(connection, null, "PRAGMA journal_mode = WAL;");
                CheckLegacyVersions(connection);
            }

            RunMigrations();
            using (var connection = new SqliteConnection(_connectionString))
            {
                connection.Open();
                ForgetLegacyVersions(connection);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void RunMigrations()
    {
        var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(runner =>
            {
                if (Engine == DatabaseEngine.PostgreSql)
                {
                    runner.AddPostgres();
                }
                else
                {
                    runner.AddSQLite();
                }

                runner.WithGlobalConnectionString(_connectionString).ScanIn([.. _migrations]).For.Migrations();
            })
            .Configure<RunnerOptions>(options => options.TransactionPerSession = false);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: false);
        using IServiceScope scope = provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<IMigrationRunner>().MigrateUp();
    }

    private void CheckLegacyVersions(SqliteConnection connection)
    {
        if (_legacyVersions.Count == 0 || !LegacyTableExists(connection))
        {
            return;
        }

        using SqliteCommand read = SqliteDatabase.Command(connection, null, "SELECT component, version FROM schema_version;");
        using SqliteDataReader reader = read.ExecuteReader();
        while (reader.Read())
        {
            string component = reader.GetString(0);
            long version = reader.GetInt64(1);
            if (_legacyVersions.TryGetValue(component, out int last) && version != last)
            {
                throw new InvalidOperationException(
                    $"{FilePath}: the '{component}' tables are at version {version} of the migrations before FluentMigrator, and this build " +
                    $"upgrades from version {last} only: open the file once with the release of 2026-12-07 (commit 11e4300), then with this one.");
            }
        }
    }

    private void ForgetLegacyVersions(SqliteConnection connection)
    {
        if (_legacyVersions.Count == 0 || !LegacyTableExists(connection))
        {
            return;
        }

        foreach (string component in _legacyVersions.Keys)
        {
            using SqliteCommand delete = SqliteDatabase.Command(connection, null, "DELETE FROM schema_version WHERE component = $component;");
            delete.Parameters.AddWithValue("$component", component);
            delete.ExecuteNonQuery();
        }
    }

    private static bool LegacyTableExists(SqliteConnection connection)
    {
        using SqliteCommand exists = SqliteDatabase.Command(connection, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';");
        return (long)exists.ExecuteScalar()! > 0;
    }
}
