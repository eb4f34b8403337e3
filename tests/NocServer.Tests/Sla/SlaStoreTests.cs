using Network.Noc.Sla;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests;

/// <summary>The SLA's tables (school overrides, maintenance windows) on each engine: the same tests, one subclass per engine.</summary>
public abstract class SlaStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    protected ServiceDatabase Database { get; private set; } = null!;

    protected SlaStore Store { get; private set; } = null!;

    protected abstract Task<string> ConnectionStringAsync();

    public async Task InitializeAsync()
    {
        Database = new ServiceDatabase(await ConnectionStringAsync(), [SlaStore.Feature.Migrations]);
        Store = new SlaStore(Database);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    [Fact]
    public async Task A_school_override_is_stored_replaced_and_read_back_with_who_changed_it()
    {
        var first = new SlaOverride(150, 50, 99.9, ["Mon-Fri 07:00-18:00"], ["2026-02-16/2026-02-20 Krokusvakantie"], 30, 0.5,
            [new CreditStep(99.9, 10), new CreditStep(99, 30)], 1234.56m, s_at);
        await Store.SaveOverrideAsync("fts-a", first, "planner", s_at, CancellationToken.None);
        await Store.SaveOverrideAsync("fts-b", new SlaOverride(), "admin", s_at, CancellationToken.None);

        IReadOnlyDictionary<string, StoredSlaOverride> stored = await Store.OverridesAsync(CancellationToken.None);
        Assert.Equal(2, stored.Count);
        StoredSlaOverride a = stored["fts-a"];
        Assert.Equal(("planner", s_at), (a.UpdatedBy, a.UpdatedAt));
        Assert.Equal((150.0, 50.0, 99.9, 30.0, 0.5, 1234.56m, s_at),
            (a.Values.CommittedDownMbps!.Value, a.Values.CommittedUpMbps!.Value, a.Values.AvailabilityObjectivePercent!.Value, a.Values.LatencyObjectiveMs!.Value,
                a.Values.LossObjectivePercent!.Value, a.Values.MonthlyFee!.Value, a.Values.ActiveFrom!.Value));
        Assert.Equal(first.Hours, a.Values.Hours);
        Assert.Equal(first.Excluded, a.Values.Excluded);
        Assert.Equal(first.Credits, a.Values.Credits);
        Assert.Equal(new SlaOverride(), stored["fts-b"].Values);

        await Store.SaveOverrideAsync("fts-a", new SlaOverride(CommittedDownMbps: 200), "admin", s_at.AddDays(1), CancellationToken.None);
        StoredSlaOverride replaced = (await Store.OverridesAsync(CancellationToken.None))["fts-a"];
        Assert.Equal(new SlaOverride(CommittedDownMbps: 200), replaced.Values);
        Assert.Equal(("admin", s_at.AddDays(1)), (replaced.UpdatedBy, replaced.UpdatedAt));
    }

    [Fact]
    public async Task Maintenance_windows_keep_their_sites_and_are_listed_by_range_and_site()
    {
        long first = await Store.AddWindowAsync(["fts-a", "fts-b"], s_at.AddHours(1), s_at.AddHours(3), "firmware", "engineer", s_at, false, CancellationToken.None);
        long second = await Store.AddWindowAsync(["fts-b"], s_at.AddHours(-2), s_at.AddHours(-1), "forgotten", "admin", s_at, true, CancellationToken.None);
        Assert.NotEqual(first, second);

        IReadOnlyList<MaintenanceWindow> all = await Store.WindowsAsync(s_at.AddDays(-1), s_at.AddDays(1), null, CancellationToken.None);
        Assert.Equal(
            [
                new MaintenanceWindow(second, ["fts-b"], s_at.AddHours(-2), s_at.AddHours(-1), "forgotten", "admin", s_at, true),
                new MaintenanceWindow(first, ["fts-a", "fts-b"], s_at.AddHours(1), s_at.AddHours(3), "firmware", "engineer", s_at, false),
            ],
            all, new WindowComparer());
        Assert.Equal([first], (await Store.WindowsAsync(s_at.AddDays(-1), s_at.AddDays(1), "fts-a", CancellationToken.None)).Select(w => w.Id));
        Assert.Equal([first], (await Store.WindowsAsync(s_at, s_at.AddHours(1).AddMilliseconds(1), null, CancellationToken.None)).Select(w => w.Id));
        Assert.Empty(await Store.WindowsAsync(s_at.AddHours(-1), s_at.AddHours(1), null, CancellationToken.None));
        Assert.Equal(["fts-a", "fts-b"], Assert.Single(await Store.WindowsAsync(s_at.AddHours(2), s_at.AddDays(1), "fts-b", CancellationToken.None)).Sites);
    }

    private sealed class WindowComparer : IEqualityComparer<MaintenanceWindow>
    {
        public bool Equals(MaintenanceWindow? x, MaintenanceWindow? y) =>
            x is not null && y is not null && x with { Sites = [] } == y with { Sites = [] } && x.Sites.SequenceEqual(y.Sites);

        public int GetHashCode(MaintenanceWindow obj) => obj.Id.GetHashCode();
    }
}

public sealed class SqliteSlaStoreTests : SlaStoreTests, IDisposable
{
    private readonly TempFolder _folder = new("sla");

    protected override Task<string> ConnectionStringAsync() => Task.FromResult($"Data Source={_folder.PathOf("noc.db")}");

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresSlaStoreTests(PostgresDatabase postgres) : SlaStoreTests, IClassFixture<PostgresDatabase>
{
    protected override Task<string> ConnectionStringAsync() => postgres.CreateAsync();

    [Fact]
    public async Task Two_nodes_saving_one_school_at_once_leave_one_row_with_one_of_their_values()
    {
        string connectionString = await postgres.CreateAsync();
        await using var first = new ServiceDatabase(connectionString, [SlaStore.Feature.Migrations]);
        await using var second = new ServiceDatabase(connectionString, [SlaStore.Feature.Migrations]);
        var a = new SlaStore(first);
        var b = new SlaStore(second);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).SaveOverrideAsync("fts-a", new SlaOverride(CommittedDownMbps: 100 + i),
            i % 2 == 0 ? "first" : "second", DateTimeOffset.UnixEpoch.AddSeconds(i), CancellationToken.None)));

        StoredSlaOverride stored = Assert.Single(await a.OverridesAsync(CancellationToken.None)).Value;
        Assert.Equal(stored.UpdatedAt.ToUnixTimeSeconds() + 100, stored.Values.CommittedDownMbps);
        Assert.Equal(stored.UpdatedAt.ToUnixTimeSeconds() % 2 == 0 ? "first" : "second", stored.UpdatedBy);
    }
}
