using System.Globalization;
using System.Net;

namespace Network.FleetSimulator;

/// <summary>What the command line asks for.</summary>
public sealed record FleetCommand(FleetOptions Options, bool List, bool Help, int? ControlPort = null);

/// <summary>
/// <c>fleet-simulator --devices N --base-port P [--seed S] [--bind 127.0.0.1] [--community public] [--list]</c>,
/// parsed by hand: the tool takes no command-line package.
/// </summary>
public static class FleetCommandLine
{
    public const string Usage =
        "usage: fleet-simulator --devices N --base-port P [--seed S] [--bind 127.0.0.1] [--community public] [--control-port C] [--list]\n" +
        "       fleet-simulator control --port C down DEVICE | up DEVICE\n" +
        "  --devices N      number of simulated devices (1 to 10000), a mix of hotspots and school routers\n" +
        "  --base-port P    device i answers SNMP on UDP port P + i\n" +
        "  --seed S         fleet seed (default 1): same seed, same clock, same values\n" +
        "  --bind ADDRESS   address to listen on (default 127.0.0.1)\n" +
        "  --community C    community every device accepts on its own port (default public);\n" +
        "                   or its own site-<index> (SNMPv3: user fleet, SHA-256/AES)\n" +
        "  --control-port C take the console's commands (down DEVICE, up DEVICE) on TCP 127.0.0.1:C too, one line a\n" +
        "                   connection, for a simulator in the background; 'control --port C down 3' sends one\n" +
        "  --list           print the fleet (index, port, kind, sysName, location) and exit";

    public static bool TryParse(IReadOnlyList<string> args, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FleetCommand? command, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        command = null;
        int? devices = null;
        int? basePort = null;
        ulong seed = 1;
        IPAddress bind = IPAddress.Loopback;
        string community = "public";
        bool list = false;
        int? controlPort = null;

        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                command = new FleetCommand(new FleetOptions { Devices = 1, BasePort = 1 }, List: false, Help: true);
                error = null;
                return true;
            }

            if (name == "--list")
            {
                list = true;
                continue;
            }

            if (name is not ("--devices" or "--base-port" or "--seed" or "--bind" or "--community" or "--control-port"))
            {
                error = $"unknown option '{name}'";
                return false;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return false;
            }

            string value = args[++i];
            bool ok = name switch
            {
                "--devices" => TryInt(value, out devices),
                "--base-port" => TryInt(value, out basePort),
                "--seed" => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed),
                "--bind" => IPAddress.TryParse(value, out bind!),
                "--control-port" => TryInt(value, out controlPort) && controlPort is >= 1 and <= 65535,
                _ => (community = value).Length > 0,
            };
            if (!ok)
            {
                error = $"{name}: '{value}' is not valid";
                return false;
            }
        }

        if (devices is null || basePort is null)
        {
            error = devices is null ? "--devices is required" : "--base-port is required";
            return false;
        }

        var options = new FleetOptions { Devices = devices.Value, BasePort = basePort.Value, Seed = seed, Bind = bind, Community = community };
        error = options.Validate();
        if (error is not null)
        {
            return false;
        }

        command = new FleetCommand(options, list, Help: false, controlPort);
        return true;
    }

    private static bool TryInt(string text, out int? value)
    {
        bool ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed);
        value = ok ? parsed : null;
        return ok;
    }
}
