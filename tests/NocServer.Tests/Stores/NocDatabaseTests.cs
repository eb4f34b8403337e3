using Network.Noc.Inventory;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Stores;

/// <summary>
/// A store test on one engine: a SQLite file of its own by default; a PostgreSQL subclass overrides
/// <see cref="ConnectionStringAsync"/> with a database of its own (<see cref="PostgresDatabase.CreateAsync"/>).
/// </summary>
public abstract class NocDatabaseTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new("noc-store");
    private ServiceDatabase? _database;

    /// <summary>The NOC's tables, all of them migrated (they live in one assembly).</summary>
    protected ServiceDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    /// <summary>This test's database, for a second node on it.</summary>
    protected string ConnectionString { get; private set; } = "";

    protected virtual Task<string> ConnectionStringAsync() => Task.FromResult($"Data Source={_folder.PathOf("noc.db")}");

    public async Task InitializeAsync()
    {
        ConnectionString = await ConnectionStringAsync();
        _database = new ServiceDatabase(ConnectionString, [InventoryService.Feature.Migrations]);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
