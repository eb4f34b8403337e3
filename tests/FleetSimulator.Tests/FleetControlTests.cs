using System.Globalization;
using Network.Snmp.Mibs;
using Network.TestSupport;

namespace Network.FleetSimulator.Tests;

/// <summary>
/// The simulator in the background, as run.sh starts it (no console), taken down and up through its loopback control
/// port with its own <c>control</c> command, the change read with net-snmp's snmpget.
/// </summary>
public sealed class FleetControlTests
{
    private const string Project = "tools/FleetSimulator";
    private const string Assembly = "Network.FleetSimulator";

    [Fact]
    public async Task Control_down_and_up_reach_a_simulator_running_in_the_background()
    {
        int basePort = Peers.FreeUdpPort();
        int controlPort = Peers.FreeTcpPort();
        var options = new FleetOptions { Devices = 3, BasePort = basePort, Seed = 1 };
        FleetDevice device = Fleet.Create(options, TimeProvider.System).Devices[1]; // the same fleet as the process's: same seed
        string operStatus = IfMib.IfOperStatus.Append(device.Device.Uplink.Index).ToString();
        await using PeerProcess fleet = ServiceProcess.Start(Project, Assembly,
            ["--devices", "3", "--base-port", Text(basePort), "--control-port", Text(controlPort)]);
        await Peers.WaitUntilAsync(() => Task.FromResult(fleet.Output.Contains($"control on tcp 127.0.0.1:{controlPort}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the simulator's control port");

        var down = await ControlAsync(controlPort, "down", "1");
        string whileDown = await ReadAsync(device.Port, operStatus);
        var up = await ControlAsync(controlPort, "up", device.SysName);
        string afterUp = "";
        await Peers.WaitUntilAsync(async () => (afterUp = await ReadAsync(device.Port, operStatus)) == "INTEGER: 1",
            TimeSpan.FromSeconds(30), "the uplink up again (unless the flap schedule has it down)");
        var sideways = await ControlAsync(controlPort, "sideways", "1");
        string tooLong = await FleetControl.SendAsync(controlPort, new string('x', 4 * FleetControl.MaxLine));

        Assert.Equal((0, $"{device.SysName}: uplink down"), (down.Code, down.Stdout.Trim()));
        Assert.Equal("INTEGER: 2", whileDown);
        Assert.Equal((0, $"{device.SysName}: uplink up"), (up.Code, up.Stdout.Trim()));
        Assert.Equal("INTEGER: 1", afterUp);
        Assert.Equal((1, $"? {FleetConsole.Help}"), (sideways.Code, sideways.Stderr.Trim()));
        Assert.Equal($"? a command is one line of at most {FleetControl.MaxLine} bytes", tooLong);
        Assert.False(fleet.HasExited, fleet.Output);
    }

    [Fact]
    public async Task Control_without_a_simulator_says_so()
    {
        var (code, _, stderr) = await ServiceProcess.RunAsync(Project, Assembly, ["control", "--port", Text(Peers.FreeTcpPort()), "down", "1"]);

        Assert.Equal(69, code);
        Assert.Contains("no simulator answers", stderr, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Stdout, string Stderr)> ControlAsync(int port, params string[] words) =>
        ServiceProcess.RunAsync(Project, Assembly, ["control", "--port", Text(port), .. words]);

    private static async Task<string> ReadAsync(int port, string oid)
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", "public", "-On", $"127.0.0.1:{port}", oid);
        Assert.True(code == 0, stderr);
        return Assert.Single(NetSnmpOutput.Parse(stdout)).Text;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
