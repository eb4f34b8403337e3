using CsCheck;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;

namespace Network.FleetSimulator.Tests;

/// <summary>What each model serves, walked as snmpwalk would.</summary>
public sealed class DeviceMibTests
{
    [Fact]
    public void GetNext_walks_every_device_in_strictly_increasing_order_and_ends_with_endOfMibView()
    {
        Gen.Select(Gen.ULong, Gen.Long[0, 365L * 86_400_000]).Sample((seed, offsetMs) =>
        {
            var probe = new Probe(seed, devices: 8, Probe.Start.AddMilliseconds(offsetMs));
            foreach (FleetDevice device in probe.Fleet.Devices)
            {
                var cursor = new Oid();
                int count = 0;
                while (true)
                {
                    VarBind next = device.Mib.GetNext(cursor);
                    if (next.Value.Type == SnmpType.EndOfMibView)
                    {
                        Assert.Equal(cursor, next.Oid);
                        break;
                    }

                    Assert.True(next.Oid > cursor, $"{device.SysName}: {next.Oid} after {cursor}");
                    Assert.Equal(next.Value, device.Mib.Get(next.Oid));
                    cursor = next.Oid;
                    count++;
                    Assert.True(count < 1000, "the walk does not end");
                }

                // 7 system + ifNumber + 15 x 2 ifTable + 5 x 2 ifXTable + hrMemorySize + 7 hrStorage + 2 hrProcessor, + the vendor's.
                int expected = 7 + 1 + 30 + 10 + 1 + 7 + 2 + device.Kind switch
                {
                    DeviceKind.OutdoorHotspot => 3,
                    DeviceKind.IndoorHotspot => 1,
                    _ => 0,
                };
                Assert.Equal(expected, count);
            }
        }, iter: 20);
    }

    [Theory]
    [InlineData(DeviceKind.OutdoorHotspot, "1.3.6.1.4.1.14988.1", 1u)]
    [InlineData(DeviceKind.IndoorHotspot, "1.3.6.1.4.1.9.1.685", 1u)]
    [InlineData(DeviceKind.SchoolRouter, "1.3.6.1.4.1.8072.3.2.10", 196608u)]
    public void Each_model_serves_its_identity_its_processor_and_its_own_objects(DeviceKind kind, string sysObjectId, uint processorIndex)
    {
        // Its own: the radio's clients (hotspots: the radio's ifIndex), the fibre port's ifHighSpeed (schools).
        Oid special = kind switch
        {
            DeviceKind.OutdoorHotspot => MikrotikMib.MtxrWlApClientCount.Append(2),
            DeviceKind.IndoorHotspot => CiscoDot11AssociationMib.CDot11ActiveWirelessClients.Append(1),
            _ => IfMib.IfHighSpeed.Append(1),
        };
        var probe = new Probe(seed: 9, devices: 40);
        probe.Clock.SetUtcNow(Probe.Start.AddHours(11));
        FleetDevice device = probe.Fleet.Devices.First(d => d.Kind == kind);

        Assert.Equal(Oid.Parse(sysObjectId), device.Mib.Get(SnmpV2Mib.SysObjectID.Append(0)).AsOid());
        Assert.Equal(device.SysName, device.Mib.Get(SnmpV2Mib.SysName.Append(0)).AsString());
        Assert.Equal(device.Location, device.Mib.Get(SnmpV2Mib.SysLocation.Append(0)).AsString());
        Assert.InRange(device.Mib.Get(HostResourcesMib.HrProcessorLoad.Append(processorIndex)).AsInt32(), 0, 100);
        Assert.False(device.Mib.Get(special).IsException);

        SnmpValue ramType = device.Mib.Walk(HostResourcesMib.HrStorageType).Single().Value;
        Assert.Equal(HostResourcesMib.HrStorageRam, ramType.AsOid());
        int size = device.Mib.Walk(HostResourcesMib.HrStorageSize).Single().Value.AsInt32();
        int used = device.Mib.Walk(HostResourcesMib.HrStorageUsed).Single().Value.AsInt32();
        Assert.InRange(used, 1, size);
    }

    [Fact]
    public void School_WAN_ports_are_fibre_at_100_or_1000_Mbps_with_a_LAN_port_at_1000()
    {
        var probe = new Probe(seed: 21, devices: 40);
        FleetDevice[] schools = [.. probe.Fleet.Devices.Where(d => d.Kind == DeviceKind.SchoolRouter)];
        uint[] wanSpeeds = [.. schools.Select(s => s.Mib.Get(IfMib.IfHighSpeed.Append(1)).AsUInt32())];

        Assert.All(wanSpeeds, speed => Assert.Contains(speed, new uint[] { 100, 1000 }));
        Assert.Contains(100u, wanSpeeds);
        Assert.Contains(1000u, wanSpeeds);
        Assert.All(schools, s => Assert.Equal(1000u, s.Mib.Get(IfMib.IfHighSpeed.Append(2)).AsUInt32()));
        Assert.All(schools, s => Assert.Equal(
            s.Mib.Get(IfMib.IfHighSpeed.Append(1)).AsUInt32() * 1_000_000,
            s.Mib.Get(IfMib.IfSpeed.Append(1)).AsUInt32()));
    }

    [Fact]
    public void Hotspots_have_a_wifi_radio_and_an_uplink()
    {
        var probe = new Probe(seed: 23, devices: 30);
        foreach (FleetDevice hotspot in probe.Fleet.Devices.Where(d => d.Kind != DeviceKind.SchoolRouter))
        {
            int[] types = [.. hotspot.Mib.Walk(IfMib.IfType).Select(vb => vb.Value.AsInt32())];
            Assert.Equal([IanaIfType.EthernetCsmacd, IanaIfType.Ieee80211], types.Order());
            Assert.Equal(6, hotspot.Mib.Get(IfMib.IfPhysAddress.Append(1)).AsBytes().Length);
        }
    }
}
