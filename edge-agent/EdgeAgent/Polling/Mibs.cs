using Network.Snmp.Pdus;

namespace Network.EdgeAgent.Polling;

/// <summary>The object types the profiles read, with their MIB modules.</summary>
internal static class Mibs
{
    // SNMPv2-MIB system group (RFC 3418)
    public static readonly Oid SysUpTime0 = Oid.Parse("1.3.6.1.2.1.1.3.0");
    public static readonly Oid SysName0 = Oid.Parse("1.3.6.1.2.1.1.5.0");

    // IF-MIB ifTable (RFC 2863 section 6)
    public static readonly Oid IfDescr = Oid.Parse("1.3.6.1.2.1.2.2.1.2");
    public static readonly Oid IfType = Oid.Parse("1.3.6.1.2.1.2.2.1.3");
    public static readonly Oid IfSpeed = Oid.Parse("1.3.6.1.2.1.2.2.1.5");
    public static readonly Oid IfOperStatus = Oid.Parse("1.3.6.1.2.1.2.2.1.8");
    public static readonly Oid IfInOctets = Oid.Parse("1.3.6.1.2.1.2.2.1.10");
    public static readonly Oid IfInDiscards = Oid.Parse("1.3.6.1.2.1.2.2.1.13");
    public static readonly Oid IfInErrors = Oid.Parse("1.3.6.1.2.1.2.2.1.14");
    public static readonly Oid IfOutOctets = Oid.Parse("1.3.6.1.2.1.2.2.1.16");
    public static readonly Oid IfOutDiscards = Oid.Parse("1.3.6.1.2.1.2.2.1.19");
    public static readonly Oid IfOutErrors = Oid.Parse("1.3.6.1.2.1.2.2.1.20");

    // IF-MIB ifXTable
    public static readonly Oid IfName = Oid.Parse("1.3.6.1.2.1.31.1.1.1.1");
    public static readonly Oid IfHCInOctets = Oid.Parse("1.3.6.1.2.1.31.1.1.1.6");
    public static readonly Oid IfHCOutOctets = Oid.Parse("1.3.6.1.2.1.31.1.1.1.10");
    public static readonly Oid IfHighSpeed = Oid.Parse("1.3.6.1.2.1.31.1.1.1.15");
    public static readonly Oid IfAlias = Oid.Parse("1.3.6.1.2.1.31.1.1.1.18");

    // HOST-RESOURCES-MIB (RFC 2790)
    public static readonly Oid HrProcessorLoad = Oid.Parse("1.3.6.1.2.1.25.3.3.1.2");
    public static readonly Oid HrStorageType = Oid.Parse("1.3.6.1.2.1.25.2.3.1.2");
    public static readonly Oid HrStorageAllocationUnits = Oid.Parse("1.3.6.1.2.1.25.2.3.1.4");
    public static readonly Oid HrStorageSize = Oid.Parse("1.3.6.1.2.1.25.2.3.1.5");
    public static readonly Oid HrStorageUsed = Oid.Parse("1.3.6.1.2.1.25.2.3.1.6");
    public static readonly Oid HrStorageRam = Oid.Parse("1.3.6.1.2.1.25.2.1.2");

    /// <summary>Associated wifi clients per radio, by vendor MIB: name for the label, and the column (indexed by the radio's ifIndex).</summary>
    public static readonly (string Mib, Oid Column)[] WifiClients =
    [
        ("mikrotik", Oid.Parse("1.3.6.1.4.1.14988.1.1.1.3.1.6")), // MIKROTIK-MIB mtxrWlApClientCount
        ("cisco", Oid.Parse("1.3.6.1.4.1.9.9.273.1.1.2.1.1")), // CISCO-DOT11-ASSOCIATION-MIB cDot11ActiveWirelessClients
    ];

    public const int IfTypeSoftwareLoopback = 24;
    public const int IfTypeIeee80211 = 71;
}
