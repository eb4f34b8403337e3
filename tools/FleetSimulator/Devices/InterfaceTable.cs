using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using static Network.Snmp.Mibs.IfMib;

namespace Network.FleetSimulator;

/// <summary>ifTable and ifXTable of a device: one row per interface, indexed by ifIndex.</summary>
internal sealed class InterfaceTable
{
    private readonly SimulatedDevice _device;
    private readonly Oid[] _rows;

    public InterfaceTable(SimulatedDevice device)
    {
        _device = device;
        _rows = [.. device.Interfaces.OrderBy(i => i.Index).Select(i => new Oid(i.Index))];
        IfTable = new Table(this, IfCell);
        IfXTable = new Table(this, IfXCell);
    }

    /// <summary>The ifEntry columns served (RFC 2863 section 6).</summary>
    public static ReadOnlySpan<uint> IfColumns =>
    [
        IfEntryColumn.IfIndex, IfEntryColumn.IfDescr, IfEntryColumn.IfType, IfEntryColumn.IfMtu, IfEntryColumn.IfSpeed,
        IfEntryColumn.IfPhysAddress, IfEntryColumn.IfAdminStatus, IfEntryColumn.IfOperStatus, IfEntryColumn.IfLastChange,
        IfEntryColumn.IfInOctets, IfEntryColumn.IfInDiscards, IfEntryColumn.IfInErrors, IfEntryColumn.IfOutOctets,
        IfEntryColumn.IfOutDiscards, IfEntryColumn.IfOutErrors,
    ];

    /// <summary>The ifXEntry columns served.</summary>
    public static ReadOnlySpan<uint> IfXColumns =>
        [IfXEntryColumn.IfName, IfXEntryColumn.IfHCInOctets, IfXEntryColumn.IfHCOutOctets, IfXEntryColumn.IfHighSpeed, IfXEntryColumn.IfAlias];

    public IMibTable IfTable { get; }

    public IMibTable IfXTable { get; }

    private SimulatedInterface? Find(Oid row)
    {
        if (row.Length != 1)
        {
            return null;
        }

        foreach (SimulatedInterface candidate in _device.Interfaces)
        {
            if (candidate.Index == row[0])
            {
                return candidate;
            }
        }

        return null;
    }

    private bool IfCell(SimulatedInterface i, uint column, out SnmpValue value)
    {
        long now = _device.NowMs();
        long boot = _device.LastBoot(now);
        value = column switch
        {
            IfEntryColumn.IfIndex => SnmpValue.Integer((int)i.Index),
            IfEntryColumn.IfDescr => SnmpValue.OctetString(i.Descr),
            IfEntryColumn.IfType => SnmpValue.Integer(i.IfType),
            IfEntryColumn.IfMtu => SnmpValue.Integer(i.Mtu),
            IfEntryColumn.IfSpeed => SnmpValue.Gauge32(i.SpeedBitsPerSecond),
            IfEntryColumn.IfPhysAddress => SnmpValue.OctetString(i.PhysAddress),
            IfEntryColumn.IfAdminStatus => SnmpValue.Integer(IfStatus.Up),
            IfEntryColumn.IfOperStatus => SnmpValue.Integer(i.IsUp(now) ? IfStatus.Up : IfStatus.Down),
            IfEntryColumn.IfLastChange => SnmpValue.TimeTicks(SimTime.Ticks(boot, i.Flaps.LastChange(boot, now))),
            IfEntryColumn.IfInOctets => SnmpValue.Counter32(unchecked((uint)i.InOctets(boot, now))),
            IfEntryColumn.IfInDiscards => SnmpValue.Counter32(i.InDiscards(boot, now)),
            IfEntryColumn.IfInErrors => SnmpValue.Counter32(i.InErrors(boot, now)),
            IfEntryColumn.IfOutOctets => SnmpValue.Counter32(unchecked((uint)i.OutOctets(boot, now))),
            IfEntryColumn.IfOutDiscards => SnmpValue.Counter32(i.OutDiscards(boot, now)),
            IfEntryColumn.IfOutErrors => SnmpValue.Counter32(i.OutErrors(boot, now)),
            _ => SnmpValue.NoSuchInstance,
        };
        return !value.IsException;
    }

    private bool IfXCell(SimulatedInterface i, uint column, out SnmpValue value)
    {
        long now = _device.NowMs();
        long boot = _device.LastBoot(now);
        value = column switch
        {
            IfXEntryColumn.IfName => SnmpValue.OctetString(i.Name),
            IfXEntryColumn.IfHCInOctets => SnmpValue.Counter64(i.InOctets(boot, now)),
            IfXEntryColumn.IfHCOutOctets => SnmpValue.Counter64(i.OutOctets(boot, now)),
            IfXEntryColumn.IfHighSpeed => SnmpValue.Gauge32(i.HighSpeedMbps),
            IfXEntryColumn.IfAlias => SnmpValue.OctetString(i.Alias),
            _ => SnmpValue.NoSuchInstance,
        };
        return !value.IsException;
    }

    private delegate bool CellReader(SimulatedInterface row, uint column, out SnmpValue value);

    private sealed class Table(InterfaceTable owner, CellReader read) : IMibTable
    {
        public IReadOnlyList<Oid> GetRows() => owner._rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            if (owner.Find(row) is { } i)
            {
                return read(i, column, out value);
            }

            value = default;
            return false;
        }
    }
}
