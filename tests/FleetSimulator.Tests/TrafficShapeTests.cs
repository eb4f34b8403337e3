using CsCheck;
using Network.Snmp.Mibs;

namespace Network.FleetSimulator.Tests;

/// <summary>Traffic follows the day, and a link that is down counts nothing.</summary>
public sealed class TrafficShapeTests
{
    [Fact]
    public void Night_traffic_is_lower_than_midday_traffic_on_a_weekday()
    {
        Gen.ULong.Sample(seed =>
        {
            foreach (FleetDevice device in new Probe(seed).Fleet.Devices)
            {
                // 03:00-04:00 and 12:00-13:00 Brussels time (UTC+1) on a weekday without a reboot in either hour.
                DateTimeOffset day = Probe.Start;
                while (!Quiet(device, day.AddHours(2)) || !Quiet(device, day.AddHours(11)) || day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    day = day.AddDays(1);
                }

                (Probe probe, FleetDevice at) = Probe.Device(seed, 12, device.Index, day.AddHours(2).ToUnixTimeMilliseconds());
                ulong night = Downloaded(probe, at, day.AddHours(2));
                ulong midday = Downloaded(probe, at, day.AddHours(11));
                Assert.True(night * 3 < midday, $"{device.SysName} on {day:yyyy-MM-dd}: {night} octets at night, {midday} at midday");
            }
        }, iter: 10);
    }

    [Fact]
    public void A_link_flap_stops_the_counters_and_sets_ifOperStatus_and_ifLastChange()
    {
        int seen = 0;
        foreach (FleetDevice each in new Probe(seed: 11, devices: 6).Fleet.Devices)
        {
            SimulatedDevice model = each.Device;
            foreach (SimulatedInterface link in model.Interfaces)
            {
                Outage outage = FirstOutage(model, link, SimTime.HourOf(Probe.Start.ToUnixTimeMilliseconds()));
                long boot = model.LastBoot(outage.StartMs);
                (Probe probe, FleetDevice device) = Probe.Device(11, 6, each.Index, outage.StartMs - 1000);

                Assert.Equal(1, Probe.OperStatus(device, link.Index));
                ulong inBefore = Probe.HcInOctets(device, link.Index);

                probe.At(outage.StartMs);
                ulong inAtStart = Probe.HcInOctets(device, link.Index);
                ulong outAtStart = Probe.HcOutOctets(device, link.Index);
                Assert.Equal(2, Probe.OperStatus(device, link.Index));
                Assert.Equal(SimTime.Ticks(boot, outage.StartMs), Probe.LastChange(device, link.Index));

                probe.At(outage.EndMs - 1);
                Assert.Equal(2, Probe.OperStatus(device, link.Index));
                Assert.Equal(inAtStart, Probe.HcInOctets(device, link.Index));
                Assert.Equal(outAtStart, Probe.HcOutOctets(device, link.Index));
                Assert.Equal(SimTime.Ticks(boot, outage.StartMs), Probe.LastChange(device, link.Index));

                probe.At(outage.EndMs + 60_000);
                Assert.Equal(1, Probe.OperStatus(device, link.Index));
                Assert.Equal(SimTime.Ticks(boot, outage.EndMs), Probe.LastChange(device, link.Index));
                Assert.True(Probe.HcInOctets(device, link.Index) > inAtStart, $"{device.SysName} {link.Name} counts again after the flap");
                Assert.True(inAtStart >= inBefore);
                seen++;
            }
        }

        Assert.Equal(12, seen);
    }

    [Fact]
    public void A_hotspot_has_no_wifi_clients_while_its_radio_is_down()
    {
        var fleet = new Probe(seed: 13, devices: 20);
        foreach (FleetDevice each in fleet.Fleet.Devices.Where(d => d.Kind != DeviceKind.SchoolRouter))
        {
            SimulatedDevice model = each.Device;
            Outage outage = FirstOutage(model, model.Radio!, SimTime.HourOf(Probe.Start.AddHours(11).ToUnixTimeMilliseconds()));

            (_, FleetDevice hotspot) = Probe.Device(13, 20, each.Index, outage.StartMs + 1);
            Assert.Equal(0u, Clients(hotspot));
            Assert.Equal(2, Probe.OperStatus(hotspot, model.Radio!.Index));
        }

        Assert.Contains(fleet.Fleet.Devices, d => d.Kind == DeviceKind.OutdoorHotspot);
        Assert.Contains(fleet.Fleet.Devices, d => d.Kind == DeviceKind.IndoorHotspot);
    }

    [Fact]
    public void Wifi_clients_follow_the_day()
    {
        foreach (FleetDevice each in new Probe(seed: 17, devices: 20).Fleet.Devices.Where(d => d.Kind != DeviceKind.SchoolRouter))
        {
            (Probe probe, FleetDevice hotspot) = Probe.Device(17, 20, each.Index, Probe.Start.ToUnixTimeMilliseconds());
            long night = 0;
            long day = 0;
            for (int d = 0; d < 5; d++)
            {
                probe.Clock.SetUtcNow(Probe.Start.AddDays(d).AddHours(2.5));
                night += Clients(hotspot);
                probe.Clock.SetUtcNow(Probe.Start.AddDays(d).AddHours(11.5));
                day += Clients(hotspot);
            }

            Assert.True(night < day, $"{hotspot.SysName}: {night} clients at night, {day} by day");
        }
    }

    internal static uint Clients(FleetDevice hotspot) => hotspot.Kind == DeviceKind.OutdoorHotspot
        ? hotspot.Mib.Get(MikrotikMib.MtxrWlApClientCount.Append(2)).AsUInt32()
        : hotspot.Mib.Get(CiscoDot11AssociationMib.CDot11ActiveWirelessClients.Append(1)).AsUInt32();

    /// <summary>The first outage of <paramref name="link"/> from <paramref name="hour"/> on that is not around a reboot.</summary>
    private static Outage FirstOutage(SimulatedDevice model, SimulatedInterface link, long hour)
    {
        for (; ; hour++)
        {
            if (link.Flaps.TryGetOutage(hour, out Outage outage)
                && model.LastBoot(outage.StartMs - 1000) == model.LastBoot(outage.EndMs + 60_000)
                && !link.Flaps.TryGetOutage(hour - 1, out _)
                && !link.Flaps.TryGetOutage(hour + 1, out _))
            {
                return outage;
            }
        }
    }

    private static bool Quiet(FleetDevice device, DateTimeOffset from)
    {
        long start = from.ToUnixTimeMilliseconds();
        return device.Device.LastBoot(start) == device.Device.LastBoot(start + SimTime.HourMs);
    }

    /// <summary>Octets the WAN side (ifIndex 1 on routers and MikroTik, 2 on the Cisco AP) received in the hour from <paramref name="from"/>.</summary>
    private static ulong Downloaded(Probe probe, FleetDevice device, DateTimeOffset from)
    {
        uint wan = device.Kind == DeviceKind.IndoorHotspot ? 2u : 1u;
        probe.Clock.SetUtcNow(from);
        ulong start = Probe.HcInOctets(device, wan);
        probe.Clock.SetUtcNow(from.AddHours(1));
        return Probe.HcInOctets(device, wan) - start;
    }
}
