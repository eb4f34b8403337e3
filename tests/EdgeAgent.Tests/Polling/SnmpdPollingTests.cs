using Microsoft.Extensions.Logging.Abstractions;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Polling;
using Network.EdgeAgent.Queue;
using Network.Snmp.Client;
using Network.Snmp.Mibs;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Polling;

/// <summary>The school profile against net-snmp's snmpd (a real Linux router's agent), v2c and v3 authPriv.</summary>
public sealed class SnmpdPollingTests(SnmpdFixture snmpd) : IClassFixture<SnmpdFixture>
{
    [Theory]
    [InlineData("v2c", null, null, null, null, null)]
    [InlineData("v3", "authPrivUser", "SHA", "authpass123", "AES", "privpass123")]
    [InlineData("v3", "sha512User", "SHA-512", "authpass512", "AES256", "privpass512")]
    public async Task Polling_snmpd_reads_the_system_group_interfaces_and_host_resources(
        string version, string? user, string? auth, string? authPass, string? priv, string? privPass)
    {
        await using SnmpClient client = SnmpClient.CreateUdp();
        TimeProvider time = TimeProvider.System; // snmpd's sysUpTime runs on the real clock
        var poller = new DevicePoller(
            new DeviceOptions
            {
                Name = "snmpd",
                Address = snmpd.Endpoint,
                Profile = SiteKind.School,
                Version = version == "v3" ? DeviceSnmpVersion.V3 : DeviceSnmpVersion.V2c,
                V3 = user is null ? null : new V3UserOptions { User = user, AuthProtocol = auth!, AuthPassword = authPass!, PrivProtocol = priv!, PrivPassword = privPass! },
            },
            new SiteOptions { Id = "fts-test", Kind = SiteKind.School }, client, time, NullLogger.Instance);

        AgentReport first = await poller.PollAsync(CancellationToken.None);

        Assert.Equal(1, first.Samples.Single(s => s.Metric == "device_reachable").Value);
        Assert.True(first.Samples.Single(s => s.Metric == "sys_uptime_seconds").Value > 0);
        Assert.True(first.Samples.Single(s => s.Metric == "memory_total_bytes").Value > 1 << 20);
        Assert.InRange(first.Samples.Single(s => s.Metric == "memory_used_percent").Value, 0.1, 100);
        // net-snmp's own tool is the oracle of what this snmpd serves (in a container it may have no hrProcessorTable).
        var (_, processors, _) = await SnmpdFixture.RunToolAsync("snmpbulkwalk", "-v2c", "-c", SnmpdFixture.Community, "-On", snmpd.Endpoint, HostResourcesMib.HrProcessorLoad.ToString());
        var (_, types, _) = await SnmpdFixture.RunToolAsync("snmpbulkwalk", "-v2c", "-c", SnmpdFixture.Community, "-On", snmpd.Endpoint, IfMib.IfType.ToString());
        bool hasProcessors = processors.Contains("INTEGER", StringComparison.Ordinal);
        Assert.Equal(hasProcessors, first.Samples.Any(s => s.Metric == "cpu_load_percent"));
        Assert.All(first.Samples.Where(s => s.Metric == "cpu_load_percent"), s => Assert.InRange(s.Value, 0, 100));
        int links = NetSnmpOutput.Parse(types).Count(e => e.Text != "INTEGER: 24"); // every interface but softwareLoopback
        Assert.Equal(links, first.Samples.Count(s => s.Metric == "if_up"));

        await Task.Delay(1100); // a second poll a second later: rates from snmpd's 64-bit counters
        AgentReport second = await poller.PollAsync(CancellationToken.None);
        Assert.Equal(links, second.Samples.Count(s => s.Metric == "if_in_bps" && s.Labels!["counter"] == "hc"));
        Assert.All(second.Samples.Where(s => s.Metric.EndsWith("_bps", StringComparison.Ordinal)), s => Assert.True(s.Value >= 0));
        Assert.All(first.Samples, s => Assert.Equal("fts-test", s.Site));
        // The loopback interface is not a link: never reported.
        Assert.DoesNotContain(first.Samples, s => s.Labels is { } l && l.TryGetValue("if", out string? name) && name == "lo");
    }
}
