using Network.Snmp.Mibs;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;

namespace Network.FleetSimulator;

/// <summary>The kinds of device in the fleet.</summary>
public enum DeviceKind
{
    /// <summary>An Urbizone access point on a square or a street (a MikroTik-like RouterOS box).</summary>
    OutdoorHotspot,

    /// <summary>An Urbizone access point in a town hall or public office (a Cisco Aironet-like AP).</summary>
    IndoorHotspot,

    /// <summary>A Fiber to the School router (a Linux/net-snmp CPE) with a fibre WAN port and a LAN port.</summary>
    SchoolRouter,
}

/// <summary>What a device says about itself in the system group (RFC 3418).</summary>
public sealed record DeviceIdentity(
    int Index,
    DeviceKind Kind,
    string SysName,
    string SysLocation,
    string SysDescr,
    Oid SysObjectId,
    string SysContact,
    int SysServices);

/// <summary>
/// A simulated device: the system group, IF-MIB ifTable and ifXTable, HOST-RESOURCES-MIB processor
/// and RAM, and whatever its model adds (a vendor's associated-clients table), in one
/// <see cref="MibView"/> whose every value is computed from the <see cref="TimeProvider"/>'s clock.
/// </summary>
public sealed class SimulatedDevice
{
    private readonly TimeProvider _time;
    private readonly BootSchedule _boots;
    private readonly MibView _mib = new();
    private readonly InterfaceTable _interfaceTable;

    internal SimulatedDevice(DeviceIdentity identity, ulong key, TimeProvider time, IReadOnlyList<SimulatedInterface> interfaces, HostResources host)
    {
        Identity = identity;
        Key = key;
        _time = time;
        _boots = new BootSchedule(key);
        Interfaces = interfaces;
        Host = host;
        _interfaceTable = new InterfaceTable(this);

        _mib.AddScalar(SnmpV2Mib.SysDescr, SnmpValue.OctetString(identity.SysDescr))
            .AddScalar(SnmpV2Mib.SysObjectID, SnmpValue.ObjectIdentifier(identity.SysObjectId))
            .AddScalar(SnmpV2Mib.SysUpTime, () => SnmpValue.TimeTicks(UpTime(NowMs())))
            .AddScalar(SnmpV2Mib.SysContact, SnmpValue.OctetString(identity.SysContact))
            .AddScalar(SnmpV2Mib.SysName, SnmpValue.OctetString(identity.SysName))
            .AddScalar(SnmpV2Mib.SysLocation, SnmpValue.OctetString(identity.SysLocation))
            .AddScalar(SnmpV2Mib.SysServices, SnmpValue.Integer(identity.SysServices))
            .AddScalar(IfMib.IfNumber, SnmpValue.Integer(interfaces.Count))
            .AddTable(IfMib.IfEntry, _interfaceTable.IfTable, InterfaceTable.IfColumns)
            .AddTable(IfMib.IfXEntry, _interfaceTable.IfXTable, InterfaceTable.IfXColumns)
            .AddScalar(HostResourcesMib.HrMemorySize, SnmpValue.Integer((int)(host.RamBytes / 1024)))
            .AddTable(HostResourcesMib.HrStorageEntry, new HostResources.StorageTable(this), HostResources.StorageTable.Columns)
            .AddTable(HostResourcesMib.HrProcessorEntry, new HostResources.ProcessorTable(this), HostResources.ProcessorTable.Columns);
    }

    public DeviceIdentity Identity { get; }

    /// <summary>Everything this device serves, values read from the clock at each request.</summary>
    public IMibView Mib => _mib;

    internal ulong Key { get; }

    internal IReadOnlyList<SimulatedInterface> Interfaces { get; }

    /// <summary>The interface that carries the site (its alias names the uplink, WAN or fibre), or the first.</summary>
    internal SimulatedInterface Uplink => Interfaces.FirstOrDefault(i =>
        i.Alias.Contains("uplink", StringComparison.OrdinalIgnoreCase) || i.Alias.Contains("WAN", StringComparison.Ordinal)) ?? Interfaces[0];

    /// <summary>Cuts the uplink (operationally down, as a dug-up fibre or a pulled cable) or mends it.</summary>
    public void CutUplink(bool cut) => Uplink.Cut = cut;

    internal HostResources Host { get; }

    /// <summary>The radio whose associated clients the vendor table counts; null on a school router.</summary>
    internal SimulatedInterface? Radio { get; init; }

    /// <summary>How many wifi clients the radio can have at the busiest moment.</summary>
    internal int ClientCapacity { get; init; }

    internal DailyCurve Curve { get; init; } = DailyCurve.School;

    /// <summary>For the device models: vendor object types beside the standard ones.</summary>
    internal MibView MutableMib => _mib;

    internal long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal long LastBoot(long nowMs) => _boots.LastBoot(nowMs);

    internal long NextBoot(long nowMs) => _boots.NextBoot(nowMs);

    internal uint UpTime(long nowMs) => SimTime.Ticks(LastBoot(nowMs), nowMs);

    /// <summary>Wifi clients associated now: the daily curve with noise drawn per five minutes, none while the radio is down.</summary>
    internal uint AssociatedClients(long nowMs)
    {
        if (Radio is null || !Radio.IsUp(nowMs))
        {
            return 0;
        }

        long slot = SimTime.FloorDiv(nowMs, 5 * SimTime.MinuteMs);
        double noise = Noise.Between(Noise.Hash(Key, (ulong)Draw.Clients, slot), 0.8, 1.2);
        return (uint)Math.Floor(ClientCapacity * Math.Min(1.0, Curve.ValueAt(nowMs) * noise));
    }
}
