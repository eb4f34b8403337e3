using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Network.Noc.Agents;
using Network.TestSupport;

namespace Network.Noc.Tests.Api;

/// <summary>
/// Rotating an agent's token from the command line while the NOC runs (ansible's rotate-agent-token.yml): both tokens
/// are accepted until the rotation is finished, then only the new one, without restarting the NOC.
/// </summary>
public class AgentTokenRotationTests
{
    private const string NextToken = "noc_the-next-token-of-agent-test-0123456789";

    [Fact]
    public async Task Both_tokens_are_accepted_during_a_rotation_and_only_the_new_one_after_it_is_finished()
    {
        await using NocHost noc = await NocHost.StartAsync();
        AgentService commandLine = CommandLine(noc);

        Assert.True(await commandLine.BeginRotationAsync(NocHost.AgentId, NextToken, CancellationToken.None));
        using HttpResponseMessage withNext = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 1)), NextToken);
        using HttpResponseMessage withCurrent = await noc.IngestAsync(NocHost.Batch(2, NocHost.Reading("device_reachable", 1)));
        Assert.Equal(HttpStatusCode.OK, withNext.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withCurrent.StatusCode);

        Assert.True(await commandLine.FinishRotationAsync(NocHost.AgentId, CancellationToken.None));
        // The running NOC reads the tokens again within AgentsExtensions.ReloadInterval: the old one is then refused.
        long sequence = 3;
        await Peers.WaitUntilAsync(async () =>
        {
            using HttpResponseMessage old = await noc.IngestAsync(NocHost.Batch(sequence++, NocHost.Reading("device_reachable", 1)));
            return old.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(60), "the old token refused after the rotation");
        using HttpResponseMessage afterwards = await noc.IngestAsync(NocHost.Batch(1000, NocHost.Reading("device_reachable", 1)), NextToken);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.False(await commandLine.FinishRotationAsync(NocHost.AgentId, CancellationToken.None));
    }

    [Fact]
    public async Task A_rotation_to_another_agents_token_is_refused_and_a_revoked_agent_has_none()
    {
        await using NocHost noc = await NocHost.StartAsync();
        AgentService commandLine = CommandLine(noc);
        string other = await commandLine.CreateAsync("agent-other", null, "noc_the-token-of-the-other-agent-0123", CancellationToken.None);

        AgentException taken = await Assert.ThrowsAsync<AgentException>(() => commandLine.BeginRotationAsync(NocHost.AgentId, other, CancellationToken.None));
        await Assert.ThrowsAsync<AgentException>(() => commandLine.BeginRotationAsync(NocHost.AgentId, "short", CancellationToken.None));
        Assert.True(await commandLine.BeginRotationAsync(NocHost.AgentId, NextToken, CancellationToken.None));
        Assert.True(await commandLine.RevokeAsync(NocHost.AgentId, CancellationToken.None));
        Assert.False(await commandLine.BeginRotationAsync(NocHost.AgentId, NextToken, CancellationToken.None));

        Assert.Contains("taken", taken.Message, StringComparison.Ordinal);
        using HttpResponseMessage next = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 1)), NextToken);
        Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
    }

    /// <summary>The command line's view: another AgentService on the same file, the NOC's map of tokens untouched.</summary>
    private static AgentService CommandLine(NocHost noc) =>
        new(noc.Factory.Services.GetRequiredService<Network.Storage.ServiceDatabase>(), TimeProvider.System);
}
