using Network.Noc.Agents;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Stores;

/// <summary>The agents' table on each engine: the same tests, one subclass per engine.</summary>
public abstract class AgentStoreTests : NocDatabaseTests
{
    private AgentService? _agents;

    protected AgentService Agents => _agents ??= new(Database, TimeProvider.System);

    [Fact]
    public async Task An_agent_is_created_authenticated_listed_revoked_and_deleted()
    {
        string token = await Agents.CreateAsync("edge-1", "hs-beursplein", null, CancellationToken.None);
        await Agents.CreateAsync("edge-2", null, "a-token-the-deployment-made-0001", CancellationToken.None);

        Assert.Equal("edge-1", await Agents.AuthenticateAsync(token, CancellationToken.None));
        Assert.Equal("edge-2", await Agents.AuthenticateAsync("a-token-the-deployment-made-0001", CancellationToken.None));
        AgentException taken = await Assert.ThrowsAsync<AgentException>(() => Agents.CreateAsync("edge-3", null, "a-token-the-deployment-made-0001", CancellationToken.None));
        Assert.Contains("token is taken", taken.Message, StringComparison.Ordinal);
        Assert.Equal([("edge-1", "hs-beursplein", false), ("edge-2", (string?)null, false)],
            (await Agents.ListAsync(CancellationToken.None)).Select(a => (a.Id, a.Site, a.RevokedAt is not null)));

        Assert.False(await Agents.DeleteRevokedAsync("edge-1", CancellationToken.None));
        Assert.True(await Agents.RevokeAsync("edge-1", CancellationToken.None));
        Assert.False(await Agents.RevokeAsync("edge-1", CancellationToken.None));
        Assert.Null(await Agents.AuthenticateAsync(token, CancellationToken.None));
        Assert.True(await Agents.DeleteRevokedAsync("edge-1", CancellationToken.None));
        Assert.Equal(["edge-2"], (await Agents.ListAsync(CancellationToken.None)).Select(a => a.Id));
    }

    [Fact]
    public async Task A_rotation_accepts_both_tokens_until_it_is_finished()
    {
        await Agents.CreateAsync("edge-r", null, "the-current-token-of-edge-r-000", CancellationToken.None);
        await Agents.CreateAsync("edge-s", null, "the-current-token-of-edge-s-000", CancellationToken.None);

        await Assert.ThrowsAsync<AgentException>(() => Agents.BeginRotationAsync("edge-r", "the-current-token-of-edge-s-000", CancellationToken.None));
        Assert.True(await Agents.BeginRotationAsync("edge-r", "the-next-token-of-edge-r-00000", CancellationToken.None));
        Assert.Equal("edge-r", await Agents.AuthenticateAsync("the-current-token-of-edge-r-000", CancellationToken.None));
        Assert.Equal("edge-r", await Agents.AuthenticateAsync("the-next-token-of-edge-r-00000", CancellationToken.None));

        Assert.True(await Agents.FinishRotationAsync("edge-r", CancellationToken.None));
        Assert.False(await Agents.FinishRotationAsync("edge-r", CancellationToken.None));
        Assert.Equal("edge-r", await Agents.AuthenticateAsync("the-next-token-of-edge-r-00000", CancellationToken.None));
        Assert.DoesNotContain(await Agents.ListAsync(CancellationToken.None), a => a.RevokedAt is not null);
    }

    [Fact]
    public async Task The_last_sequence_only_goes_up()
    {
        await Agents.CreateAsync("edge-q", null, null, CancellationToken.None);
        await Agents.CreateAsync("edge-p", null, null, CancellationToken.None);

        await Agents.SaveSequencesAsync(new Dictionary<string, long> { ["edge-q"] = 41, ["edge-p"] = 7, ["unknown"] = 3 }, CancellationToken.None);
        await Agents.SaveSequencesAsync(new Dictionary<string, long> { ["edge-q"] = 40 }, CancellationToken.None);

        Dictionary<string, long> last = await Agents.LastSequencesAsync(CancellationToken.None);
        Assert.Equal((41, 7, 2), (last["edge-q"], last["edge-p"], last.Count));
        Assert.Equal(41, (await Agents.ListAsync(CancellationToken.None)).Single(a => a.Id == "edge-q").LastSequence);
    }
}

public sealed class SqliteAgentStoreTests : AgentStoreTests;

public sealed class PostgresAgentStoreTests(PostgresDatabase postgres) : AgentStoreTests, IClassFixture<PostgresDatabase>
{
    protected override Task<string> ConnectionStringAsync() => postgres.CreateAsync();

    [Fact]
    public async Task Two_nodes_storing_one_agents_batches_at_once_keep_the_highest_sequence()
    {
        await Agents.CreateAsync("edge-n", null, null, CancellationToken.None);
        await using var second = new ServiceDatabase(ConnectionString, [AgentService.Feature.Migrations]);
        AgentService[] nodes = [Agents, new AgentService(second, TimeProvider.System)];

        await Task.WhenAll(Enumerable.Range(1, 200).Select(sequence =>
            nodes[sequence % 2].SaveSequencesAsync(new Dictionary<string, long> { ["edge-n"] = sequence }, CancellationToken.None)));

        Assert.Equal(200, (await nodes[1].LastSequencesAsync(CancellationToken.None))["edge-n"]);
    }
}
