using Network.Snmp.Pdus;

namespace Network.Snmp.Mibs;

/// <summary>SNMPv2-SMI (RFC 2578): the registration points the other modules hang under.</summary>
public static class SnmpV2Smi
{
    /// <summary>mib-2: what snmpwalk walks when given no OID.</summary>
    public static readonly Oid Mib2 = new(1, 3, 6, 1, 2, 1);

    /// <summary>zeroDotZero: the value of an OBJECT IDENTIFIER that is not known.</summary>
    public static readonly Oid ZeroDotZero = new(0, 0);
}

/// <summary>SNMPv2-MIB (RFC 3418) system group: scalars, whose one instance is the object followed by <c>.0</c>.</summary>
public static class SnmpV2Mib
{
    public static readonly Oid System = SnmpV2Smi.Mib2.Append(1);

    public static readonly Oid SysDescr = System.Append(1);

    public static readonly Oid SysObjectID = System.Append(2);

    /// <summary>sysUpTime, TimeTicks: hundredths of a second since the agent (re)started.</summary>
    public static readonly Oid SysUpTime = System.Append(3);

    public static readonly Oid SysContact = System.Append(4);

    public static readonly Oid SysName = System.Append(5);

    public static readonly Oid SysLocation = System.Append(6);

    public static readonly Oid SysServices = System.Append(7);
}
