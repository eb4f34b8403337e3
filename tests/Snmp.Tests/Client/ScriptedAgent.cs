using Network.Snmp.Mibs;
using System.Net;
using System.Threading.Channels;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Transport;

namespace Network.Snmp.Tests.Client;

/// <summary>
/// A transport wired straight to an agent written in the test: each datagram the manager sends is answered (or not)
/// by <see cref="Agent"/>, in memory. This is how the manager's policy (halving, truncation, loops) is tested
/// against the broken devices the field has, which no real peer reproduces on demand. It offers both seams, so the
/// same policy tests drive the concurrent manager and the blocking one.
/// </summary>
internal sealed class ScriptedAgent : ISnmpBlockingTransport
{
    public static readonly IPEndPoint Address = new(IPAddress.Loopback, 16161);

    private readonly Channel<byte[]> _replies = Channel.CreateUnbounded<byte[]>();

    public ScriptedAgent(Func<CommunityMessage, Pdu?> agent) => Agent = agent;

    public Func<CommunityMessage, Pdu?> Agent { get; }

    /// <summary>Every request the manager sent, decoded.</summary>
    public List<Pdu> Requests { get; } = [];

    public EndPoint LocalEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 50000);

    /// <summary>A well-behaved agent over <paramref name="view"/>: our own responder.</summary>
    public static Func<CommunityMessage, Pdu?> Honest(IMibView view)
    {
        var options = new SnmpResponderOptions();
        options.Communities["public"] = view;
        var responder = new SnmpResponder(options);
        return request =>
        {
            byte[]? reply = responder.Handle(SnmpMessageCodec.Encode(request));
            return reply is null ? null : (Pdu)((CommunityMessage)SnmpMessageCodec.Decode(reply)).Pdu;
        };
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, EndPoint remote, CancellationToken cancellationToken)
    {
        Send(datagram.Span, remote);
        return ValueTask.CompletedTask;
    }

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        var request = (CommunityMessage)SnmpMessageCodec.Decode(datagram);
        lock (Requests)
        {
            Requests.Add((Pdu)request.Pdu);
        }

        if (Agent(request) is { } response)
        {
            _replies.Writer.TryWrite(SnmpMessageCodec.Encode(new CommunityMessage(request.Version, request.Community, response)));
        }
    }

    public bool TryReceive(Span<byte> buffer, TimeSpan timeout, out ReceivedDatagram datagram)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            byte[] reply = _replies.Reader.ReadAsync(timer.Token).AsTask().GetAwaiter().GetResult();
            reply.CopyTo(buffer);
            datagram = new ReceivedDatagram(reply.Length, Address);
            return true;
        }
        catch (OperationCanceledException)
        {
            datagram = default;
            return false;
        }
    }

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] reply = await _replies.Reader.ReadAsync(cancellationToken);
        reply.CopyTo(buffer);
        return new ReceivedDatagram(reply.Length, Address);
    }

    public ValueTask DisposeAsync()
    {
        _replies.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    /// <summary>A view with <paramref name="rows"/> interfaces: ifDescr and ifInOctets columns.</summary>
    public static MibView Interfaces(int rows)
    {
        var view = new MibView().AddScalar(SnmpV2Mib.SysName, SnmpValue.OctetString("scripted"));
        view.AddTable(IfMib.IfEntry, new Rows(rows), 2, 10);
        return view;
    }

    private sealed class Rows(int count) : IMibTable
    {
        public IReadOnlyList<Oid> GetRows() => [.. Enumerable.Range(1, count).Select(i => new Oid((uint)i))];

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            value = column == 2 ? SnmpValue.OctetString($"port{row[0]}") : SnmpValue.Counter32(row[0] * 1000);
            return true;
        }
    }
}
