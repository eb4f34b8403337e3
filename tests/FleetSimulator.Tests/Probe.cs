using Microsoft.Extensions.Time.Testing;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;

namespace Network.FleetSimulator.Tests;

/// <summary>A fleet on a fake clock, and reads of the objects the tests look at.</summary>
internal sealed class Probe
{
    /// <summary>A Wednesday in the autumn of the programme, 00:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2015, 10, 14, 0, 0, 0, TimeSpan.Zero);

    public Probe(ulong seed, int devices = 12, DateTimeOffset? at = null)
    {
        Clock = new FakeTimeProvider(at ?? Start);
        Fleet = Fleet.Create(new FleetOptions { Devices = devices, BasePort = 16100, Seed = seed }, Clock);
    }

    public FakeTimeProvider Clock { get; }

    public Fleet Fleet { get; }

    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Moves the clock forward to <paramref name="ms"/> (a FakeTimeProvider never goes back: a new Probe does).</summary>
    public void At(long ms) => Clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    /// <summary>Device <paramref name="index"/> of a new fleet of <paramref name="seed"/> whose clock reads <paramref name="ms"/>.</summary>
    public static (Probe Probe, FleetDevice Device) Device(ulong seed, int devices, int index, long ms)
    {
        var probe = new Probe(seed, devices, DateTimeOffset.FromUnixTimeMilliseconds(ms));
        return (probe, probe.Fleet.Devices[index]);
    }

    public static uint UpTime(FleetDevice d) => d.Mib.Get(SnmpV2Mib.SysUpTime.Append(0)).AsUInt32();

    public static uint InOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfMib.IfInOctets.Append(ifIndex)).AsUInt32();

    public static uint OutOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfMib.IfOutOctets.Append(ifIndex)).AsUInt32();

    public static ulong HcInOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfMib.IfHCInOctets.Append(ifIndex)).AsUInt64();

    public static ulong HcOutOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfMib.IfHCOutOctets.Append(ifIndex)).AsUInt64();

    public static int OperStatus(FleetDevice d, uint ifIndex) => d.Mib.Get(IfMib.IfOperStatus.Append(ifIndex)).AsInt32();

    public static uint LastChange(FleetDevice d, uint ifIndex) => d.Mib.Get(IfMib.IfLastChange.Append(ifIndex)).AsUInt32();

    /// <summary>Every counter of every interface, as (name, value): <c>ifInOctets.1</c>, <c>ifHCInOctets.1</c>...</summary>
    public static IEnumerable<(string Name, ulong Value)> Counters(FleetDevice d)
    {
        (string Name, Oid Column)[] counter32 =
        [
            ("ifInOctets", IfMib.IfInOctets), ("ifInDiscards", IfMib.IfInDiscards), ("ifInErrors", IfMib.IfInErrors),
            ("ifOutOctets", IfMib.IfOutOctets), ("ifOutDiscards", IfMib.IfOutDiscards), ("ifOutErrors", IfMib.IfOutErrors),
        ];
        foreach ((string name, Oid column) in counter32)
        {
            foreach (uint ifIndex in new uint[] { 1, 2 })
            {
                yield return ($"{name}.{ifIndex}", d.Mib.Get(column.Append(ifIndex)).AsUInt32());
            }
        }

        foreach ((string name, Oid column) in new[] { ("ifHCInOctets", IfMib.IfHCInOctets), ("ifHCOutOctets", IfMib.IfHCOutOctets) })
        {
            foreach (uint ifIndex in new uint[] { 1, 2 })
            {
                yield return ($"{name}.{ifIndex}", d.Mib.Get(column.Append(ifIndex)).AsUInt64());
            }
        }
    }
}
