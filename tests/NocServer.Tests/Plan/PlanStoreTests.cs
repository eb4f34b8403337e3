using Microsoft.Extensions.Time.Testing;
using Network.Noc.Inventory;
using Network.Noc.Plan;
using Network.Noc.Tests.Stores;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Plan;

/// <summary>The plan's tables with the inventory's on each engine: the same tests, one subclass per engine.</summary>
public abstract class PlanStoreTests : NocDatabaseTests
{
    // 23:30 UTC on 10 March is 00:30 on 11 March in Brussels.
    protected static readonly DateTimeOffset Now = new(2026, 3, 10, 23, 30, 0, TimeSpan.Zero);

    private PlanService? _plan;

    protected FakeTimeProvider Time { get; } = new(Now);

    protected InventoryService Inventory { get; set; } = null!;

    protected PlanService Plan => _plan ??= new PlanService(Database, Inventory, Time);

    internal static PlanSiteInput NewSchool(string id, int quarter = 2, decimal? estimated = 35_000.10m) => new(id, 2026, quarter, estimated, null, "Proximus",
        "fibre along the canal", Name: "Atheneum " + id, Kind: SiteKinds.School, Commune: "Jette", Address: "Kerkstraat 1", Latitude: 50.8771, Longitude: 4.3261);

    private async Task<InventoryService> InventoryAsync()
    {
        var inventory = new InventoryService(Database, Time);
        await inventory.LoadAsync(CancellationToken.None);
        return inventory;
    }

    [Fact]
    public async Task A_site_new_to_the_inventory_is_created_there_as_planned_and_its_entry_is_read_back_by_another_node()
    {
        Inventory = await InventoryAsync();

        PlanEntry saved = await Plan.SaveAsync(NewSchool("fts-nieuw"), "planner", CancellationToken.None);

        InventoryService otherInventory = await InventoryAsync();
        var other = new PlanService(Database, otherInventory, Time);
        await other.LoadAsync(CancellationToken.None);
        PlanEntry read = (await other.EntryAsync("fts-nieuw", CancellationToken.None))!;
        Assert.Equal(saved, read);
        Assert.Equal((PlanProgrammes.Schools, 2026, 2, (decimal?)35_000.10m, (decimal?)null, "Proximus", PlanStates.Planned, (DateOnly?)new DateOnly(2026, 3, 11)),
            (read.Programme, read.Year, read.Quarter, read.EstimatedCost, read.ActualCost, read.Responsible, read.State, read.Dates.Planned));
        Assert.Null(read.ChangedByNetworkAt);
        Site site = otherInventory.Find("fts-nieuw")!;
        Assert.Equal(("Atheneum fts-nieuw", SiteKinds.School, Lifecycles.Planned), (site.Name, site.Kind, site.Lifecycle));
        Assert.True(other.IsWaiting("fts-nieuw"));
        Assert.Equal([2026], await other.YearsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Targets_keep_their_money_exactly_and_only_schools_keep_a_total_of_schools()
    {
        Inventory = await InventoryAsync();

        await Plan.SaveTargetAsync(2026, PlanProgrammes.Schools, new PlanTargetInput(28, 1_250_000.35m, 140), "planner", CancellationToken.None);
        await Plan.SaveTargetAsync(2026, PlanProgrammes.Hotspots, new PlanTargetInput(20, 0.1m, 140), "planner", CancellationToken.None);
        await Plan.SaveTargetAsync(2026, PlanProgrammes.Schools, new PlanTargetInput(30, 1_300_000.01m, 141), "admin", CancellationToken.None);

        IReadOnlyList<PlanTarget> targets = await Plan.TargetsAsync(2026, CancellationToken.None);
        Assert.Equal([(PlanProgrammes.Hotspots, 20, 0.1m, (int?)null, "planner"), (PlanProgrammes.Schools, 30, 1_300_000.01m, (int?)141, "admin")],
            targets.Select(t => (t.Programme, t.SitesToAdd, t.Budget, t.SchoolsTotal, t.UpdatedBy)));
        Assert.Empty(await Plan.TargetsAsync(2025, CancellationToken.None));
    }

    [Fact]
    public async Task Bad_targets_and_entries_are_refused_naming_each_field()
    {
        Inventory = await InventoryAsync();

        PlanException targets = await Assert.ThrowsAsync<PlanException>(() => Plan.SaveTargetAsync(1999, "bikes", new PlanTargetInput(-1, 0.001m, null),
            "planner", CancellationToken.None));
        PlanException entry = await Assert.ThrowsAsync<PlanException>(() => Plan.SaveAsync(
            NewSchool("Not An Id", quarter: 5, estimated: -3) with { Kind = "castle", StateDate = new DateOnly(2030, 1, 1) }, "planner", CancellationToken.None));

        Assert.Equal(["year", "programme", "sitesToAdd", "budget"], targets.Problems.Select(p => p.Field));
        Assert.Equal(["site", "kind", "quarter", "estimatedCost", "stateDate"], entry.Problems.Select(p => p.Field));
        Assert.Empty(await Plan.EntriesAsync(null, CancellationToken.None));
        Assert.Empty(await Plan.TargetsAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task The_first_report_makes_a_waiting_site_active_on_its_day_in_Brussels_once_and_a_planner_correction_clears_the_mark()
    {
        Inventory = await InventoryAsync();
        await Plan.SaveAsync(NewSchool("fts-nieuw") with { State = PlanStates.Installing }, "planner", CancellationToken.None);

        bool first = await Plan.ActivateByNetworkAsync("fts-nieuw", Now, CancellationToken.None);
        bool again = await Plan.ActivateByNetworkAsync("fts-nieuw", Now.AddHours(5), CancellationToken.None);

        Assert.True(first);
        Assert.False(again);
        PlanEntry active = (await Plan.EntryAsync("fts-nieuw", CancellationToken.None))!;
        Assert.Equal((PlanStates.Active, (DateOnly?)new DateOnly(2026, 3, 11), (DateTimeOffset?)Now, PlanService.Network),
            (active.State, active.Dates.Active, active.ChangedByNetworkAt, active.UpdatedBy));
        Assert.Equal(new DateOnly(2026, 3, 11), active.Dates.Installing);
        Assert.Equal((Lifecycles.Active, (DateOnly?)new DateOnly(2026, 3, 11)), (Inventory.Find("fts-nieuw")!.Lifecycle, Inventory.Find("fts-nieuw")!.InstalledOn));
        Assert.False(Plan.IsWaiting("fts-nieuw"));

        PlanEntry corrected = await Plan.SaveAsync(NewSchool("fts-nieuw") with { State = PlanStates.Active, StateDate = new DateOnly(2026, 3, 9) },
            "planner", CancellationToken.None);

        Assert.Equal((PlanStates.Active, (DateOnly?)new DateOnly(2026, 3, 9), (DateTimeOffset?)null, "planner"),
            (corrected.State, corrected.Dates.Active, corrected.ChangedByNetworkAt, corrected.UpdatedBy));
        Assert.Equal(new DateOnly(2026, 3, 9), Inventory.Find("fts-nieuw")!.InstalledOn);
    }

    [Fact]
    public async Task A_site_the_plan_does_not_wait_for_is_not_made_active()
    {
        Inventory = await InventoryAsync();
        await Plan.SaveAsync(NewSchool("fts-oud") with { State = PlanStates.Retired }, "planner", CancellationToken.None);

        Assert.False(await Plan.ActivateByNetworkAsync("fts-oud", Now, CancellationToken.None));
        Assert.False(await Plan.ActivateByNetworkAsync("not-in-the-plan", Now, CancellationToken.None));
        Assert.Equal(PlanStates.Retired, (await Plan.EntryAsync("fts-oud", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task An_import_with_a_bad_row_stores_nothing_and_names_the_line()
    {
        Inventory = await InventoryAsync();
        (int, PlanSiteInput)[] rows = [(2, NewSchool("fts-a")), (3, NewSchool("fts-b")), (4, NewSchool("fts-c") with { Commune = "Paris" })];

        PlanImportException refused = await Assert.ThrowsAsync<PlanImportException>(() => Plan.ImportAsync(rows, "planner", CancellationToken.None));

        Assert.Equal(4, refused.Line);
        Assert.Equal("commune", Assert.Single(refused.Problems).Field);
        Assert.Empty(await Plan.EntriesAsync(null, CancellationToken.None));
        Assert.Null(Inventory.Find("fts-a"));
        Assert.Null((await InventoryAsync()).Find("fts-a"));

        IReadOnlyList<PlanEntry> stored = await Plan.ImportAsync(rows[..2], "planner", CancellationToken.None);
        Assert.Equal(["fts-a", "fts-b"], stored.Select(e => e.Site));
        Assert.Equal(["fts-a", "fts-b"], (await Plan.EntriesAsync(2026, CancellationToken.None)).Select(e => e.Site));
    }

    [Fact]
    public async Task A_site_of_the_inventory_keeps_its_details_and_leaves_the_plan_without_leaving_the_inventory()
    {
        Inventory = await InventoryAsync();
        await Inventory.SaveAsync(new Site("hs-markt", "Grote Markt", SiteKinds.HotspotOutdoor, "Brussel", "Grote Markt", 50.8467, 4.3525, Lifecycles.Planned,
            null, null, null, null, []), CancellationToken.None);

        PlanEntry entry = await Plan.SaveAsync(new PlanSiteInput("hs-markt", 2026, 3, 4_200m, 4_350.50m, "Telenet", ""), "planner", CancellationToken.None);

        Assert.Equal((PlanProgrammes.Hotspots, PlanStates.Planned, (decimal?)4_350.50m), (entry.Programme, entry.State, entry.ActualCost));
        Assert.Equal("Grote Markt", Inventory.Find("hs-markt")!.Name);
        Assert.True(await Plan.DeleteAsync("hs-markt", CancellationToken.None));
        Assert.False(await Plan.DeleteAsync("hs-markt", CancellationToken.None));
        Assert.NotNull(Inventory.Find("hs-markt"));
        Assert.False(Plan.IsWaiting("hs-markt"));
    }
}

public sealed class SqlitePlanStoreTests : PlanStoreTests;

public sealed class PostgresPlanStoreTests(PostgresDatabase postgres) : PlanStoreTests, IClassFixture<PostgresDatabase>
{
    protected override Task<string> ConnectionStringAsync() => postgres.CreateAsync();

    [Fact]
    public async Task Two_nodes_seeing_a_first_report_at_once_make_the_site_active_once()
    {
        Inventory = new InventoryService(Database, Time);
        await Inventory.LoadAsync(CancellationToken.None);
        await Plan.SaveAsync(NewSchool("fts-nieuw"), "planner", CancellationToken.None);
        await using var secondDatabase = new ServiceDatabase(ConnectionString, [InventoryService.Feature.Migrations]);
        var secondInventory = new InventoryService(secondDatabase, Time);
        await secondInventory.LoadAsync(CancellationToken.None);
        PlanService[] nodes = [Plan, new PlanService(secondDatabase, secondInventory, Time)];

        bool[] moved = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => nodes[i % 2].ActivateByNetworkAsync("fts-nieuw", Now.AddMinutes(i), CancellationToken.None)));

        Assert.Equal(1, moved.Count(m => m));
        Assert.Equal(PlanStates.Active, (await Plan.EntryAsync("fts-nieuw", CancellationToken.None))!.State);
    }
}
