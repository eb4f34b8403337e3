using Microsoft.Extensions.Time.Testing;
using Network.FleetSimulator.Serving;
using Network.Snmp.Mibs;
using Network.TestSupport;

namespace Network.FleetSimulator.Tests;

/// <summary>The simulator's stdin commands: a cut uplink reads down over SNMP (net-snmp's snmpget), a mended one up.</summary>
public sealed class FleetConsoleTests
{
    [Fact]
    public async Task Down_cuts_the_uplink_as_snmpget_sees_it_and_up_mends_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
        Fleet fleet = Fleet.Create(new FleetOptions { Devices = 2, BasePort = Peers.FreeUdpPort(), Seed = 11 }, time);
        await using FleetServer server = FleetServer.Start(fleet, time);
        FleetDevice device = fleet.Devices[1];
        uint uplink = device.Device.Uplink.Index;
        string operStatus = IfMib.IfOperStatus.Append(uplink).ToString();

        Assert.Equal("INTEGER: 1", await ReadAsync(device, operStatus));
        Assert.Equal($"{device.SysName}: uplink down", FleetConsole.Apply(fleet, $"down {device.SysName}"));
        Assert.Equal("INTEGER: 2", await ReadAsync(device, operStatus));
        Assert.Equal("INTEGER: 1", await ReadAsync(fleet.Devices[0], IfMib.IfOperStatus.Append(fleet.Devices[0].Device.Uplink.Index).ToString()));

        var output = new StringWriter();
        await FleetConsole.RunAsync(fleet, new StringReader("up 1\n\nsideways 1\ndown 99\n"), output, CancellationToken.None);

        Assert.Equal("INTEGER: 1", await ReadAsync(device, operStatus));
        Assert.Equal([$"{device.SysName}: uplink up", $"? {FleetConsole.Help}", "? no device '99'"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<string> ReadAsync(FleetDevice device, string oid)
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", "public", "-On", $"127.0.0.1:{device.Port}", oid);
        Assert.True(code == 0, stderr);
        return Assert.Single(NetSnmpOutput.Parse(stdout)).Text;
    }
}
