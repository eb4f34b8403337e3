using CsCheck;
using Network.Snmp.Mibs;

namespace Network.FleetSimulator.Tests;

/// <summary>Counters behave as RFC 2863 counters do: they only move forward, wrap, and reset at a reboot.</summary>
public sealed class CounterTests
{
    private static readonly Gen<(ulong Seed, int Index, long StartMs, long StepMs)> s_samples =
        Gen.Select(Gen.ULong, Gen.Int[0, 11], Gen.Long[0, 2L * 365 * 86_400_000], Gen.Long[1, 3L * 86_400_000]);

    [Fact]
    public void Between_reboots_no_counter_goes_backwards_except_a_Counter32_that_wraps()
    {
        s_samples.Sample(sample =>
        {
            var probe = new Probe(sample.Seed);
            FleetDevice device = probe.Fleet.Devices[sample.Index];
            long t1 = Probe.Start.ToUnixTimeMilliseconds() + sample.StartMs;
            long t2 = t1 + sample.StepMs;

            probe.At(t1);
            uint up1 = Probe.UpTime(device);
            (string Name, ulong Value)[] before = [.. Probe.Counters(device)];
            probe.At(t2);
            uint up2 = Probe.UpTime(device);
            (string Name, ulong Value)[] after = [.. Probe.Counters(device)];

            bool rebooted = device.Device.LastBoot(t1) != device.Device.LastBoot(t2);
            if (rebooted)
            {
                // A reboot shows as sysUpTime less than the time elapsed since the first reading.
                Assert.True(up2 < (ulong)up1 + (ulong)(sample.StepMs / 10), $"sysUpTime {up1} then {up2}");
                return;
            }

            Assert.InRange((long)up2 - up1 - (sample.StepMs / 10), -1, 1);
            for (int i = 0; i < before.Length; i++)
            {
                if (before[i].Name.StartsWith("ifHC", StringComparison.Ordinal))
                {
                    Assert.True(after[i].Value >= before[i].Value, $"{before[i].Name}: {before[i].Value} then {after[i].Value}");
                }
            }

            // A Counter32 moves by what its HC counter moved, modulo 2^32: backwards only by wrapping.
            Dictionary<string, ulong> moved = before.Zip(after).ToDictionary(p => p.First.Name, p => p.Second.Value - p.First.Value);
            foreach ((string counter32, string hc) in new[] { ("ifInOctets.1", "ifHCInOctets.1"), ("ifInOctets.2", "ifHCInOctets.2"), ("ifOutOctets.1", "ifHCOutOctets.1"), ("ifOutOctets.2", "ifHCOutOctets.2") })
            {
                Assert.Equal(unchecked((uint)moved[hc]), unchecked((uint)moved[counter32]));
            }
        }, iter: 150);
    }

    [Fact]
    public void HC_counters_agree_with_the_32_bit_ones_modulo_2_to_the_32()
    {
        Gen.Select(Gen.ULong, Gen.Int[0, 11], Gen.Long[0, 2L * 365 * 86_400_000]).Sample((seed, index, offsetMs) =>
        {
            var probe = new Probe(seed);
            probe.At(Probe.Start.ToUnixTimeMilliseconds() + offsetMs);
            FleetDevice device = probe.Fleet.Devices[index];

            for (uint ifIndex = 1; ifIndex <= 2; ifIndex++)
            {
                Assert.Equal((uint)Probe.HcInOctets(device, ifIndex), Probe.InOctets(device, ifIndex));
                Assert.Equal((uint)Probe.HcOutOctets(device, ifIndex), Probe.OutOctets(device, ifIndex));
            }
        }, iter: 150);
    }

    [Fact]
    public void A_reboot_drops_sysUpTime_and_resets_every_counter()
    {
        var fleet = new Probe(seed: 3);
        foreach (FleetDevice each in fleet.Fleet.Devices)
        {
            long boot = each.Device.NextBoot(fleet.NowMs);
            (Probe probe, FleetDevice device) = Probe.Device(3, fleet.Fleet.Devices.Count, each.Index, boot - 1000);

            uint upBefore = Probe.UpTime(device);
            ulong hcBefore = Probe.HcInOctets(device, 1) + Probe.HcInOctets(device, 2);
            probe.At(boot);
            (string Name, ulong Value)[] atBoot = [.. Probe.Counters(device)];
            uint upAtBoot = Probe.UpTime(device);
            probe.At(boot + 1000);
            uint upAfter = Probe.UpTime(device);

            Assert.True(upBefore > 100 * 3600, $"{device.SysName} was up {upBefore} ticks before its reboot");
            Assert.Equal(0u, upAtBoot);
            Assert.Equal(100u, upAfter);
            Assert.True(hcBefore > 0, device.SysName);
            Assert.All(atBoot, c => Assert.Equal(0UL, c.Value));
        }
    }

    [Fact]
    public void A_busy_gigabit_school_link_wraps_its_Counter32_while_the_HC_counter_goes_on()
    {
        var probe = new Probe(seed: 5, devices: 60);
        FleetDevice school = probe.Fleet.Devices.First(d => d.Kind == DeviceKind.SchoolRouter && d.Mib.Get(IfMib.IfHighSpeed.Append(1)).AsUInt32() == 1000);
        long t = Probe.Start.AddHours(9).ToUnixTimeMilliseconds();
        int wraps = 0;

        for (int step = 0; step < 60; step++, t += 60_000)
        {
            if (school.Device.LastBoot(t) != school.Device.LastBoot(t + 60_000))
            {
                continue;
            }

            probe.At(t);
            (uint in1, ulong hc1) = (Probe.InOctets(school, 1), Probe.HcInOctets(school, 1));
            probe.At(t + 60_000);
            (uint in2, ulong hc2) = (Probe.InOctets(school, 1), Probe.HcInOctets(school, 1));

            Assert.True(hc2 >= hc1);
            if (in2 < in1)
            {
                wraps++;
                Assert.Equal(hc2 - hc1, (ulong)in2 + (1UL << 32) - in1);
            }
        }

        Assert.True(wraps > 0, "no Counter32 wrap in an hour of morning traffic on a gigabit school link");
    }
}
