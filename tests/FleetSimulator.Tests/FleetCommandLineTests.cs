using System.Net;

namespace Network.FleetSimulator.Tests;

public sealed class FleetCommandLineTests
{
    [Fact]
    public void Every_option_is_read()
    {
        Assert.True(FleetCommandLine.TryParse(
            ["--devices", "25", "--base-port", "16100", "--seed", "7", "--bind", "127.0.0.2", "--community", "noc", "--list"],
            out FleetCommand? command, out string? error), error);

        Assert.Equal(new FleetOptions { Devices = 25, BasePort = 16100, Seed = 7, Bind = IPAddress.Parse("127.0.0.2"), Community = "noc" }, command.Options);
        Assert.True(command.List);
        Assert.False(command.Help);
    }

    [Fact]
    public void Defaults_are_seed_1_loopback_public_and_serving()
    {
        Assert.True(FleetCommandLine.TryParse(["--base-port", "20000", "--devices", "2"], out FleetCommand? command, out _));

        Assert.Equal(new FleetOptions { Devices = 2, BasePort = 20000, Seed = 1, Bind = IPAddress.Loopback, Community = "public" }, command.Options);
        Assert.False(command.List);
    }

    [Theory]
    [InlineData("--base-port 16100", "--devices is required")]
    [InlineData("--devices 3", "--base-port is required")]
    [InlineData("--devices three --base-port 16100", "--devices: 'three' is not valid")]
    [InlineData("--devices 3 --base-port", "--base-port needs a value")]
    [InlineData("--devices 3 --base-port 16100 --seed -1", "--seed: '-1' is not valid")]
    [InlineData("--devices 3 --base-port 16100 --bind localhost", "--bind: 'localhost' is not valid")]
    [InlineData("--devices 3 --base-port 16100 --verbose", "unknown option '--verbose'")]
    [InlineData("--devices 0 --base-port 16100", "--devices must be 1 to 10000, not 0")]
    [InlineData("--devices 10 --base-port 65530", "--base-port 65530 with 10 devices needs ports 65530 to 65539, outside 1 to 65535")]
    public void A_bad_command_line_is_refused_with_a_reason(string line, string reason)
    {
        Assert.False(FleetCommandLine.TryParse(line.Split(' '), out FleetCommand? command, out string? error));
        Assert.Null(command);
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Help_asks_for_the_usage()
    {
        Assert.True(FleetCommandLine.TryParse(["--help"], out FleetCommand? command, out _));
        Assert.True(command.Help);
        Assert.Contains("--base-port", FleetCommandLine.Usage, StringComparison.Ordinal);
    }
}
