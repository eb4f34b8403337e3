using Network.Snmp.Pdus;

namespace Network.FleetSimulator;

/// <summary>The OIDs the simulated devices serve, with the names of their MIB modules.</summary>
internal static class Mib2
{
    // SNMPv2-MIB system group (RFC 3418 section 2)
    public static readonly Oid SysDescr = Oid.Parse("1.3.6.1.2.1.1.1");
    public static readonly Oid SysObjectId = Oid.Parse("1.3.6.1.2.1.1.2");
    public static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3");
    public static readonly Oid SysContact = Oid.Parse("1.3.6.1.2.1.1.4");
    public static readonly Oid SysName = Oid.Parse("1.3.6.1.2.1.1.5");
    public static readonly Oid SysLocation = Oid.Parse("1.3.6.1.2.1.1.6");
    public static readonly Oid SysServices = Oid.Parse("1.3.6.1.2.1.1.7");

    // IF-MIB (RFC 2863): ifNumber, ifTable's ifEntry, ifXTable's ifXEntry
    public static readonly Oid IfNumber = Oid.Parse("1.3.6.1.2.1.2.1");
    public static readonly Oid IfEntry = Oid.Parse("1.3.6.1.2.1.2.2.1");
    public static readonly Oid IfXEntry = Oid.Parse("1.3.6.1.2.1.31.1.1.1");

    // HOST-RESOURCES-MIB (RFC 2790)
    public static readonly Oid HrMemorySize = Oid.Parse("1.3.6.1.2.1.25.2.2");
    public static readonly Oid HrStorageEntry = Oid.Parse("1.3.6.1.2.1.25.2.3.1");
    public static readonly Oid HrStorageRam = Oid.Parse("1.3.6.1.2.1.25.2.1.2");
    public static readonly Oid HrProcessorEntry = Oid.Parse("1.3.6.1.2.1.25.3.3.1");

    /// <summary>MIKROTIK-MIB mtxrWlApEntry (index: the radio's ifIndex); column 6 is mtxrWlApClientCount, a Counter32.</summary>
    public static readonly Oid MtxrWlApEntry = Oid.Parse("1.3.6.1.4.1.14988.1.1.1.3.1");

    /// <summary>CISCO-DOT11-ASSOCIATION-MIB cDot11ActiveDevicesEntry (index: the radio's ifIndex); column 1 is cDot11ActiveWirelessClients, a Gauge32.</summary>
    public static readonly Oid CDot11ActiveDevicesEntry = Oid.Parse("1.3.6.1.4.1.9.9.273.1.1.2.1");

    /// <summary>ifTable columns served (RFC 2863 section 6).</summary>
    public static class If
    {
        public const uint Index = 1, Descr = 2, Type = 3, Mtu = 4, Speed = 5, PhysAddress = 6, AdminStatus = 7, OperStatus = 8,
            LastChange = 9, InOctets = 10, InDiscards = 13, InErrors = 14, OutOctets = 16, OutDiscards = 19, OutErrors = 20;

        public static readonly uint[] Columns =
            [Index, Descr, Type, Mtu, Speed, PhysAddress, AdminStatus, OperStatus, LastChange, InOctets, InDiscards, InErrors, OutOctets, OutDiscards, OutErrors];
    }

    /// <summary>ifXTable columns served.</summary>
    public static class IfX
    {
        public const uint Name = 1, HCInOctets = 6, HCOutOctets = 10, HighSpeed = 15, Alias = 18;

        public static readonly uint[] Columns = [Name, HCInOctets, HCOutOctets, HighSpeed, Alias];
    }

    /// <summary>IANAifType values used.</summary>
    public static class IfType
    {
        public const int EthernetCsmacd = 6, Ieee80211 = 71;
    }
}
