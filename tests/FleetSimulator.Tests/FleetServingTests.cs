using Microsoft.Extensions.Time.Testing;
using Network.FleetSimulator.Serving;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Text;
using Network.TestSupport;

namespace Network.FleetSimulator.Tests;

/// <summary>The simulated fleet served over UDP and read by net-snmp's tools: the same values the models compute.</summary>
public sealed class FleetServingTests : IAsyncLifetime
{
    // A frozen clock: every value is a pure function of (seed, device, time), so net-snmp must read exactly what the model holds.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 30, 0, TimeSpan.Zero));
    private Fleet _fleet = null!;
    private FleetServer _server = null!;

    public Task InitializeAsync()
    {
        int basePort = Peers.FreeUdpPort();
        _fleet = Fleet.Create(new FleetOptions { Devices = 3, BasePort = basePort, Seed = 7 }, _time);
        _server = FleetServer.Start(_fleet, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Snmpbulkwalk_of_each_device_reads_exactly_what_the_model_holds()
    {
        foreach (FleetDevice device in _fleet.Devices)
        {
            var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Cr25",
                $"127.0.0.1:{device.Port}", "1.3.6.1");

            Assert.True(code == 0, stderr);
            var expected = device.Mib.Walk(Oid.Parse("1.3.6.1")).Select(b => (b.Oid.ToString(), NetSnmpText.FormatValue(b.Value))).ToList();
            var read = NetSnmpOutput.Parse(stdout).Where(e => !e.Text.StartsWith("No more variables", StringComparison.Ordinal)).ToList();
            Assert.True(expected.Count > 40, $"{device.SysName} has only {expected.Count} variables");
            Assert.Equal(expected, read);
        }
    }

    [Fact]
    public async Task Snmpwalk_v3_authPriv_and_the_site_community_reach_the_right_device()
    {
        FleetDevice device = _fleet.Devices[2];
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v3", "-l", "authPriv", "-u", FleetServer.V3User.Name,
            "-a", "SHA-256", "-A", FleetServer.V3User.AuthPassword, "-x", "AES", "-X", FleetServer.V3User.PrivPassword, "-On",
            $"127.0.0.1:{device.Port}", "1.3.6.1.2.1.1.5.0");
        var (code2, stdout2, stderr2) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", device.SiteCommunity, "-On",
            $"127.0.0.1:{device.Port}", "1.3.6.1.2.1.1.6.0");

        Assert.True(code == 0, stderr);
        Assert.True(code2 == 0, stderr2);
        Assert.Equal($"STRING: \"{device.SysName}\"", Assert.Single(NetSnmpOutput.Parse(stdout)).Text);
        Assert.Equal($"STRING: \"{device.Location}\"", Assert.Single(NetSnmpOutput.Parse(stdout2)).Text);
    }

    [Fact]
    public void Engine_ids_are_stable_per_device_and_never_shared()
    {
        Assert.Equal(FleetServer.EngineIdOf(7, 1), FleetServer.EngineIdOf(7, 1));
        Assert.NotEqual(FleetServer.EngineIdOf(7, 1), FleetServer.EngineIdOf(7, 2));
        Assert.NotEqual(FleetServer.EngineIdOf(7, 1), FleetServer.EngineIdOf(8, 1));
    }
}
