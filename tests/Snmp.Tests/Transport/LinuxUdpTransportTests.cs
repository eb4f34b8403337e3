using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Transport;

namespace Network.Snmp.Tests.Transport;

/// <summary>
/// The field tool's socket on Linux's own calls: datagrams both ways over IPv4 and IPv6 loopback against the system's
/// sockets, a whole bulk walk against our responder, its timeout, and an ICMP port-unreachable that must not end the wait.
/// (Against net-snmp's snmpd, the conformance tests' blocking manager runs on it too.)
/// </summary>
public sealed class LinuxUdpTransportTests
{
    public static TheoryData<string> Loopbacks => new() { "127.0.0.1", "::1" };

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task A_datagram_goes_out_and_the_answer_comes_back_with_its_sender(string loopback)
    {
        Assert.True(LinuxUdpTransport.IsSupported, "these tests run on Linux x64 or arm64");
        using var peer = new Socket(IPAddress.Parse(loopback).AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Parse(loopback), 0));
        var peerEndPoint = (IPEndPoint)peer.LocalEndPoint!;
        await using var transport = new LinuxUdpTransport();

        transport.Send([0x30, 0x01, 0x02], peerEndPoint);
        byte[] received = new byte[64];
        SocketReceiveFromResult got = await peer.ReceiveFromAsync(received, new IPEndPoint(peerEndPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
        Assert.Equal([0x30, 0x01, 0x02], received[..got.ReceivedBytes]);
        Assert.Equal(((IPEndPoint)transport.LocalEndPoint).Port, ((IPEndPoint)got.RemoteEndPoint).Port);

        await peer.SendToAsync(new byte[] { 0xA2, 0x00 }, got.RemoteEndPoint);
        byte[] answer = new byte[UdpSnmpTransport.MaxDatagramSize];
        Assert.True(transport.TryReceive(answer, TimeSpan.FromSeconds(5), out ReceivedDatagram datagram));
        Assert.Equal([0xA2, 0x00], answer[..datagram.Length]);
        Assert.Equal(peerEndPoint, datagram.Remote);
    }

    [Fact]
    public async Task A_bulk_walk_over_IPv6_reads_every_binding_our_responder_serves()
    {
        var view = new MibView();
        Oid root = Oid.Parse("1.3.6.1.4.1.57264.7");
        for (uint i = 1; i <= 300; i++)
        {
            view.AddScalar(root.Append(i), SnmpValue.OctetString($"row {i}"));
        }

        var options = new SnmpResponderOptions();
        options.Communities["public"] = view;
        using var stop = new CancellationTokenSource();
        await using UdpSnmpTransport served = UdpSnmpTransport.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        Task loop = Task.Run(() => new SnmpResponder(options).RunAsync(served, stop.Token));
        try
        {
            await using SnmpClient manager = SnmpClient.CreateBlocking(new LinuxUdpTransport());
            var target = new SnmpTarget((IPEndPoint)served.LocalEndPoint) { Community = "public", Timeout = TimeSpan.FromSeconds(5) };
            List<VarBind> walked = await manager.BulkWalkAsync(target, root, 25).ToListAsync();
            Assert.Equal(view.Walk(root).ToList(), walked);
        }
        finally
        {
            await stop.CancelAsync();
            await loop.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task Nothing_answering_is_a_timeout_after_the_time_asked_for()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var transport = new LinuxUdpTransport();
        transport.Send([0x30, 0x00], silent.LocalEndPoint!);

        long start = Stopwatch.GetTimestamp();
        Assert.False(transport.TryReceive(new byte[1500], TimeSpan.FromMilliseconds(300), out _));
        Assert.InRange(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 290, 5_000);
    }

    [Fact]
    public async Task A_closed_port_answering_with_ICMP_is_a_timeout_not_an_error()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var transport = new LinuxUdpTransport();
        transport.Send([0x30, 0x00], new IPEndPoint(IPAddress.Loopback, closedPort));
        Assert.False(transport.TryReceive(new byte[1500], TimeSpan.FromMilliseconds(200), out _));
        transport.Send([0x30, 0x00], new IPEndPoint(IPAddress.Loopback, closedPort));
        Assert.False(transport.TryReceive(new byte[1500], TimeSpan.FromMilliseconds(200), out _));
    }

    [Fact]
    public async Task Before_anything_is_sent_there_is_no_socket_and_nothing_to_receive()
    {
        await using var transport = new LinuxUdpTransport();
        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), transport.LocalEndPoint);
        Assert.False(transport.TryReceive(new byte[16], TimeSpan.FromMilliseconds(50), out _));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await transport.ReceiveAsync(new byte[16], default));
    }
}
