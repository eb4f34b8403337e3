using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Network.Storage;

/// <summary>The migrations of one feature's tables: script <c>i</c> takes the feature from version <c>i</c> to <c>i + 1</c>.</summary>
public sealed record SqliteSchema(string Component, IReadOnlyList<string> Migrations);

/// <summary>
/// A service's SQLite file (the portal's accounts and sessions, the NOC's inventory, alarms and series). WAL mode, so readers never wait for the writer;
/// every write runs in a <c>BEGIN IMMEDIATE</c> transaction behind one in-process gate, so writers queue here
/// instead of spinning on SQLITE_BUSY. Connections come from Microsoft.Data.Sqlite's pool.
/// Each feature owns its tables and registers a <see cref="SqliteSchema"/>; the row per feature in
/// <c>schema_version</c> says how far its migrations have run.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<SqliteSchema> _schemas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lock _migrationLock = new();
    private Task? _migration;

    public SqliteDatabase(string connectionString, IEnumerable<SqliteSchema> schemas)
    {
        SqliteConnectionStringBuilder builder = Settings(connectionString);
        _connectionString = builder.ToString();
        FilePath = builder.DataSource;
        _schemas = [.. schemas];
    }

    /// <summary>The file, as the connection string names it.</summary>
    public string FilePath { get; }

    /// <summary>How every SQLite file of the platform is opened: created when absent, foreign keys on, pooled, a 30 s busy timeout.</summary>
    public static SqliteConnectionStringBuilder Settings(string connectionString) => new(connectionString)
    {
        Mode = SqliteOpenMode.ReadWriteCreate,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    };

    /// <summary>
    /// Creates the file and brings every feature's tables to its latest version: once per process,
    /// or again after a failure (a folder made writable later, a disk that came back).
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

    /// <summary>Runs <paramref name="read"/> on a pooled connection; in WAL mode it sees the last committed state.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        await MigrateAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        using SqliteConnection connection = Open();
        return read(connection);
    }

    /// <summary>Runs <paramref name="write"/> in one IMMEDIATE transaction, one writer at a time, and commits.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        await MigrateAsync().ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = Open();
            // WAL with synchronous=NORMAL: a commit survives a crash of the process, and only a power cut can take the
            // last few (FreeRADIUS's detail files are not fsynced at all); FULL would fsync every accounting record.
            using (SqliteCommand pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous = NORMAL;";
                pragma.ExecuteNonQuery();
            }

            // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE unless asked for a deferred transaction.
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            T result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private async Task MigrateCoreAsync()
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(FilePath));
        if (!string.IsNullOrEmpty(folder) && FilePath != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }

        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = Open();
            // The journal mode is kept in the file; it cannot change inside a transaction.
            Execute(connection, null, "PRAGMA journal_mode = WAL;");
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, transaction, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    component TEXT NOT NULL PRIMARY KEY,
                    version INTEGER NOT NULL
                ) STRICT;
                """);
            foreach (SqliteSchema schema in _schemas)
            {
                using SqliteCommand read = Command(connection, transaction, "SELECT version FROM schema_version WHERE component = $component;");
                read.Parameters.AddWithValue("$component", schema.Component);
                long current = read.ExecuteScalar() is long v ? v : 0;
                if (current > schema.Migrations.Count)
                {
                    throw new InvalidOperationException(
                        $"{FilePath}: '{schema.Component}' tables are at version {current}, newer than this build knows ({schema.Migrations.Count}).");
                }

                for (int i = (int)current; i < schema.Migrations.Count; i++)
                {
                    Execute(connection, transaction, schema.Migrations[i]);
                }

                using SqliteCommand write = Command(connection, transaction, """
                    INSERT INTO schema_version (component, version) VALUES ($component, $version)
                    ON CONFLICT (component) DO UPDATE SET version = excluded.version;
                    """);
                write.Parameters.AddWithValue("$component", schema.Component);
                write.Parameters.AddWithValue("$version", schema.Migrations.Count);
                write.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Runs one statement that returns nothing.</summary>
    public static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }
}

/// <summary>Ready when the service's SQLite file opens, is migrated and answers a query.</summary>
public sealed class SqliteDatabaseHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            long components = await database.ReadAsync(connection =>
            {
                using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT count(*) FROM schema_version;");
                return (long)command.ExecuteScalar()!;
            }, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{database.FilePath} ({components} schema components)");
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException or DataException)
        {
            return HealthCheckResult.Unhealthy($"{database.FilePath}: {ex.Message}");
        }
    }
}
