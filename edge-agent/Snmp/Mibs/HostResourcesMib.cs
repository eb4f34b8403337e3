using Network.Snmp.Pdus;

namespace Network.Snmp.Mibs;

/// <summary>HOST-RESOURCES-MIB (RFC 2790): memory size, hrStorageTable and hrProcessorTable.</summary>
public static class HostResourcesMib
{
    private static readonly Oid s_host = SnmpV2Smi.Mib2.Append(25);

    /// <summary>hrMemorySize, KBytes.</summary>
    public static readonly Oid HrMemorySize = s_host.Append(2, 2);

    /// <summary>hrStorageRam, from hrStorageTypes: the hrStorageType of a RAM row.</summary>
    public static readonly Oid HrStorageRam = s_host.Append(2, 1, 2);

    public static readonly Oid HrStorageEntry = s_host.Append(2, 3, 1);

    public static readonly Oid HrStorageType = HrStorageEntry.Append(HrStorageEntryColumn.HrStorageType);
    public static readonly Oid HrStorageAllocationUnits = HrStorageEntry.Append(HrStorageEntryColumn.HrStorageAllocationUnits);
    public static readonly Oid HrStorageSize = HrStorageEntry.Append(HrStorageEntryColumn.HrStorageSize);
    public static readonly Oid HrStorageUsed = HrStorageEntry.Append(HrStorageEntryColumn.HrStorageUsed);

    public static readonly Oid HrProcessorEntry = s_host.Append(3, 3, 1);

    /// <summary>hrProcessorLoad, percent over the last minute.</summary>
    public static readonly Oid HrProcessorLoad = HrProcessorEntry.Append(HrProcessorEntryColumn.HrProcessorLoad);

    /// <summary>hrStorageEntry's columns: the sub-identifier after <see cref="HrStorageEntry"/>.</summary>
    public static class HrStorageEntryColumn
    {
        public const uint HrStorageIndex = 1, HrStorageType = 2, HrStorageDescr = 3, HrStorageAllocationUnits = 4, HrStorageSize = 5,
            HrStorageUsed = 6, HrStorageAllocationFailures = 7;
    }

    /// <summary>hrProcessorEntry's columns: the sub-identifier after <see cref="HrProcessorEntry"/>.</summary>
    public static class HrProcessorEntryColumn
    {
        public const uint HrProcessorFrwID = 1, HrProcessorLoad = 2;
    }
}
