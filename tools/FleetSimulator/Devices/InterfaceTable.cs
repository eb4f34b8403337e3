using Network.Snmp.Pdus;
using Network.Snmp.Responder;

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
            Mib2.If.Index => SnmpValue.Integer((int)i.Index),
            Mib2.If.Descr => SnmpValue.OctetString(i.Descr),
            Mib2.If.Type => SnmpValue.Integer(i.IfType),
            Mib2.If.Mtu => SnmpValue.Integer(i.Mtu),
            Mib2.If.Speed => SnmpValue.Gauge32(i.SpeedBitsPerSecond),
            Mib2.If.PhysAddress => SnmpValue.OctetString(i.PhysAddress),
            Mib2.If.AdminStatus => SnmpValue.Integer(1),
            Mib2.If.OperStatus => SnmpValue.Integer(i.IsUp(now) ? 1 : 2),
            Mib2.If.LastChange => SnmpValue.TimeTicks(SimTime.Ticks(boot, i.Flaps.LastChange(boot, now))),
            Mib2.If.InOctets => SnmpValue.Counter32(unchecked((uint)i.InOctets(boot, now))),
            Mib2.If.InDiscards => SnmpValue.Counter32(i.InDiscards(boot, now)),
            Mib2.If.InErrors => SnmpValue.Counter32(i.InErrors(boot, now)),
            Mib2.If.OutOctets => SnmpValue.Counter32(unchecked((uint)i.OutOctets(boot, now))),
            Mib2.If.OutDiscards => SnmpValue.Counter32(i.OutDiscards(boot, now)),
            Mib2.If.OutErrors => SnmpValue.Counter32(i.OutErrors(boot, now)),
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
            Mib2.IfX.Name => SnmpValue.OctetString(i.Name),
            Mib2.IfX.HCInOctets => SnmpValue.Counter64(i.InOctets(boot, now)),
            Mib2.IfX.HCOutOctets => SnmpValue.Counter64(i.OutOctets(boot, now)),
            Mib2.IfX.HighSpeed => SnmpValue.Gauge32(i.HighSpeedMbps),
            Mib2.IfX.Alias => SnmpValue.OctetString(i.Alias),
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
