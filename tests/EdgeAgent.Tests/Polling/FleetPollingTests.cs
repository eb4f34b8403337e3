using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Polling;
using Network.EdgeAgent.Queue;
using Network.FleetSimulator;
using Network.FleetSimulator.Serving;
using Network.Snmp.Client;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Polling;

/// <summary>
/// The profiles against the simulated fleet over real UDP, with a frozen clock the test moves: what the agent computes
/// from two polls 30 s apart must be exactly what the device models' counters say.
/// </summary>
public sealed class FleetPollingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 30, 0, TimeSpan.Zero));
    private readonly SnmpClient _client = SnmpClient.CreateUdp();
    private Fleet _fleet = null!;
    private FleetServer _server = null!;

    public Task InitializeAsync()
    {
        // Seed 1 (run.sh's fleet): an outdoor hotspot, a school router and an indoor hotspot among the first four.
        _fleet = Fleet.Create(new FleetOptions { Devices = 6, BasePort = Peers.FreeUdpPort(), Seed = 1 }, _time);
        _server = FleetServer.Start(_fleet, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private DevicePoller Poller(FleetDevice device, bool v3 = false) => new(
        new DeviceOptions
        {
            Name = device.SysName,
            Address = device.EndPoint.ToString(),
            Profile = device.Kind == DeviceKind.SchoolRouter ? SiteKind.School : SiteKind.Hotspot,
            Version = v3 ? DeviceSnmpVersion.V3 : DeviceSnmpVersion.V2c,
            V3 = v3
                ? new V3UserOptions
                {
                    User = FleetServer.V3User.Name, AuthProtocol = "SHA-256", AuthPassword = FleetServer.V3User.AuthPassword,
                    PrivProtocol = "AES", PrivPassword = FleetServer.V3User.PrivPassword,
                }
                : null,
        },
        new SiteOptions { Id = "fleet" }, _client, _time, NullLogger.Instance);

    private static Dictionary<string, ulong> Column(FleetDevice device, Oid root)
    {
        Dictionary<uint, string> names = device.Mib.Walk(IfMib.IfName).ToDictionary(b => b.Oid[^1], b => b.Value.AsString());
        return device.Mib.Walk(root).ToDictionary(b => names[b.Oid[^1]], b => b.Value.AsUInt64());
    }

    private static double Value(AgentReport report, string metric, string? ifName = null, string? label = null, string? labelValue = null) =>
        Assert.Single(report.Samples, s => s.Metric == metric
            && (ifName is null || s.Labels!["if"] == ifName)
            && (label is null || s.Labels![label] == labelValue)).Value;

    [Fact]
    public async Task Rates_from_two_polls_30_s_apart_match_the_models_counters_for_every_interface()
    {
        var pollers = _fleet.Devices.Select(d => Poller(d, v3: d.Index == 0)).ToList();
        var before = _fleet.Devices.Select(d => (In: Column(d, IfMib.IfHCInOctets), Out: Column(d, IfMib.IfHCOutOctets))).ToList();
        AgentReport[] first = await Task.WhenAll(pollers.Select(p => p.PollAsync(CancellationToken.None)));

        _time.Advance(TimeSpan.FromSeconds(30));
        var after = _fleet.Devices.Select(d => (In: Column(d, IfMib.IfHCInOctets), Out: Column(d, IfMib.IfHCOutOctets))).ToList();
        AgentReport[] second = await Task.WhenAll(pollers.Select(p => p.PollAsync(CancellationToken.None)));

        Assert.All(first, r => Assert.DoesNotContain(r.Samples, s => s.Metric == "if_in_bps")); // no rate from one reading
        int rates = 0;
        for (int d = 0; d < _fleet.Devices.Count; d++)
        {
            Assert.Equal(1, Value(second[d], "device_reachable"));
            foreach (string ifName in before[d].In.Keys)
            {
                Assert.Equal((after[d].In[ifName] - before[d].In[ifName]) * 8 / 30.0, Value(second[d], "if_in_bps", ifName), 6);
                Assert.Equal((after[d].Out[ifName] - before[d].Out[ifName]) * 8 / 30.0, Value(second[d], "if_out_bps", ifName), 6);
                Assert.Equal("hc", second[d].Samples.First(s => s.Metric == "if_in_bps" && s.Labels!["if"] == ifName).Labels!["counter"]);
                rates += 2;
            }
        }

        Assert.True(rates >= 24, $"{rates} rates checked");
    }

    [Fact]
    public async Task Each_profile_reads_its_objects_wifi_clients_from_both_vendor_mibs_and_the_schools_committed_rate()
    {
        AgentReport[] reports = await Task.WhenAll(_fleet.Devices.Select(d => Poller(d).PollAsync(CancellationToken.None)));

        var kinds = new HashSet<DeviceKind>();
        for (int d = 0; d < _fleet.Devices.Count; d++)
        {
            FleetDevice device = _fleet.Devices[d];
            AgentReport report = reports[d];
            kinds.Add(device.Kind);
            Assert.Equal(device.Mib.Walk(SnmpV2Mib.SysUpTime).Single().Value.AsUInt32() / 100.0, Value(report, "sys_uptime_seconds"));
            Assert.Equal(device.Mib.Walk(HostResourcesMib.HrProcessorLoad).Single().Value.AsInt32(), Value(report, "cpu_load_percent"));
            Assert.InRange(Value(report, "memory_used_percent"), 1, 99);
            Assert.Equal(2, report.Samples.Count(s => s.Metric == "if_up"));
            Assert.Single(report.Samples, s => s.Metric == "if_speed_mbps" && s.Labels!["role"] == "wan");
            switch (device.Kind)
            {
                case DeviceKind.OutdoorHotspot:
                    Assert.Equal(device.Mib.Walk(MikrotikMib.MtxrWlApClientCount).Single().Value.AsUInt32(),
                        Value(report, "wifi_clients", label: "mib", labelValue: "mikrotik"));
                    Assert.Single(report.Samples, s => s.Metric == "if_up" && s.Labels!["role"] == "wifi");
                    break;
                case DeviceKind.IndoorHotspot:
                    Assert.Equal(device.Mib.Walk(CiscoDot11AssociationMib.CDot11ActiveWirelessClients).Single().Value.AsUInt32(),
                        Value(report, "wifi_clients", label: "mib", labelValue: "cisco"));
                    break;
                case DeviceKind.SchoolRouter:
                    Assert.DoesNotContain(report.Samples, s => s.Metric == "wifi_clients");
                    // ifHighSpeed of ifIndex 1, the fibre port
                    double fibre = device.Mib.Walk(IfMib.IfHighSpeed).First().Value.AsUInt32();
                    Assert.Equal(fibre >= 100 ? 1 : 0, Value(report, "committed_rate_ok"));
                    break;
                default:
                    throw new InvalidOperationException(device.Kind.ToString());
            }
        }

        Assert.Equal(3, kinds.Count);
    }

    [Fact]
    public async Task A_reboot_between_polls_is_an_event_and_gives_no_rate_while_a_dead_device_is_reported_unreachable()
    {
        FleetDevice device = _fleet.Devices[0];
        DevicePoller poller = Poller(device);
        await poller.PollAsync(CancellationToken.None);
        // Jump a whole boot period ahead (7 to 28 days): the device has rebooted since, and its counters restarted.
        _time.Advance(TimeSpan.FromDays(29));
        AgentReport afterReboot = await poller.PollAsync(CancellationToken.None);

        var dead = new DevicePoller(new DeviceOptions { Name = "gone", Address = $"127.0.0.1:{Peers.FreeUdpPort()}", TimeoutMs = 200, Retries = 0 },
            new SiteOptions { Id = "fleet" }, _client, _time, NullLogger.Instance);
        AgentReport unreachable = await dead.PollAsync(CancellationToken.None);

        Assert.Contains(afterReboot.Events!, e => e.Kind == "device_rebooted");
        Assert.DoesNotContain(afterReboot.Samples, s => s.Metric is "if_in_bps" or "if_out_bps");
        Assert.Equal(0, Value(unreachable, "device_reachable"));
    }

    [Fact]
    public async Task A_poll_round_appends_one_record_per_device_in_one_batch()
    {
        using var folder = new TempFolder("agent-poll");
        using SegmentStore queue = SegmentStore.Open(new SegmentStoreSettings(folder.FullPath, 1 << 20, 64 * 1024), NullLogger.Instance);

        int samples = await PollingService.PollRoundAsync([.. _fleet.Devices.Select(d => Poller(d))], queue, CancellationToken.None);

        IReadOnlyList<QueueRecord> records = queue.Read(0, ulong.MaxValue, 100, int.MaxValue);
        Assert.Equal(_fleet.Devices.Count, records.Count);
        Assert.Equal(samples, records.Sum(r => AgentReport.FromBytes(r.Payload.Span).Samples.Count));
    }
}
