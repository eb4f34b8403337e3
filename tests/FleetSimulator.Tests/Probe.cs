using Microsoft.Extensions.Time.Testing;
using Network.Snmp.Pdus;

namespace Network.FleetSimulator.Tests;

/// <summary>A fleet on a fake clock, and reads of the objects the tests look at.</summary>
internal sealed class Probe
{
    public static readonly Oid SysUpTime = Oid.Parse("1.3.6.1.2.1.1.3.0");
    public static readonly Oid IfEntry = Oid.Parse("1.3.6.1.2.1.2.2.1");
    public static readonly Oid IfXEntry = Oid.Parse("1.3.6.1.2.1.31.1.1.1");

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

    public static uint UpTime(FleetDevice d) => d.Mib.Get(SysUpTime).AsUInt32();

    public static uint InOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfEntry.Append(10, ifIndex)).AsUInt32();

    public static uint OutOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfEntry.Append(16, ifIndex)).AsUInt32();

    public static ulong HcInOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfXEntry.Append(6, ifIndex)).AsUInt64();

    public static ulong HcOutOctets(FleetDevice d, uint ifIndex) => d.Mib.Get(IfXEntry.Append(10, ifIndex)).AsUInt64();

    public static int OperStatus(FleetDevice d, uint ifIndex) => d.Mib.Get(IfEntry.Append(8, ifIndex)).AsInt32();

    public static uint LastChange(FleetDevice d, uint ifIndex) => d.Mib.Get(IfEntry.Append(9, ifIndex)).AsUInt32();

    /// <summary>Every counter of every interface, as (name, value).</summary>
    public static IEnumerable<(string Name, ulong Value)> Counters(FleetDevice d)
    {
        foreach (uint column in new uint[] { 10, 13, 14, 16, 19, 20 })
        {
            foreach (uint ifIndex in new uint[] { 1, 2 })
            {
                yield return ($"ifEntry.{column}.{ifIndex}", d.Mib.Get(IfEntry.Append(column, ifIndex)).AsUInt32());
            }
        }

        foreach (uint column in new uint[] { 6, 10 })
        {
            foreach (uint ifIndex in new uint[] { 1, 2 })
            {
                yield return ($"ifXEntry.{column}.{ifIndex}", d.Mib.Get(IfXEntry.Append(column, ifIndex)).AsUInt64());
            }
        }
    }
}
