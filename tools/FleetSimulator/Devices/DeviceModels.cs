using System.Globalization;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;

namespace Network.FleetSimulator;

/// <summary>
/// Builds the devices of a fleet. Every choice (kind, place, speeds, popularity, MAC addresses) is a
/// hash of the fleet seed and the device index, so device <c>i</c> of seed <c>s</c> is always the same.
/// </summary>
internal static class DeviceModels
{
    // RouterOS reports its enterprise's first arc; CISCO-PRODUCTS-MIB ciscoAIRAP1240; NET-SNMP-TC linux.
    private static readonly Oid s_mikrotikRouterOs = Oid.Parse("1.3.6.1.4.1.14988.1");
    private static readonly Oid s_ciscoAirAp1240 = Oid.Parse("1.3.6.1.4.1.9.1.685");
    private static readonly Oid s_netSnmpLinux = Oid.Parse("1.3.6.1.4.1.8072.3.2.10");

    /// <summary>Whether device <paramref name="index"/> of the fleet of <paramref name="seed"/> is a hotspot (else a school router).</summary>
    public static bool IsHotspot(ulong seed, int index) => index switch
    {
        0 => true,
        1 => false,
        _ => Noise.Unit(Noise.Hash(Noise.Hash(seed, (ulong)index), (ulong)Draw.Kind)) < 0.6,
    };

    /// <summary>
    /// Device <paramref name="index"/> of the fleet of <paramref name="seed"/>, the <paramref name="ordinal"/>-th
    /// of its kind (hotspot or school): the ordinal picks its place, so every place is used before any twice.
    /// </summary>
    public static SimulatedDevice Create(ulong seed, int index, int ordinal, TimeProvider time)
    {
        ulong key = Noise.Hash(seed, (ulong)index);
        bool hotspot = IsHotspot(seed, index);
        Place[] places = hotspot ? Places.Hotspots : Places.Schools;
        ulong position = (ulong)ordinal + (Noise.Hash(seed, hotspot ? 1UL : 2UL) % (ulong)places.Length);
        Place place = places[(int)(position % (ulong)places.Length)];
        int round = ordinal / places.Length;
        string suffix = round == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"-{round + 1}");

        if (!hotspot)
        {
            return School(index, key, place, $"fts-{place.Municipality.ToLowerInvariant()}{suffix}", time);
        }

        return place.Indoor
            ? IndoorHotspot(index, key, place, $"hs-{place.Slug}{suffix}", time)
            : OutdoorHotspot(index, key, place, $"hs-{place.Slug}{suffix}", time);
    }

    private static SimulatedDevice OutdoorHotspot(int index, ulong key, Place place, string sysName, TimeProvider time)
    {
        DailyCurve curve = DailyCurve.OutdoorHotspot;
        double popularity = Noise.Between(Noise.Hash(key, (ulong)Draw.Popularity), 0.5, 1.5);
        double down = 2.5e6 * popularity;
        double up = 0.15 * down;
        ulong downStream = Noise.Hash(key, 10);
        ulong upStream = Noise.Hash(key, 11);
        uint uplinkMbps = Noise.Unit(Noise.Hash(key, (ulong)Draw.Speed)) < 0.5 ? 100u : 1000u;

        var uplinkFlaps = new FlapSchedule(Noise.Hash(key, 1), 0.02);
        var radioFlaps = new FlapSchedule(Noise.Hash(key, 2), 0.01);
        SimulatedInterface ether1 = new()
        {
            Index = 1, Descr = "ether1", Name = "ether1", Alias = "uplink to the Urbizone backhaul", IfType = IanaIfType.EthernetCsmacd,
            HighSpeedMbps = uplinkMbps, PhysAddress = Mac(key, 1), Flaps = uplinkFlaps,
            In = new TrafficCounter(downStream, down * 1.02, curve, uplinkFlaps), Out = new TrafficCounter(upStream, up * 1.02, curve, uplinkFlaps),
            OctetsPerInError = 4_000_000_000, OctetsPerOutDiscard = 2_000_000_000,
        };
        SimulatedInterface wlan1 = new()
        {
            Index = 2, Descr = "wlan1", Name = "wlan1", Alias = "Urbizone 5 GHz", IfType = IanaIfType.Ieee80211,
            HighSpeedMbps = 867, PhysAddress = Mac(key, 2), Flaps = radioFlaps,
            In = new TrafficCounter(upStream, up, curve, radioFlaps), Out = new TrafficCounter(downStream, down, curve, radioFlaps),
            OctetsPerInError = 3_000_000, OctetsPerOutDiscard = 20_000_000,
        };

        var device = new SimulatedDevice(
            new DeviceIdentity(index, DeviceKind.OutdoorHotspot, sysName, $"{place.Name}, {place.Municipality} (outdoor)",
                "RouterOS wAP ac (simulated)", s_mikrotikRouterOs, "Urbizone NOC <noc@urbizone.example>", SysServices: 78),
            key, time, [ether1, wlan1],
            new HostResources { ProcessorIndex = 1, RamStorageIndex = 65536, RamDescr = "main memory", RamBytes = 64UL << 20 })
        {
            Radio = wlan1,
            Curve = curve,
            ClientCapacity = 25 + (int)(Noise.Hash(key, (ulong)Draw.Capacity) % 126),
        };

        // MIKROTIK-MIB mtxrWlApTable, indexed by the radio's ifIndex: SSID, client count (Counter32), frequency.
        device.MutableMib.AddTable(MikrotikMib.MtxrWlApEntry, new RadioTable(device, column => column switch
        {
            MikrotikMib.MtxrWlApEntryColumn.MtxrWlApSsid => SnmpValue.OctetString("Urbizone"),
            MikrotikMib.MtxrWlApEntryColumn.MtxrWlApClientCount => SnmpValue.Counter32(device.AssociatedClients(device.NowMs())),
            MikrotikMib.MtxrWlApEntryColumn.MtxrWlApFreq => SnmpValue.Integer(5180),
            _ => SnmpValue.NoSuchInstance,
        }), MikrotikMib.MtxrWlApEntryColumn.MtxrWlApSsid, MikrotikMib.MtxrWlApEntryColumn.MtxrWlApClientCount, MikrotikMib.MtxrWlApEntryColumn.MtxrWlApFreq);
        return device;
    }

    private static SimulatedDevice IndoorHotspot(int index, ulong key, Place place, string sysName, TimeProvider time)
    {
        DailyCurve curve = DailyCurve.IndoorHotspot;
        double popularity = Noise.Between(Noise.Hash(key, (ulong)Draw.Popularity), 0.5, 1.5);
        double down = 1.2e6 * popularity;
        double up = 0.2 * down;
        ulong downStream = Noise.Hash(key, 10);
        ulong upStream = Noise.Hash(key, 11);

        var radioFlaps = new FlapSchedule(Noise.Hash(key, 1), 0.005);
        var uplinkFlaps = new FlapSchedule(Noise.Hash(key, 2), 0.01);
        SimulatedInterface radio = new()
        {
            Index = 1, Descr = "Dot11Radio0", Name = "Do0", Alias = "Urbizone 2.4 GHz", IfType = IanaIfType.Ieee80211,
            HighSpeedMbps = 300, PhysAddress = Mac(key, 1), Flaps = radioFlaps,
            In = new TrafficCounter(upStream, up, curve, radioFlaps), Out = new TrafficCounter(downStream, down, curve, radioFlaps),
            OctetsPerInError = 2_000_000, OctetsPerOutDiscard = 15_000_000,
        };
        SimulatedInterface gig = new()
        {
            Index = 2, Descr = "GigabitEthernet0", Name = "Gi0", Alias = "uplink to the building switch", IfType = IanaIfType.EthernetCsmacd,
            HighSpeedMbps = 1000, PhysAddress = Mac(key, 2), Flaps = uplinkFlaps,
            In = new TrafficCounter(downStream, down * 1.03, curve, uplinkFlaps), Out = new TrafficCounter(upStream, up * 1.03, curve, uplinkFlaps),
            OctetsPerInError = 8_000_000_000, OctetsPerOutDiscard = 4_000_000_000,
        };

        var device = new SimulatedDevice(
            new DeviceIdentity(index, DeviceKind.IndoorHotspot, sysName, $"{place.Name}, {place.Municipality} (indoor)",
                "Cisco IOS Software, C1240 Software (C1240-K9W7-M) (simulated)", s_ciscoAirAp1240, "Urbizone NOC <noc@urbizone.example>", SysServices: 6),
            key, time, [radio, gig],
            new HostResources { ProcessorIndex = 1, RamStorageIndex = 1, RamDescr = "Processor memory", RamBytes = 128UL << 20 })
        {
            Radio = radio,
            Curve = curve,
            ClientCapacity = 10 + (int)(Noise.Hash(key, (ulong)Draw.Capacity) % 51),
        };

        // CISCO-DOT11-ASSOCIATION-MIB cDot11ActiveDevicesTable, indexed by the radio's ifIndex.
        const uint clients = CiscoDot11AssociationMib.CDot11ActiveDevicesEntryColumn.CDot11ActiveWirelessClients;
        device.MutableMib.AddTable(CiscoDot11AssociationMib.CDot11ActiveDevicesEntry, new RadioTable(device, column => column == clients
            ? SnmpValue.Gauge32(device.AssociatedClients(device.NowMs()))
            : SnmpValue.NoSuchInstance), clients);
        return device;
    }

    private static SimulatedDevice School(int index, ulong key, Place place, string sysName, TimeProvider time)
    {
        DailyCurve curve = DailyCurve.School;
        bool gigabit = Noise.Unit(Noise.Hash(key, (ulong)Draw.Speed)) < 0.4;
        double popularity = Noise.Between(Noise.Hash(key, (ulong)Draw.Popularity), 0.6, 1.3);
        double down = (gigabit ? 30e6 : 5e6) * popularity;
        double up = 0.3 * down;
        ulong downStream = Noise.Hash(key, 10);
        ulong upStream = Noise.Hash(key, 11);

        var wanFlaps = new FlapSchedule(Noise.Hash(key, 1), 0.008);
        var lanFlaps = new FlapSchedule(Noise.Hash(key, 2), 0.003);
        SimulatedInterface wan = new()
        {
            Index = 1, Descr = "eth0", Name = "eth0", Alias = $"WAN fibre, {place.Name}", IfType = IanaIfType.EthernetCsmacd,
            HighSpeedMbps = gigabit ? 1000u : 100u, PhysAddress = Mac(key, 1), Flaps = wanFlaps,
            In = new TrafficCounter(downStream, down, curve, wanFlaps), Out = new TrafficCounter(upStream, up, curve, wanFlaps),
            OctetsPerInError = 20_000_000_000, OctetsPerOutDiscard = 5_000_000_000,
        };
        SimulatedInterface lan = new()
        {
            Index = 2, Descr = "eth1", Name = "eth1", Alias = "LAN, school network", IfType = IanaIfType.EthernetCsmacd,
            HighSpeedMbps = 1000, PhysAddress = Mac(key, 2), Flaps = lanFlaps,
            In = new TrafficCounter(upStream, up * 1.01, curve, lanFlaps), Out = new TrafficCounter(downStream, down * 1.01, curve, lanFlaps),
            OctetsPerInError = 20_000_000_000, OctetsPerOutDiscard = 2_000_000_000,
        };

        return new SimulatedDevice(
            new DeviceIdentity(index, DeviceKind.SchoolRouter, sysName, $"{place.Name}, {place.Municipality}",
                "Linux fts-cpe 6.6.0 #1 SMP aarch64 (Fiber to the School CPE, simulated)", s_netSnmpLinux,
                "Fiber to the School NOC <fts-noc@urbizone.example>", SysServices: 76),
            key, time, [wan, lan],
            new HostResources { ProcessorIndex = 196608, RamStorageIndex = 1, RamDescr = "Physical memory", RamBytes = 512UL << 20, IdleRamShare = 0.25 })
        {
            Curve = curve,
        };
    }

    /// <summary>A locally administered unicast MAC address (02:...), the last octet the ifIndex.</summary>
    private static byte[] Mac(ulong key, uint ifIndex)
    {
        ulong draw = Noise.Hash(key, (ulong)Draw.Mac);
        return [0x02, (byte)draw, (byte)(draw >> 8), (byte)(draw >> 16), (byte)(draw >> 24), (byte)ifIndex];
    }

    /// <summary>A vendor table with one row, the radio's ifIndex.</summary>
    private sealed class RadioTable(SimulatedDevice device, Func<uint, SnmpValue> cell) : IMibTable
    {
        private readonly Oid[] _rows = [new Oid(device.Radio!.Index)];

        public IReadOnlyList<Oid> GetRows() => _rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            value = row.Equals(_rows[0]) ? cell(column) : SnmpValue.NoSuchInstance;
            return !value.IsException;
        }
    }
}
