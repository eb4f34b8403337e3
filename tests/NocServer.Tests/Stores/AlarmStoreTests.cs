using Dapper;
using Network.Noc.Alarms;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Stores;

/// <summary>The alarms' table on each engine: the same tests, one subclass per engine.</summary>
public abstract class AlarmStoreTests : NocDatabaseTests
{
    private AlarmService? _alarms;

    protected AlarmService Alarms => _alarms ??= new(Database, TimeProvider.System, []);

    internal static AlarmSignal Down(string site, bool open = true) =>
        new(open, site, null, AlarmKinds.Down, AlarmKinds.Critical, site + " is down", null);

    [Fact]
    public async Task Alarms_open_are_acknowledged_clear_and_stay_as_history()
    {
        IReadOnlyList<AlarmView> opened = await Alarms.ApplyAsync(
            [Down("site-a"), Down("site-b"), new AlarmSignal(true, "site-a", "ap-1", AlarmKinds.NoData, AlarmKinds.Minor, "silent", "site-a")], CancellationToken.None);
        Assert.Equal(3, opened.Count);
        Assert.Equal(1, Alarms.ActiveCount("site-a"));

        Acknowledgement done = await Alarms.AcknowledgeAsync([opened[0].Id, 999_999], "ann", "on it", CancellationToken.None);
        Assert.Equal([(opened[0].Id, "ann", "on it")], done.Acknowledged.Select(a => (a.Id, a.AcknowledgedBy, a.Note)));
        Assert.Empty(done.AlreadyAcknowledged);
        await Alarms.ApplyAsync([Down("site-b", open: false)], CancellationToken.None);

        // Another instance reads what is stored.
        var other = new AlarmService(Database, TimeProvider.System, []);
        await other.LoadAsync(CancellationToken.None);
        Assert.Equal([("site-a", AlarmStates.Acknowledged), ("site-a", AlarmStates.Open)],
            other.Active().Select(a => (a.Site, a.State)).OrderBy(a => a.State, StringComparer.Ordinal));
        AlarmView cleared = Assert.Single(await other.QueryAsync(new AlarmFilter(AlarmStates.Cleared), CancellationToken.None));
        Assert.Equal(("site-b", true), (cleared.Site, cleared.ClearedAt is not null));
        Assert.Equal(3, (await other.QueryAsync(new AlarmFilter("all"), CancellationToken.None)).Count);
        Assert.Equal(2, (await other.QueryAsync(new AlarmFilter("all", Site: "site-a"), CancellationToken.None)).Count);
        Assert.Single(await other.QueryAsync(new AlarmFilter("all", Severity: AlarmKinds.Minor), CancellationToken.None));
        Assert.Empty(await other.QueryAsync(new AlarmFilter("all", Since: DateTimeOffset.UtcNow.AddDays(1)), CancellationToken.None));
        Assert.Single(await other.QueryAsync(new AlarmFilter("all", Limit: 1), CancellationToken.None));
    }

    [Fact]
    public async Task An_alarm_opened_and_cleared_in_one_step_is_stored_as_history()
    {
        IReadOnlyList<AlarmView> changed = await Alarms.ApplyAsync([Down("site-r"), Down("site-r", open: false)], CancellationToken.None);

        AlarmView alarm = Assert.Single(changed);
        Assert.Equal(AlarmStates.Cleared, alarm.State);
        Assert.Empty(Alarms.Active());
        Assert.Equal(alarm.Id, Assert.Single(await Alarms.QueryAsync(new AlarmFilter(AlarmStates.Cleared), CancellationToken.None)).Id);
    }

    [Fact]
    public async Task An_alarm_acknowledged_a_second_time_keeps_the_first_acknowledgement()
    {
        long id = (await Alarms.ApplyAsync([Down("site-c")], CancellationToken.None))[0].Id;

        await Alarms.AcknowledgeAsync([id], "ann", "first", CancellationToken.None);
        Acknowledgement second = await Alarms.AcknowledgeAsync([id], "ben", "second", CancellationToken.None);

        Assert.Empty(second.Acknowledged);
        Assert.Equal([(id, "ann", "first")], second.AlreadyAcknowledged.Select(a => (a.Id, a.AcknowledgedBy, a.Note)));
        Assert.Equal(("ann", "first"), (Alarms.Active()[0].AcknowledgedBy, Alarms.Active()[0].Note));
    }
}

public sealed class SqliteAlarmStoreTests : AlarmStoreTests;

public sealed class PostgresAlarmStoreTests(PostgresDatabase postgres) : AlarmStoreTests, IClassFixture<PostgresDatabase>
{
    protected override Task<string> ConnectionStringAsync() => postgres.CreateAsync();

    [Fact]
    public async Task Two_engineers_acknowledging_one_alarm_at_once_on_two_nodes_end_with_one_acknowledgement()
    {
        IReadOnlyList<AlarmView> opened = await Alarms.ApplyAsync([.. Enumerable.Range(0, 30).Select(i => Down($"site-{i}"))], CancellationToken.None);
        await using var second = new ServiceDatabase(ConnectionString, [AlarmService.Feature.Migrations]);
        var otherNode = new AlarmService(second, TimeProvider.System, []);
        await otherNode.LoadAsync(CancellationToken.None);

        // Each alarm acknowledged by both at once, one request each per alarm, so the two updates meet on every row.
        (Acknowledgement Ann, Acknowledgement Ben)[] results = await Task.WhenAll(opened.Select(async alarm =>
        {
            Task<Acknowledgement> ann = Alarms.AcknowledgeAsync([alarm.Id], "ann", "ann's note", CancellationToken.None);
            Task<Acknowledgement> ben = otherNode.AcknowledgeAsync([alarm.Id], "ben", "ben's note", CancellationToken.None);
            return (await ann, await ben);
        }));

        var stored = (await Database.ReadAsync(connection => connection.QueryAsync<(long Id, string By, string Note)>(
            "SELECT id, acknowledged_by, note FROM alarms WHERE state = 'acknowledged'"), CancellationToken.None)).ToDictionary(r => r.Id);
        Assert.Equal(opened.Count, stored.Count);
        foreach (((Acknowledgement ann, Acknowledgement ben), AlarmView alarm) in results.Zip(opened))
        {
            (Acknowledgement winner, Acknowledgement loser) = ann.Acknowledged.Count == 1 ? (ann, ben) : (ben, ann);
            AlarmView won = Assert.Single(winner.Acknowledged);
            Assert.Empty(winner.AlreadyAcknowledged);
            Assert.Empty(loser.Acknowledged);
            AlarmView told = Assert.Single(loser.AlreadyAcknowledged);
            Assert.Equal((alarm.Id, alarm.Id), (won.Id, told.Id));
            Assert.Equal(won.AcknowledgedBy, told.AcknowledgedBy);
            Assert.Equal((won.AcknowledgedBy, won.Note), (stored[alarm.Id].By, stored[alarm.Id].Note));
        }
    }
}
