using Network.Snmp.Pdus;

namespace Network.Snmp.Mibs;

/// <summary>MIKROTIK-MIB (RouterOS): mtxrWlApTable, one row per access-point radio, indexed by its ifIndex.</summary>
public static class MikrotikMib
{
    public static readonly Oid MtxrWlApEntry = new(1, 3, 6, 1, 4, 1, 14988, 1, 1, 1, 3, 1);

    /// <summary>mtxrWlApClientCount, Counter32: the clients associated with the radio.</summary>
    public static readonly Oid MtxrWlApClientCount = MtxrWlApEntry.Append(MtxrWlApEntryColumn.MtxrWlApClientCount);

    /// <summary>mtxrWlApEntry's columns: the sub-identifier after <see cref="MtxrWlApEntry"/>.</summary>
    public static class MtxrWlApEntryColumn
    {
        public const uint MtxrWlApSsid = 4, MtxrWlApClientCount = 6, MtxrWlApFreq = 7;
    }
}

/// <summary>CISCO-DOT11-ASSOCIATION-MIB: cDot11ActiveDevicesTable, one row per radio, indexed by its ifIndex.</summary>
public static class CiscoDot11AssociationMib
{
    public static readonly Oid CDot11ActiveDevicesEntry = new(1, 3, 6, 1, 4, 1, 9, 9, 273, 1, 1, 2, 1);

    /// <summary>cDot11ActiveWirelessClients, Gauge32: the wireless clients associated with the radio.</summary>
    public static readonly Oid CDot11ActiveWirelessClients = CDot11ActiveDevicesEntry.Append(CDot11ActiveDevicesEntryColumn.CDot11ActiveWirelessClients);

    /// <summary>cDot11ActiveDevicesEntry's columns: the sub-identifier after <see cref="CDot11ActiveDevicesEntry"/>.</summary>
    public static class CDot11ActiveDevicesEntryColumn
    {
        public const uint CDot11ActiveWirelessClients = 1;
    }
}
