using Dapper;
using Microsoft.Data.Sqlite;
using Network.Noc.Users;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests;

/// <summary>The NOC's users on each engine: the same tests, one subclass per engine.</summary>
public abstract class UserStoreTests : IAsyncLifetime
{
    private ServiceDatabase? _database;

    protected UserService Users { get; private set; } = null!;

    protected abstract Task<string> ConnectionStringAsync();

    public async Task InitializeAsync()
    {
        _database = new ServiceDatabase(await ConnectionStringAsync(), [UserService.Feature.Migrations], new Dictionary<string, int> { ["users"] = 1 });
        Users = new UserService(_database, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    [Fact]
    public async Task A_user_is_added_listed_verified_and_removed()
    {
        await Users.AddAsync("Alice", NocRoles.Engineer, "a long password 1", replace: false, CancellationToken.None);
        await Users.AddAsync("bob", NocRoles.Planner, "a long password 2", replace: false, CancellationToken.None);

        Assert.Equal(["Alice", "bob"], (await Users.ListAsync(CancellationToken.None)).Select(u => u.Name));
        Assert.Equal(new NocUser("Alice", NocRoles.Engineer), await Users.VerifyAsync("alice", "a long password 1", CancellationToken.None));
        Assert.Null(await Users.VerifyAsync("Alice", "a long password 2", CancellationToken.None));
        Assert.True(await Users.RemoveAsync("ALICE", CancellationToken.None));
        Assert.False(await Users.RemoveAsync("alice", CancellationToken.None));
        Assert.Equal(["bob"], (await Users.ListAsync(CancellationToken.None)).Select(u => u.Name));
    }

    [Fact]
    public async Task An_empty_store_lists_no_users()
    {
        Assert.Empty(await Users.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_name_differing_only_in_case_is_the_same_user()
    {
        await Users.AddAsync("Carol", NocRoles.Admin, "a long password 1", replace: false, CancellationToken.None);

        UserException refused = await Assert.ThrowsAsync<UserException>(() => Users.AddAsync("CAROL", NocRoles.Engineer, "a long password 2", replace: false, CancellationToken.None));
        Assert.Contains("exists", refused.Message, StringComparison.Ordinal);
        await Users.AddAsync("carol", NocRoles.Engineer, "a long password 3", replace: true, CancellationToken.None);
        Assert.Equal(new NocUser("Carol", NocRoles.Engineer), await Users.VerifyAsync("Carol", "a long password 3", CancellationToken.None));
    }
}

public sealed class SqliteUserStoreTests : UserStoreTests, IDisposable
{
    private readonly TempFolder _folder = new("users");

    protected override Task<string> ConnectionStringAsync() => Task.FromResult($"Data Source={_folder.PathOf("noc.db")}");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_file_made_by_the_migrations_before_FluentMigrator_keeps_its_users()
    {
        string file = _folder.PathOf("legacy.db");
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            // What the NOC's own migration runner wrote before FluentMigrator, with a user and the time series' row.
            connection.Execute("""
                CREATE TABLE schema_version (component TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL) STRICT;
                INSERT INTO schema_version VALUES ('users', 1), ('timeseries', 3);
                CREATE TABLE users (name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
                    created_ms INTEGER NOT NULL, last_login_ms INTEGER) STRICT;
                """);
            connection.Execute("INSERT INTO users VALUES ('dave', 'engineer', @hash, 1, NULL)",
                new { hash = new Microsoft.AspNetCore.Identity.PasswordHasher<NocUser>().HashPassword(new NocUser("dave", "engineer"), "a long password 4") });
        }

        await using var database = new ServiceDatabase($"Data Source={file}", [UserService.Feature.Migrations], new Dictionary<string, int> { ["users"] = 1 });
        var users = new UserService(database, TimeProvider.System);
        Assert.Equal(new NocUser("dave", NocRoles.Engineer), await users.VerifyAsync("Dave", "a long password 4", CancellationToken.None));
        using var check = new SqliteConnection($"Data Source={file}");
        Assert.Equal(["timeseries"], check.Query<string>("SELECT component FROM schema_version"));
    }

    [Fact]
    public async Task A_file_older_than_the_last_legacy_version_is_refused_with_what_to_do()
    {
        string file = _folder.PathOf("older.db");
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            connection.Execute("""
                CREATE TABLE schema_version (component TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL) STRICT;
                INSERT INTO schema_version VALUES ('users', 0);
                """);
        }

        await using var database = new ServiceDatabase($"Data Source={file}", [UserService.Feature.Migrations], new Dictionary<string, int> { ["users"] = 1 });
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(database.MigrateAsync);
        Assert.Contains("'users' tables are at version 0", refused.Message, StringComparison.Ordinal);
        Assert.Contains("open the file once with the release", refused.Message, StringComparison.Ordinal);
    }
}

public sealed class PostgresUserStoreTests(PostgresDatabase postgres) : UserStoreTests, IClassFixture<PostgresDatabase>
{
    // A database per test: the tests of the base class each expect an empty table.
    protected override Task<string> ConnectionStringAsync() => postgres.CreateAsync();

    [Fact]
    public async Task Two_nodes_migrating_one_database_at_once_both_start()
    {
        string connectionString = await postgres.CreateAsync();
        await using var first = new ServiceDatabase(connectionString, [UserService.Feature.Migrations]);
        await using var second = new ServiceDatabase(connectionString, [UserService.Feature.Migrations]);

        await Task.WhenAll(first.MigrateAsync(), second.MigrateAsync());

        await new UserService(first, TimeProvider.System).AddAsync("erin", NocRoles.Admin, "a long password 5", replace: false, CancellationToken.None);
        Assert.Equal(["erin"], (await new UserService(second, TimeProvider.System).ListAsync(CancellationToken.None)).Select(u => u.Name));
    }
}
