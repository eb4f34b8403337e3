using Network.FleetSimulator;
using Network.FleetSimulator.Serving;

// The simulated fleet of hotspot access points and school-fibre routers.
// Exit codes follow sysexits.h: 64 usage error.
if (args is ["control", .. var controlArgs])
{
    return await FleetControl.RunClientAsync(controlArgs, Console.Out, Console.Error);
}

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

await using FleetServer server = FleetServer.Start(fleet, TimeProvider.System, Console.Error.WriteLine);
Console.WriteLine($"serving {fleet.Devices.Count} devices on udp {command.Options.Bind}:{command.Options.BasePort}-{command.Options.BasePort + fleet.Devices.Count - 1}" +
    $" (community '{command.Options.Community}' or site-<index>; v3 user '{FleetServer.V3User.Name}' SHA-256/AES, pass phrases in the README)");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => stop.Cancel());
Console.WriteLine(FleetConsole.Help);
await using FleetControl? control = command.ControlPort is int controlPort ? FleetControl.Start(fleet, controlPort) : null;
if (control is not null)
{
    Console.WriteLine($"control on tcp 127.0.0.1:{control.Port}: fleet-simulator control --port {control.Port} down DEVICE | up DEVICE");
}

_ = FleetConsole.RunAsync(fleet, Console.In, Console.Out, stop.Token);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
