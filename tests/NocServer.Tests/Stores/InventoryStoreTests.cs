using Dapper;
using Network.Noc.Inventory;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Stores;

/// <summary>The inventory's tables on each engine: the same tests, one subclass per engine.</summary>
public abstract class InventoryStoreTests : NocDatabaseTests
{
    private InventoryService? _inventory;

    protected InventoryService Inventory => _inventory ??= new(Database, TimeProvider.System);

    internal static Site School(string id, string lifecycle = Lifecycles.Active) => new(id, "Basisschool " + id, SiteKinds.School, "Jette", "Kerkstraat 1",
        50.8771, 4.3261, lifecycle, new DateOnly(2026, 1, 5), new DateOnly(2026, 2, 28), null, 200,
        [new Device(id, id + "-rtr", DeviceRoles.Uplink, null), new Device(id, id + "-ap1", DeviceRoles.Access, null)]);

    [Fact]
    public async Task A_site_is_saved_with_its_devices_read_back_by_another_instance_and_replaced()
    {
        await Inventory.SaveAsync(School("fts-a"), CancellationToken.None);

        var other = new InventoryService(Database, TimeProvider.System);
        await other.LoadAsync(CancellationToken.None);
        Site stored = other.Find("fts-a")!;
        Assert.Equal((SiteKinds.School, "Jette", 50.8771, 4.3261, new DateOnly(2026, 1, 5), new DateOnly(2026, 2, 28), (DateOnly?)null, (int?)200),
            (stored.Kind, stored.Commune, stored.Latitude, stored.Longitude, stored.PlannedOn, stored.InstalledOn, stored.RetiredOn, stored.CommittedMbps));
        Assert.Equal([("fts-a-rtr", DeviceRoles.Uplink, (string?)null), ("fts-a-ap1", DeviceRoles.Access, "fts-a-rtr")],
            stored.Devices.Select(d => (d.Name, d.Role, d.Parent)));

        await Inventory.SaveAsync(School("fts-a", Lifecycles.Retired) with { RetiredOn = new DateOnly(2026, 12, 1), CommittedMbps = null }, CancellationToken.None);
        await other.LoadAsync(CancellationToken.None);
        Assert.Equal((Lifecycles.Retired, (DateOnly?)new DateOnly(2026, 12, 1), (int?)null),
            (other.Find("fts-a")!.Lifecycle, other.Find("fts-a")!.RetiredOn, other.Find("fts-a")!.CommittedMbps));
    }

    [Fact]
    public async Task Seeding_adds_only_the_sites_not_there_yet()
    {
        int first = await Inventory.SeedAsync(NocHost.SeedFile, CancellationToken.None);
        await Inventory.SaveAsync(Inventory.Find(NocHost.Site)! with { Name = "renamed" }, CancellationToken.None);

        Assert.Equal(0, await Inventory.SeedAsync(NocHost.SeedFile, CancellationToken.None));
        Assert.True(first > 10);
        Assert.Equal(first, Inventory.Sites.Count);
        Assert.Equal("renamed", Inventory.Find(NocHost.Site)!.Name);
    }

    [Fact]
    public async Task A_reported_device_becomes_the_uplink_of_a_site_without_one_then_others_sit_behind_it()
    {
        await Inventory.SaveAsync(School("fts-b") with { Devices = [] }, CancellationToken.None);

        Assert.True(await Inventory.EnsureDeviceAsync("fts-b", "fts-b-rtr", CancellationToken.None));
        Assert.True(await Inventory.EnsureDeviceAsync("fts-b", "fts-b-ap9", CancellationToken.None));
        Assert.False(await Inventory.EnsureDeviceAsync("no-such-site", "x", CancellationToken.None));

        Assert.Equal([("fts-b-rtr", DeviceRoles.Uplink, (string?)null), ("fts-b-ap9", DeviceRoles.Access, "fts-b-rtr")],
            Inventory.Find("fts-b")!.Devices.Select(d => (d.Name, d.Role, d.Parent)));
    }
}

public sealed class SqliteInventoryStoreTests : InventoryStoreTests;

public sealed class PostgresInventoryStoreTests(PostgresDatabase postgres) : InventoryStoreTests, IClassFixture<PostgresDatabase>
{
    protected override Task<string> ConnectionStringAsync() => postgres.CreateAsync();

    [Fact]
    public async Task Two_nodes_registering_the_same_unknown_device_at_once_store_it_once()
    {
        await Inventory.SaveAsync(School("fts-c"), CancellationToken.None);
        await using var secondDatabase = new ServiceDatabase(ConnectionString, [InventoryService.Feature.Migrations]);
        InventoryService[] nodes = [Inventory, new InventoryService(secondDatabase, TimeProvider.System)];
        await nodes[1].LoadAsync(CancellationToken.None);

        bool[] known = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => nodes[i % 2].EnsureDeviceAsync("fts-c", "fts-c-ap7", CancellationToken.None)));

        Assert.All(known, Assert.True);
        long rows = await Database.ReadAsync(connection => connection.ExecuteScalarAsync<long>("SELECT count(*) FROM devices WHERE site_id = 'fts-c' AND name = 'fts-c-ap7'"), CancellationToken.None);
        Assert.Equal(1, rows);
        await nodes[1].LoadAsync(CancellationToken.None);
        Assert.Equal(3, nodes[1].Find("fts-c")!.Devices.Count);
    }
}
