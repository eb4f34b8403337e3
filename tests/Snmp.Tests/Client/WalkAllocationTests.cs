using System.Net;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Transport;
using Xunit.Abstractions;

namespace Network.Snmp.Tests.Client;

/// <summary>
/// The blocking manager's walk with a visitor allocates per request, never per binding: the same walk with ten
/// times the bindings a reply allocates about the same (the field tool's whole-tree walk rests on this).
/// </summary>
public sealed class WalkAllocationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Oid s_root = Oid.Parse("1.3.6.1.4.1.57264.9");
    private readonly CancellationTokenSource _stop = new();
    private UdpSnmpTransport? _served;
    private Task? _loop;

    public Task InitializeAsync()
    {
        var view = new MibView();
        for (uint i = 1; i <= 2_000; i++)
        {
            view.AddScalar(s_root.Append(i % 7, i), i % 3 == 0 ? SnmpValue.OctetString($"port {i}") : SnmpValue.Counter64(i * 1_000_003UL));
        }

        var options = new SnmpResponderOptions();
        options.Communities["public"] = view;
        _served = UdpSnmpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(() => new SnmpResponder(options).RunAsync(_served, _stop.Token));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _served!.DisposeAsync();
        await _loop!.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    [Fact]
    public async Task A_bulk_walk_allocates_per_request_not_per_binding()
    {
        var transport = new CountingTransport(new LinuxUdpTransport());
        await using SnmpClient manager = SnmpClient.CreateBlocking(transport);
        var target = new SnmpTarget((IPEndPoint)_served!.LocalEndPoint) { Community = "public", Timeout = TimeSpan.FromSeconds(5) };
        var counter = new Counter();
        await manager.BulkWalkAsync(target, s_root, 50, counter); // warm: first-use allocations (statics, caches) are not the walk's

        (long few, int fewRequests) = await MeasureAsync(manager, transport, target, 5, counter);
        (long many, int manyRequests) = await MeasureAsync(manager, transport, target, 50, counter);
        output.WriteLine($"max-repetitions 5: {few} bytes in {fewRequests} requests; 50: {many} bytes in {manyRequests} requests");

        Assert.Equal(2_000, counter.Last);
        Assert.Equal(401, fewRequests);
        Assert.Equal(41, manyRequests);
        double perRequestFew = (double)few / fewRequests;
        double perRequestMany = (double)many / manyRequests;
        Assert.True(perRequestMany < 1.5 * perRequestFew, $"{perRequestMany:F0} bytes a request of 50 bindings against {perRequestFew:F0} for 5: something is allocated per binding");
        Assert.True(perRequestFew < 2_048, $"{perRequestFew:F0} bytes a request");
    }

    private static async Task<(long Bytes, int Requests)> MeasureAsync(
        SnmpClient manager, CountingTransport transport, SnmpTarget target, int repetitions, Counter counter)
    {
        counter.Last = 0;
        int requestsBefore = transport.Sent;
        long before = GC.GetAllocatedBytesForCurrentThread();
        await manager.BulkWalkAsync(target, s_root, repetitions, counter);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return (bytes, transport.Sent - requestsBefore);
    }

    private sealed class Counter : IVarBindVisitor
    {
        public int Last { get; set; }

        public void Visit(VarBindView binding) => Last++;
    }

    private sealed class CountingTransport(ISnmpBlockingTransport inner) : ISnmpBlockingTransport
    {
        public int Sent { get; private set; }

        public EndPoint LocalEndPoint => inner.LocalEndPoint;

        public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
        {
            Sent++;
            inner.Send(datagram, remote);
        }

        public bool TryReceive(Span<byte> buffer, TimeSpan timeout, out ReceivedDatagram datagram) => inner.TryReceive(buffer, timeout, out datagram);

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, EndPoint remote, CancellationToken cancellationToken) =>
            inner.SendAsync(datagram, remote, cancellationToken);

        public ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
