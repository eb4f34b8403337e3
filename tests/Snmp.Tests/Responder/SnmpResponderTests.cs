using Network.Snmp.Mibs;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Transport;

namespace Network.Snmp.Tests.Responder;

/// <summary>The responder's limits on what one request may cost, and its receive loop's survival of a failing request.</summary>
public sealed class SnmpResponderTests
{
    private static readonly Oid s_sysObjectId = SnmpV2Mib.SysObjectID.Append(0);
    private static readonly Oid s_sysName = SnmpV2Mib.SysName.Append(0);

    /// <summary>A view with a bug: sysObjectID holds an OBJECT IDENTIFIER of one arc, which cannot be encoded.</summary>
    private sealed class UnencodableView : IMibView
    {
        public SnmpValue Get(Oid oid) =>
            oid == s_sysObjectId ? SnmpValue.ObjectIdentifier(new Oid(7)) : oid == s_sysName ? SnmpValue.OctetString("hs-flageyplein") : SnmpValue.NoSuchObject;

        public VarBind GetNext(Oid oid) => new(oid, SnmpValue.EndOfMibView);
    }

    private sealed class Rows(int count) : IMibTable
    {
        private readonly Oid[] _rows = [.. Enumerable.Range(1, count).Select(i => new Oid((uint)i))];

        public IReadOnlyList<Oid> GetRows() => _rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            value = column == 2 ? SnmpValue.OctetString($"port-{row[0]}") : SnmpValue.Counter64(row[0]);
            return true;
        }
    }

    private static byte[] Request(SnmpPdu pdu) => SnmpMessageCodec.Encode(new CommunityMessage(SnmpVersion.V2c, "public", pdu));

    [Fact]
    public async Task An_exception_while_handling_one_datagram_is_counted_logged_once_a_minute_and_the_next_datagram_is_answered()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var log = new List<string>();
        var options = new SnmpResponderOptions();
        options.Communities["public"] = new UnencodableView();
        var responder = new SnmpResponder(options, time, line => { lock (log) { log.Add(line); } });
        await using UdpSnmpTransport transport = UdpSnmpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = new CancellationTokenSource();
        Task loop = Task.Run(() => responder.RunAsync(transport, stop.Token));
        using var manager = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        byte[] failing = Request(Pdu.GetRequest(1, [VarBind.Request(s_sysObjectId)]));

        // The loop is one at a time: the answer to the Get proves the failing request before it was handled.
        async Task<Pdu> FailThenGetAsync(int requestId)
        {
            await manager.SendAsync(failing, (IPEndPoint)transport.LocalEndPoint, timeout.Token);
            await manager.SendAsync(Request(Pdu.GetRequest(requestId, [VarBind.Request(s_sysName)])), (IPEndPoint)transport.LocalEndPoint, timeout.Token);
            var answer = (CommunityMessage)SnmpMessageCodec.Decode((await manager.ReceiveAsync(timeout.Token)).Buffer);
            return (Pdu)answer.Pdu;
        }

        Pdu first = await FailThenGetAsync(2);
        Assert.Equal(2, first.RequestId);
        Assert.Equal(SnmpValue.OctetString("hs-flageyplein"), first.VarBinds[0].Value);
        Assert.Equal(1, responder.Failed);
        Assert.Single(log);
        Assert.Contains("ArgumentException", log[0], StringComparison.Ordinal);
        Assert.DoesNotContain("public", log[0], StringComparison.Ordinal);

        Assert.Equal(3, (await FailThenGetAsync(3)).RequestId);
        Assert.Equal(2, responder.Failed);
        Assert.Single(log);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(4, (await FailThenGetAsync(4)).RequestId);
        Assert.Equal(3, responder.Failed);
        Assert.Equal(2, log.Count);
        Assert.False(loop.IsCompleted);

        await stop.CancelAsync();
        await loop;
    }

    /// <summary>
    /// max-repetitions 2147483647 with two repeaters, or with a non-repeater and one repeater: n + m * r overflows an
    /// int. The answer is the bindings that fit the message size (RFC 3416 section 4.2.3), in order.
    /// </summary>
    [Theory]
    [InlineData(0, 1472)]
    [InlineData(1, 1472)]
    [InlineData(0, 8192)]
    [InlineData(1, 484)]
    public void A_GetBulk_for_2147483647_repetitions_is_cut_to_the_message_size(int nonRepeaters, int maxResponseSize)
    {
        var options = new SnmpResponderOptions { MaxResponseSize = maxResponseSize };
        options.Communities["public"] = new MibView().AddTable(IfMib.IfXEntry, new Rows(50_000), 2, 6);
        var responder = new SnmpResponder(options);
        Oid names = IfMib.IfXEntry.Append(2);
        Oid counters = IfMib.IfHCInOctets;

        byte[]? response = responder.Handle(Request(Pdu.GetBulkRequest(9, nonRepeaters, int.MaxValue, [VarBind.Request(names), VarBind.Request(counters)])));

        Assert.NotNull(response);
        Assert.InRange(response.Length, maxResponseSize - 100, maxResponseSize);
        var pdu = (Pdu)((CommunityMessage)SnmpMessageCodec.Decode(response)).Pdu;
        Assert.Equal(ErrorStatus.NoError, pdu.ErrorStatus);
        IReadOnlyList<VarBind> bindings = pdu.VarBinds;
        if (nonRepeaters == 1)
        {
            Assert.Equal(names.Append(1), bindings[0].Oid);
            bindings = [.. bindings.Skip(1)];
            Assert.Equal([.. Enumerable.Range(1, bindings.Count).Select(i => counters.Append((uint)i))], bindings.Select(b => b.Oid));
        }
        else
        {
            Assert.Equal([.. Enumerable.Range(0, bindings.Count).Select(i => (i % 2 == 0 ? names : counters).Append((uint)(i / 2) + 1))], bindings.Select(b => b.Oid));
        }
    }

    [Fact]
    public void A_GetBulk_for_2147483647_repetitions_stops_at_the_binding_cap()
    {
        var options = new SnmpResponderOptions { MaxBulkBindings = 100 };
        options.Communities["public"] = new MibView().AddTable(IfMib.IfXEntry, new Rows(50_000), 2, 6);
        var responder = new SnmpResponder(options);

        byte[]? response = responder.Handle(Request(Pdu.GetBulkRequest(9, 0, int.MaxValue,
            [VarBind.Request(IfMib.IfXEntry.Append(2)), VarBind.Request(IfMib.IfHCInOctets)])));

        Assert.NotNull(response);
        Assert.Equal(100, ((CommunityMessage)SnmpMessageCodec.Decode(response)).Pdu.VarBinds.Count);
    }
}
