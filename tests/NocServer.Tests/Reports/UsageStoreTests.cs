using Network.Contracts;
using Network.Noc.Reports;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Reports;

/// <summary>The hotspots' months on each engine: the same tests, one subclass per engine.</summary>
public abstract class UsageStoreTests : IAsyncLifetime
{
    protected ServiceDatabase Database { get; private set; } = null!;

    protected UsageStore Store { get; private set; } = null!;

    protected abstract Task<string> ConnectionStringAsync();

    public async Task InitializeAsync()
    {
        Database = new ServiceDatabase(await ConnectionStringAsync(), [UsageStore.Feature.Migrations]);
        await Database.MigrateAsync();
        Store = new UsageStore(Database);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    private static UserCountSketch Users(params string[] keys)
    {
        var sketch = new UserCountSketch();
        foreach (string key in keys)
        {
            sketch.Add(key);
        }

        return sketch;
    }

    [Fact]
    public async Task Totals_keep_the_latest_the_peak_the_highest_sketches_merge_and_replays_change_nothing()
    {
        MonthTotals march = new("hs-a", "2026-03", 2_000, 10, 8, 1, 5_000);
        MonthTotals earlier = new("hs-a", "2026-03", 1_000, 4, 3, 0, 100);
        for (int round = 0; round < 2; round++)
        {
            await Store.RecordAsync([march, earlier, new MonthTotals("hs-b", "2026-03", 1_500, 3, 3, null, 7)],
                [("hs-a", "2026-03", 1_200, 9), ("hs-a", "2026-03", 1_800, 4), ("hs-a", "2026-04", 3_000, 2)],
                [("hs-a", "2026-03", Users("marie", "jan")), ("hs-a", "2026-03", Users("jan", "sofie")), ("hs-b", "2026-03", Users("marie"))],
                CancellationToken.None);
        }

        IReadOnlyList<HotspotMonth> months = await Store.MonthsAsync("2026-03", "2026-03", CancellationToken.None);
        Assert.Equal(["hs-a", "hs-b"], months.Select(m => m.Site));
        HotspotMonth a = months[0];
        Assert.Equal((10L, 8L, 1L, 5_000L, 9L, 1_200L), (a.Sessions, a.Logins, a.Registrations, a.Octets, a.PeakUsers, a.PeakAt!.Value.ToUnixTimeMilliseconds()));
        Assert.Equal(3, a.Users!.Estimate());
        HotspotMonth b = months[1];
        Assert.Equal((3L, 3L, 0L, 7L, 0L, (DateTimeOffset?)null), (b.Sessions, b.Logins, b.Registrations, b.Octets, b.PeakUsers, b.PeakAt));
        Assert.Equal(1, b.Users!.Estimate());
        Assert.Equal([("hs-a", "2026-03"), ("hs-b", "2026-03"), ("hs-a", "2026-04")],
            (await Store.MonthsAsync("2026-01", "2026-12", CancellationToken.None)).OrderBy(m => m.Month, StringComparer.Ordinal).Select(m => (m.Site, m.Month)));
    }
}

public sealed class SqliteUsageStoreTests : UsageStoreTests, IDisposable
{
    private readonly TempFolder _folder = new("usage");

    protected override Task<string> ConnectionStringAsync() => Task.FromResult($"Data Source={_folder.PathOf("noc.db")}");

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresUsageStoreTests(PostgresDatabase postgres) : UsageStoreTests, IClassFixture<PostgresDatabase>
{
    protected override Task<string> ConnectionStringAsync() => postgres.CreateAsync();
}
