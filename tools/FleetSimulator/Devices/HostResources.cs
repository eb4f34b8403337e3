using Network.Snmp.Mibs;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using static Network.Snmp.Mibs.HostResourcesMib;

namespace Network.FleetSimulator;

/// <summary>
/// HOST-RESOURCES-MIB (RFC 2790): one processor in hrProcessorTable and the RAM entry of
/// hrStorageTable, both loaded along the device's daily curve. The indexes are the vendors' own:
/// RouterOS uses 1 and 65536, net-snmp 196608 and 1.
/// </summary>
internal sealed class HostResources
{
    public required uint ProcessorIndex { get; init; }

    public required uint RamStorageIndex { get; init; }

    public required string RamDescr { get; init; }

    public required ulong RamBytes { get; init; }

    public int AllocationUnitBytes { get; init; } = 1024;

    /// <summary>The share of RAM in use when the device is idle.</summary>
    public double IdleRamShare { get; init; } = 0.35;

    /// <summary>The processor load when the device is idle, percent.</summary>
    public int IdleLoadPercent { get; init; } = 3;

    internal static int ProcessorLoad(SimulatedDevice device, long nowMs)
    {
        long minute = SimTime.FloorDiv(nowMs, SimTime.MinuteMs);
        double noise = Noise.Between(Noise.Hash(device.Key, (ulong)Draw.Cpu, minute), 0.7, 1.3);
        double load = device.Host.IdleLoadPercent + (55 * device.Curve.ValueAt(nowMs) * noise);
        return (int)Math.Clamp(Math.Round(load), 0, 100);
    }

    internal static int RamUsedUnits(SimulatedDevice device, long nowMs)
    {
        HostResources host = device.Host;
        long fiveMinutes = SimTime.FloorDiv(nowMs, 5 * SimTime.MinuteMs);
        double noise = Noise.Between(Noise.Hash(device.Key, (ulong)Draw.Memory, fiveMinutes), -0.02, 0.02);
        double share = Math.Clamp(host.IdleRamShare + (0.3 * device.Curve.ValueAt(nowMs)) + noise, 0.05, 0.97);
        return (int)(share * SizeUnits(host));
    }

    private static int SizeUnits(HostResources host) => (int)(host.RamBytes / (ulong)host.AllocationUnitBytes);

    /// <summary>hrStorageTable with its RAM row: columns 1 to 7 (hrStorageIndex ... hrStorageAllocationFailures).</summary>
    internal sealed class StorageTable(SimulatedDevice device) : IMibTable
    {
        private readonly Oid[] _rows = [new Oid(device.Host.RamStorageIndex)];

        public static ReadOnlySpan<uint> Columns =>
        [
            HrStorageEntryColumn.HrStorageIndex, HrStorageEntryColumn.HrStorageType, HrStorageEntryColumn.HrStorageDescr,
            HrStorageEntryColumn.HrStorageAllocationUnits, HrStorageEntryColumn.HrStorageSize, HrStorageEntryColumn.HrStorageUsed,
            HrStorageEntryColumn.HrStorageAllocationFailures,
        ];

        public IReadOnlyList<Oid> GetRows() => _rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            HostResources host = device.Host;
            value = !row.Equals(_rows[0]) ? SnmpValue.NoSuchInstance : column switch
            {
                HrStorageEntryColumn.HrStorageIndex => SnmpValue.Integer((int)host.RamStorageIndex),
                HrStorageEntryColumn.HrStorageType => SnmpValue.ObjectIdentifier(HrStorageRam),
                HrStorageEntryColumn.HrStorageDescr => SnmpValue.OctetString(host.RamDescr),
                HrStorageEntryColumn.HrStorageAllocationUnits => SnmpValue.Integer(host.AllocationUnitBytes),
                HrStorageEntryColumn.HrStorageSize => SnmpValue.Integer(SizeUnits(host)),
                HrStorageEntryColumn.HrStorageUsed => SnmpValue.Integer(RamUsedUnits(device, device.NowMs())),
                HrStorageEntryColumn.HrStorageAllocationFailures => SnmpValue.Counter32(0),
                _ => SnmpValue.NoSuchInstance,
            };
            return !value.IsException;
        }
    }

    /// <summary>hrProcessorTable: hrProcessorFrwID (zeroDotZero: unknown) and hrProcessorLoad.</summary>
    internal sealed class ProcessorTable(SimulatedDevice device) : IMibTable
    {
        private readonly Oid[] _rows = [new Oid(device.Host.ProcessorIndex)];

        public static ReadOnlySpan<uint> Columns => [HrProcessorEntryColumn.HrProcessorFrwID, HrProcessorEntryColumn.HrProcessorLoad];

        public IReadOnlyList<Oid> GetRows() => _rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            value = !row.Equals(_rows[0]) ? SnmpValue.NoSuchInstance : column switch
            {
                HrProcessorEntryColumn.HrProcessorFrwID => SnmpValue.ObjectIdentifier(SnmpV2Smi.ZeroDotZero),
                HrProcessorEntryColumn.HrProcessorLoad => SnmpValue.Integer(ProcessorLoad(device, device.NowMs())),
                _ => SnmpValue.NoSuchInstance,
            };
            return !value.IsException;
        }
    }
}
