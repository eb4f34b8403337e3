using System.Text.Json;
using Network.TestSupport;

namespace Network.Noc.Tests;

/// <summary>
/// run.sh's agent configuration (edge-agent/EdgeAgent/samples/run-fleet.json) against the NOC's demo inventory: every
/// site its samples carry exists there, and every site it polls has its own uplink probe (else the latency chart of
/// that site stays empty).
/// </summary>
public sealed class SampleConfigurationTests
{
    private static readonly string s_agentConfig = Path.Combine(ServiceProcess.RepositoryRoot, "edge-agent", "EdgeAgent", "samples", "run-fleet.json");

    [Fact]
    public void Every_site_the_sample_agent_reports_for_is_in_the_demo_inventory_and_has_its_own_probe()
    {
        using JsonDocument seed = JsonDocument.Parse(File.ReadAllText(NocHost.SeedFile));
        var inventory = seed.RootElement.GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(s_agentConfig));
        JsonElement agent = config.RootElement.GetProperty("Agent");
        string own = agent.GetProperty("Site").GetProperty("Id").GetString()!;
        string SiteOf(JsonElement e) => e.TryGetProperty("Site", out JsonElement site) ? site.GetString()! : own;
        string[] polled = [.. agent.GetProperty("Polling").GetProperty("Devices").EnumerateArray().Select(SiteOf)];
        string[] probed = [.. agent.GetProperty("Probes").GetProperty("Targets").EnumerateArray().Select(SiteOf)];

        Assert.NotEmpty(polled);
        Assert.All(polled.Concat(probed), site => Assert.Contains(site, inventory));
        Assert.Equal(polled.Order(StringComparer.Ordinal), probed.Order(StringComparer.Ordinal));
    }
}
