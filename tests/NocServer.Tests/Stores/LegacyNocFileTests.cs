using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Network.Noc.Agents;
using Network.Noc.Alarms;
using Network.Noc.Inventory;
using Network.Noc.TimeSeries;
using Network.Noc.Users;
using Network.TestSupport;

namespace Network.Noc.Tests.Stores;

/// <summary>
/// A NOC store made by the code before FluentMigrator (commit 11e4300, through its own command line and HTTP APIs:
/// Fixtures/make-noc-11e4300.sh), opened by this build: nothing lost, and the NOC works on it.
/// </summary>
public sealed class LegacyNocFileTests : IDisposable
{
    private static readonly DateTimeOffset s_made = new(2026, 12, 7, 6, 4, 0, TimeSpan.Zero);
    private readonly TempFolder _data = new("noc-legacy");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_store_made_before_FluentMigrator_keeps_its_users_agents_sites_devices_alarms_and_series()
    {
        File.Copy(Path.Combine(ServiceProcess.RepositoryRoot, "tests", "NocServer.Tests", "Fixtures", "noc-11e4300.db"), _data.PathOf("noc.db"));
        // Retention is measured from now: long enough that the fixture's series are still there whenever this runs.
        await using NocHost noc = await NocHost.StartAsync(("Storage:DataDirectory", _data.FullPath),
            ("TimeSeries:RawRetention", "3650.00:00:00"), ("TimeSeries:MinuteRetention", "3650.00:00:00"), ("TimeSeries:HourRetention", "3650.00:00:00"));
        IServiceProvider services = noc.Factory.Services;

        UserService users = services.GetRequiredService<UserService>();
        Assert.Equal(new NocUser("ada", NocRoles.Admin), await users.VerifyAsync("ada", "the admin password 1", CancellationToken.None));
        Assert.Equal(new NocUser("eng", NocRoles.Engineer), await users.VerifyAsync("ENG", "the engineer password 1", CancellationToken.None));

        AgentService agents = services.GetRequiredService<AgentService>();
        Assert.Equal("edge-legacy", await agents.AuthenticateAsync("noc_legacy_token_of_the_edge_agent_0001", CancellationToken.None));
        IReadOnlyList<AgentInfo> listed = await agents.ListAsync(CancellationToken.None);
        Assert.Equal(("hs-beursplein", 2L, (DateTimeOffset?)null), listed.Where(a => a.Id == "edge-legacy").Select(a => (a.Site, a.LastSequence, a.RevokedAt)).Single());
        Assert.NotNull(listed.Single(a => a.Id == "edge-revoked").RevokedAt);

        InventoryService inventory = services.GetRequiredService<InventoryService>();
        Assert.Equal(40, inventory.Sites.Count);
        Site school = inventory.Find("fts-legacy")!;
        Assert.Equal(("Basisschool Legacy", Lifecycles.Installing, (DateOnly?)new DateOnly(2026, 2, 28), (int?)300, 50.877),
            (school.Name, school.Lifecycle, school.InstalledOn, school.CommittedMbps, school.Latitude));
        Assert.Equal([("fts-legacy-rtr", (string?)null), ("fts-legacy-ap1", "fts-legacy-rtr")], school.Devices.Select(d => (d.Name, d.Parent)));
        Assert.Contains(inventory.Find("hs-beursplein")!.Devices, d => d.Name == "hs-beursplein-ap-legacy" && d.Role == DeviceRoles.Access);

        AlarmService alarms = services.GetRequiredService<AlarmService>();
        Assert.Equal([("hs-flageyplein", AlarmStates.Acknowledged, "eng", "fibre cut, contractor called"), ("hs-beursplein", AlarmStates.Open, null, null)],
            alarms.Active().OrderBy(a => a.Id).Reverse().Select(a => (a.Site, a.State, a.AcknowledgedBy, a.Note)));
        long flagey = alarms.Active().Single(a => a.Site == "hs-flageyplein").Id;
        Acknowledgement again = await alarms.AcknowledgeAsync([flagey], "engineer", null, CancellationToken.None);
        Assert.Equal("eng", Assert.Single(again.AlreadyAcknowledged).AcknowledgedBy);

        ITimeSeriesReader reader = services.GetRequiredService<ITimeSeriesReader>();
        IReadOnlyList<SeriesData> series = await reader.ReadAsync(
            new SeriesQuery("hs-beursplein", "if_in_bps", s_made.AddHours(-1), s_made.AddHours(1)) { Resolution = SeriesResolution.Raw }, CancellationToken.None);
        // What the old code stored for that instant (batch 1 sent 4242, batch 2 sent 4343 at the same instant).
        Assert.Equal(4242, Assert.Single(Assert.Single(series).Buckets).Last);

        // The NOC works on it: the agent's next batch is stored, a replayed one is a duplicate, a new alarm takes the next id.
        using HttpResponseMessage replay = await noc.IngestAsync(new Contracts.SampleBatch("edge-legacy", 2, DateTimeOffset.UtcNow, [NocHost.Reading("if_in_bps", 1)]),
            "noc_legacy_token_of_the_edge_agent_0001");
        using HttpResponseMessage next = await noc.IngestAsync(new Contracts.SampleBatch("edge-legacy", 3, DateTimeOffset.UtcNow,
            [NocHost.Reading(Contracts.MetricNames.DeviceReachable, 0, site: "fts-legacy", device: "fts-legacy-ap1")]), "noc_legacy_token_of_the_edge_agent_0001");
        // One writer: the observers of batch 3 (the status engine, which opens the alarm) have returned before batch 4 is answered.
        using HttpResponseMessage after = await noc.IngestAsync(new Contracts.SampleBatch("edge-legacy", 4, DateTimeOffset.UtcNow, [NocHost.Reading("if_in_bps", 2)]),
            "noc_legacy_token_of_the_edge_agent_0001");
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.OK, HttpStatusCode.OK), (replay.StatusCode, next.StatusCode, after.StatusCode));
        Assert.Contains(await alarms.QueryAsync(new AlarmFilter(Site: "fts-legacy"), CancellationToken.None), a => a.Id == 3 && a.Device == "fts-legacy-ap1");

        // The old runner's rows of the tables now migrated by FluentMigrator are gone; the series' own row stays.
        using var check = new SqliteConnection($"Data Source={_data.PathOf("noc.db")};Pooling=False");
        Assert.Equal(["timeseries"], check.Query<string>("SELECT component FROM schema_version"));
    }
}
