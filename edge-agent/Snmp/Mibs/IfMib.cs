using Network.Snmp.Pdus;

namespace Network.Snmp.Mibs;

/// <summary>IF-MIB (RFC 2863): ifNumber, ifTable (indexed by ifIndex) and ifXTable (its extension, same index).</summary>
public static class IfMib
{
    public static readonly Oid IfNumber = SnmpV2Smi.Mib2.Append(2, 1);

    public static readonly Oid IfTable = SnmpV2Smi.Mib2.Append(2, 2);

    public static readonly Oid IfEntry = IfTable.Append(1);

    public static readonly Oid IfIndex = IfEntry.Append(IfEntryColumn.IfIndex);
    public static readonly Oid IfDescr = IfEntry.Append(IfEntryColumn.IfDescr);
    public static readonly Oid IfType = IfEntry.Append(IfEntryColumn.IfType);
    public static readonly Oid IfMtu = IfEntry.Append(IfEntryColumn.IfMtu);
    public static readonly Oid IfSpeed = IfEntry.Append(IfEntryColumn.IfSpeed);
    public static readonly Oid IfPhysAddress = IfEntry.Append(IfEntryColumn.IfPhysAddress);
    public static readonly Oid IfAdminStatus = IfEntry.Append(IfEntryColumn.IfAdminStatus);
    public static readonly Oid IfOperStatus = IfEntry.Append(IfEntryColumn.IfOperStatus);
    public static readonly Oid IfLastChange = IfEntry.Append(IfEntryColumn.IfLastChange);
    public static readonly Oid IfInOctets = IfEntry.Append(IfEntryColumn.IfInOctets);
    public static readonly Oid IfInDiscards = IfEntry.Append(IfEntryColumn.IfInDiscards);
    public static readonly Oid IfInErrors = IfEntry.Append(IfEntryColumn.IfInErrors);
    public static readonly Oid IfOutOctets = IfEntry.Append(IfEntryColumn.IfOutOctets);
    public static readonly Oid IfOutDiscards = IfEntry.Append(IfEntryColumn.IfOutDiscards);
    public static readonly Oid IfOutErrors = IfEntry.Append(IfEntryColumn.IfOutErrors);

    public static readonly Oid IfXTable = SnmpV2Smi.Mib2.Append(31, 1, 1);

    public static readonly Oid IfXEntry = IfXTable.Append(1);

    public static readonly Oid IfName = IfXEntry.Append(IfXEntryColumn.IfName);
    public static readonly Oid IfHCInOctets = IfXEntry.Append(IfXEntryColumn.IfHCInOctets);
    public static readonly Oid IfHCOutOctets = IfXEntry.Append(IfXEntryColumn.IfHCOutOctets);
    public static readonly Oid IfHighSpeed = IfXEntry.Append(IfXEntryColumn.IfHighSpeed);
    public static readonly Oid IfAlias = IfXEntry.Append(IfXEntryColumn.IfAlias);

    /// <summary>ifEntry's columns: the sub-identifier after <see cref="IfEntry"/> (RFC 2863 section 6).</summary>
    public static class IfEntryColumn
    {
        public const uint IfIndex = 1, IfDescr = 2, IfType = 3, IfMtu = 4, IfSpeed = 5, IfPhysAddress = 6, IfAdminStatus = 7,
            IfOperStatus = 8, IfLastChange = 9, IfInOctets = 10, IfInDiscards = 13, IfInErrors = 14, IfOutOctets = 16,
            IfOutDiscards = 19, IfOutErrors = 20;
    }

    /// <summary>ifXEntry's columns: the sub-identifier after <see cref="IfXEntry"/>.</summary>
    public static class IfXEntryColumn
    {
        public const uint IfName = 1, IfHCInOctets = 6, IfHCOutOctets = 10, IfHighSpeed = 15, IfAlias = 18;
    }

    /// <summary>ifAdminStatus and ifOperStatus values.</summary>
    public static class IfStatus
    {
        public const int Up = 1, Down = 2;
    }
}

/// <summary>IANAifType-MIB: the ifType values the agent and the simulator use.</summary>
public static class IanaIfType
{
    public const int EthernetCsmacd = 6, SoftwareLoopback = 24, Ieee80211 = 71;
}
