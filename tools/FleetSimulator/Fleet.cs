using System.Globalization;
using System.Net;
using Network.Snmp.Responder;

namespace Network.FleetSimulator;

/// <summary>How a fleet is built and where it listens.</summary>
public sealed record FleetOptions
{
    public const int MaxDevices = 10_000;

    public required int Devices { get; init; }

    /// <summary>Device <c>i</c> answers on UDP port <c>BasePort + i</c>.</summary>
    public required int BasePort { get; init; }

    public ulong Seed { get; init; } = 1;

    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>The community every device accepts on its own port.</summary>
    public string Community { get; init; } = "public";

    /// <summary>What is wrong with these options, or null.</summary>
    public string? Validate()
    {
        if (Devices is < 1 or > MaxDevices)
        {
            return $"--devices must be 1 to {MaxDevices}, not {Devices}";
        }

        if (BasePort < 1 || BasePort + Devices - 1 > IPEndPoint.MaxPort)
        {
            return $"--base-port {BasePort} with {Devices} devices needs ports {BasePort} to {BasePort + Devices - 1}, outside 1 to {IPEndPoint.MaxPort}";
        }

        return string.IsNullOrEmpty(Community) ? "--community must not be empty" : null;
    }
}

/// <summary>
/// One device of the fleet and how a responder reaches it: its own UDP port with
/// <see cref="Community"/>, or any port with <see cref="SiteCommunity"/>.
/// </summary>
public sealed class FleetDevice(SimulatedDevice device, IPEndPoint endPoint, string community)
{
    public int Index => Device.Identity.Index;

    public DeviceKind Kind => Device.Identity.Kind;

    public string SysName => Device.Identity.SysName;

    public string Location => Device.Identity.SysLocation;

    public IPEndPoint EndPoint { get; } = endPoint;

    public int Port => EndPoint.Port;

    /// <summary>The community the device answers on its own port (--community).</summary>
    public string Community { get; } = community;

    /// <summary><c>site-&lt;index&gt;</c>: selects this device when one port serves the whole fleet.</summary>
    public string SiteCommunity { get; } = string.Create(CultureInfo.InvariantCulture, $"site-{device.Identity.Index}");

    /// <summary>What the responder serves for this device.</summary>
    public IMibView Mib => Device.Mib;

    public SimulatedDevice Device { get; } = device;
}

/// <summary>N simulated hotspots and school routers built from a seed, all reading one clock.</summary>
public sealed class Fleet
{
    private Fleet(FleetOptions options, FleetDevice[] devices)
    {
        Options = options;
        Devices = devices;
    }

    public FleetOptions Options { get; }

    /// <summary>The devices by index: device <c>i</c> is at <c>Devices[i]</c>, port <c>BasePort + i</c>.</summary>
    public IReadOnlyList<FleetDevice> Devices { get; }

    /// <summary>Builds the fleet; every value it serves is a pure function of the seed, the device and <paramref name="time"/>'s clock.</summary>
    public static Fleet Create(FleetOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var devices = new FleetDevice[options.Devices];
        int hotspots = 0;
        int schools = 0;
        for (int i = 0; i < devices.Length; i++)
        {
            int ordinal = DeviceModels.IsHotspot(options.Seed, i) ? hotspots++ : schools++;
            devices[i] = new FleetDevice(
                DeviceModels.Create(options.Seed, i, ordinal, time),
                new IPEndPoint(options.Bind, options.BasePort + i),
                options.Community);
        }

        return new Fleet(options, devices);
    }

    /// <summary>One line per device: index, port, kind, sysName, location.</summary>
    public void WriteList(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"index",5}  {"port",5}  {"kind",-14}  {"sysName",-32}  location"));
        foreach (FleetDevice d in Devices)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Index,5}  {d.Port,5}  {d.Kind,-14}  {d.SysName,-32}  {d.Location}"));
        }
    }
}
