using Network.FleetSimulator;

// The simulated fleet of hotspot access points and school-fibre routers.
// Exit codes follow sysexits.h: 64 usage error, 69 service unavailable.
if (!FleetCommandLine.TryParse(args, out FleetCommand? command, out string? error))
{
    Console.Error.WriteLine($"fleet-simulator: {error}");
    Console.Error.WriteLine(FleetCommandLine.Usage);
    return 64;
}

if (command.Help)
{
    Console.WriteLine(FleetCommandLine.Usage);
    return 0;
}

Fleet fleet = Fleet.Create(command.Options, TimeProvider.System);
fleet.WriteList(Console.Out);
if (command.List)
{
    return 0;
}

// Serving waits for SnmpResponder: it will bind one UDP socket per device (FleetDevice.EndPoint)
// and answer from FleetDevice.Mib, or one socket for all with FleetDevice.SiteCommunity.
Console.Error.WriteLine("fleet-simulator: serving SNMP is not wired yet (it waits for SnmpResponder); the fleet above was built and not served");
return 69;
