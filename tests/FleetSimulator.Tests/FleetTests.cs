using System.Net;

namespace Network.FleetSimulator.Tests;

public sealed class FleetTests
{
    [Fact]
    public void A_fleet_mixes_hotspots_and_schools_at_real_places_each_on_its_own_port_and_community()
    {
        var probe = new Probe(seed: 2015, devices: 30);
        IReadOnlyList<FleetDevice> devices = probe.Fleet.Devices;

        Assert.Equal(30, devices.Count);
        Assert.Contains(devices, d => d.Kind == DeviceKind.OutdoorHotspot);
        Assert.Contains(devices, d => d.Kind == DeviceKind.SchoolRouter);
        Assert.Equal(devices.Count, devices.Select(d => d.SysName).Distinct().Count());
        for (int i = 0; i < devices.Count; i++)
        {
            Assert.Equal(i, devices[i].Index);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 16100 + i), devices[i].EndPoint);
            Assert.Equal($"site-{i}", devices[i].SiteCommunity);
            Assert.Equal("public", devices[i].Community);
        }

        Assert.All(devices, d => Assert.Contains(
            Places.Hotspots.Concat(Places.Schools),
            p => d.Location.StartsWith($"{p.Name}, {p.Municipality}", StringComparison.Ordinal)));
        Assert.Contains(new Probe(seed: 2015, devices: 60).Fleet.Devices, d => d.SysName == "hs-beursplein" && d.Location == "Beursplein, Brussel (outdoor)");
        Assert.All(devices.Where(d => d.Kind != DeviceKind.SchoolRouter), d => Assert.StartsWith("hs-", d.SysName));
        Assert.All(devices.Where(d => d.Kind == DeviceKind.SchoolRouter), d => Assert.StartsWith("fts-", d.SysName));
    }

    [Fact]
    public void More_devices_than_places_get_numbered_names()
    {
        var probe = new Probe(seed: 1, devices: 120);

        Assert.Equal(120, probe.Fleet.Devices.Select(d => d.SysName).Distinct().Count());
        Assert.Contains(probe.Fleet.Devices, d => d.SysName.EndsWith("-2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_list_has_a_line_per_device_with_index_port_kind_name_and_location()
    {
        var probe = new Probe(seed: 4, devices: 3);
        using var writer = new StringWriter();

        probe.Fleet.WriteList(writer);

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        FleetDevice second = probe.Fleet.Devices[1];
        Assert.Matches($@"^\s+1\s+16101\s+{second.Kind}\s+{second.SysName}\s+", lines[2]);
        Assert.EndsWith(second.Location, lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Options_outside_their_range_are_refused()
    {
        var clock = TimeProvider.System;
        Assert.Throws<ArgumentException>(() => Fleet.Create(new FleetOptions { Devices = 0, BasePort = 16100 }, clock));
        Assert.Throws<ArgumentException>(() => Fleet.Create(new FleetOptions { Devices = 10, BasePort = 65530 }, clock));
        Assert.Throws<ArgumentException>(() => Fleet.Create(new FleetOptions { Devices = 1, BasePort = 161, Community = "" }, clock));
    }
}
