using Network.Snmp.Mibs;
using Network.Snmp.Pdus;

namespace Network.Snmp.Tests.Mibs;

/// <summary>
/// The named objects are the numbers their MIB modules assign: SNMPv2-MIB (RFC 3418), IF-MIB (RFC 2863),
/// HOST-RESOURCES-MIB (RFC 2790), IANAifType-MIB, MIKROTIK-MIB and CISCO-DOT11-ASSOCIATION-MIB, as written in those modules.
/// </summary>
public sealed class MibObjectTests
{
    public static TheoryData<string, string> Objects => new()
    {
        { nameof(SnmpV2Smi.Mib2), "1.3.6.1.2.1" },
        { nameof(SnmpV2Smi.ZeroDotZero), "0.0" },
        { nameof(SnmpV2Mib.System), "1.3.6.1.2.1.1" },
        { nameof(SnmpV2Mib.SysDescr), "1.3.6.1.2.1.1.1" },
        { nameof(SnmpV2Mib.SysObjectID), "1.3.6.1.2.1.1.2" },
        { nameof(SnmpV2Mib.SysUpTime), "1.3.6.1.2.1.1.3" },
        { nameof(SnmpV2Mib.SysContact), "1.3.6.1.2.1.1.4" },
        { nameof(SnmpV2Mib.SysName), "1.3.6.1.2.1.1.5" },
        { nameof(SnmpV2Mib.SysLocation), "1.3.6.1.2.1.1.6" },
        { nameof(SnmpV2Mib.SysServices), "1.3.6.1.2.1.1.7" },
        { nameof(IfMib.IfNumber), "1.3.6.1.2.1.2.1" },
        { nameof(IfMib.IfTable), "1.3.6.1.2.1.2.2" },
        { nameof(IfMib.IfEntry), "1.3.6.1.2.1.2.2.1" },
        { nameof(IfMib.IfIndex), "1.3.6.1.2.1.2.2.1.1" },
        { nameof(IfMib.IfDescr), "1.3.6.1.2.1.2.2.1.2" },
        { nameof(IfMib.IfType), "1.3.6.1.2.1.2.2.1.3" },
        { nameof(IfMib.IfMtu), "1.3.6.1.2.1.2.2.1.4" },
        { nameof(IfMib.IfSpeed), "1.3.6.1.2.1.2.2.1.5" },
        { nameof(IfMib.IfPhysAddress), "1.3.6.1.2.1.2.2.1.6" },
        { nameof(IfMib.IfAdminStatus), "1.3.6.1.2.1.2.2.1.7" },
        { nameof(IfMib.IfOperStatus), "1.3.6.1.2.1.2.2.1.8" },
        { nameof(IfMib.IfLastChange), "1.3.6.1.2.1.2.2.1.9" },
        { nameof(IfMib.IfInOctets), "1.3.6.1.2.1.2.2.1.10" },
        { nameof(IfMib.IfInDiscards), "1.3.6.1.2.1.2.2.1.13" },
        { nameof(IfMib.IfInErrors), "1.3.6.1.2.1.2.2.1.14" },
        { nameof(IfMib.IfOutOctets), "1.3.6.1.2.1.2.2.1.16" },
        { nameof(IfMib.IfOutDiscards), "1.3.6.1.2.1.2.2.1.19" },
        { nameof(IfMib.IfOutErrors), "1.3.6.1.2.1.2.2.1.20" },
        { nameof(IfMib.IfXTable), "1.3.6.1.2.1.31.1.1" },
        { nameof(IfMib.IfXEntry), "1.3.6.1.2.1.31.1.1.1" },
        { nameof(IfMib.IfName), "1.3.6.1.2.1.31.1.1.1.1" },
        { nameof(IfMib.IfHCInOctets), "1.3.6.1.2.1.31.1.1.1.6" },
        { nameof(IfMib.IfHCOutOctets), "1.3.6.1.2.1.31.1.1.1.10" },
        { nameof(IfMib.IfHighSpeed), "1.3.6.1.2.1.31.1.1.1.15" },
        { nameof(IfMib.IfAlias), "1.3.6.1.2.1.31.1.1.1.18" },
        { nameof(HostResourcesMib.HrMemorySize), "1.3.6.1.2.1.25.2.2" },
        { nameof(HostResourcesMib.HrStorageRam), "1.3.6.1.2.1.25.2.1.2" },
        { nameof(HostResourcesMib.HrStorageEntry), "1.3.6.1.2.1.25.2.3.1" },
        { nameof(HostResourcesMib.HrStorageType), "1.3.6.1.2.1.25.2.3.1.2" },
        { nameof(HostResourcesMib.HrStorageAllocationUnits), "1.3.6.1.2.1.25.2.3.1.4" },
        { nameof(HostResourcesMib.HrStorageSize), "1.3.6.1.2.1.25.2.3.1.5" },
        { nameof(HostResourcesMib.HrStorageUsed), "1.3.6.1.2.1.25.2.3.1.6" },
        { nameof(HostResourcesMib.HrProcessorEntry), "1.3.6.1.2.1.25.3.3.1" },
        { nameof(HostResourcesMib.HrProcessorLoad), "1.3.6.1.2.1.25.3.3.1.2" },
        { nameof(MikrotikMib.MtxrWlApEntry), "1.3.6.1.4.1.14988.1.1.1.3.1" },
        { nameof(MikrotikMib.MtxrWlApClientCount), "1.3.6.1.4.1.14988.1.1.1.3.1.6" },
        { nameof(CiscoDot11AssociationMib.CDot11ActiveDevicesEntry), "1.3.6.1.4.1.9.9.273.1.1.2.1" },
        { nameof(CiscoDot11AssociationMib.CDot11ActiveWirelessClients), "1.3.6.1.4.1.9.9.273.1.1.2.1.1" },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Each_object_has_the_number_its_module_assigns(string name, string number)
    {
        Assert.Equal(Oid.Parse(number), Named(name));
    }

    [Fact]
    public void Every_named_object_is_checked()
    {
        var checkedNames = Objects.Select(row => (string)row[0]).ToHashSet();
        string[] all = [.. typeof(SnmpV2Smi).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(SnmpV2Smi).Namespace)
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(f => f.FieldType == typeof(Oid))
            .Select(f => f.Name)];
        Assert.NotEmpty(all);
        Assert.All(all, name => Assert.Contains(name, checkedNames));
    }

    [Fact]
    public void IANA_ifTypes_and_status_values_are_the_registered_numbers()
    {
        Assert.Equal(6, IanaIfType.EthernetCsmacd);
        Assert.Equal(24, IanaIfType.SoftwareLoopback);
        Assert.Equal(71, IanaIfType.Ieee80211);
        Assert.Equal(1, IfMib.IfStatus.Up);
        Assert.Equal(2, IfMib.IfStatus.Down);
    }

    private static Oid Named(string name) => (Oid)typeof(SnmpV2Smi).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(SnmpV2Smi).Namespace)
        .Select(t => t.GetField(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        .Single(f => f is not null && f.FieldType == typeof(Oid))!.GetValue(null)!;
}
