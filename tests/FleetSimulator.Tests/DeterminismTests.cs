using CsCheck;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;

namespace Network.FleetSimulator.Tests;

/// <summary>Values are a pure function of (seed, device index, time): no state, no hidden randomness.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public void Two_fleets_of_one_seed_at_one_instant_serve_the_same_values()
    {
        Gen.Select(Gen.ULong, Gen.Long[0, 3L * 365 * 86_400_000]).Sample((seed, offsetMs) =>
        {
            DateTimeOffset at = Probe.Start.AddMilliseconds(offsetMs);
            var first = new Probe(seed, devices: 4, at);
            var second = new Probe(seed, devices: 4, at);

            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(first.Fleet.Devices[i].Mib.Walk(), second.Fleet.Devices[i].Mib.Walk());
            }
        }, iter: 40);
    }

    [Fact]
    public void Reading_in_another_order_or_reading_twice_changes_nothing()
    {
        var probe = new Probe(seed: 7, devices: 3);
        probe.At(Probe.Start.AddHours(13.5).ToUnixTimeMilliseconds());
        FleetDevice device = probe.Fleet.Devices[2];

        VarBind[] forward = [.. device.Mib.Walk()];
        VarBind[] backward = [.. forward.Reverse().Select(vb => new VarBind(vb.Oid, device.Mib.Get(vb.Oid))).Reverse()];

        Assert.Equal(forward, backward);
        Assert.Equal(forward, device.Mib.Walk());
    }

    [Fact]
    public void Device_i_does_not_depend_on_the_size_of_the_fleet()
    {
        var small = new Probe(seed: 42, devices: 3);
        var large = new Probe(seed: 42, devices: 40);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(small.Fleet.Devices[i].Mib.Walk(), large.Fleet.Devices[i].Mib.Walk());
        }
    }

    [Fact]
    public void Another_seed_gives_other_devices()
    {
        var one = new Probe(seed: 1, devices: 6);
        var two = new Probe(seed: 2, devices: 6);

        Assert.NotEqual(
            one.Fleet.Devices.Select(d => Probe.HcInOctets(d, 1)),
            two.Fleet.Devices.Select(d => Probe.HcInOctets(d, 1)));
    }
}
