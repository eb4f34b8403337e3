using System.Net;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Transport;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Cli;

/// <summary>
/// An SNMP v1/v2c agent on 127.0.0.1 and a free UDP port whose answers the test writes: the error-statuses, opaque
/// values and odd walk ends that snmpd does not give on demand. net-snmp's tools and ours ask the same agent, so their
/// output can be compared byte for byte.
/// </summary>
internal sealed class ScriptedUdpAgent : IAsyncDisposable
{
    private readonly UdpSnmpTransport _transport = UdpSnmpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>An agent that answers each request with what <paramref name="answer"/> returns for it (null: no answer).</summary>
    public ScriptedUdpAgent(Func<Pdu, Pdu?> answer)
        : this(request => SnmpMessageCodec.Decode(request) is CommunityMessage { Pdu: Pdu pdu } message && answer(pdu) is { } response
            ? SnmpMessageCodec.Encode(new CommunityMessage(message.Version, message.Community, response))
            : null)
    {
    }

    private ScriptedUdpAgent(Func<byte[], byte[]?> handle)
    {
        _loop = Task.Run(async () =>
        {
            byte[] buffer = new byte[UdpSnmpTransport.MaxDatagramSize];
            while (!_stop.IsCancellationRequested)
            {
                ReceivedDatagram datagram = await _transport.ReceiveAsync(buffer, _stop.Token);
                if (handle(buffer[..datagram.Length]) is { } reply)
                {
                    await _transport.SendAsync(reply, datagram.Remote, _stop.Token);
                }
            }
        });
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_transport.LocalEndPoint).Port}";

    /// <summary>Our responder over <paramref name="view"/>, community <c>public</c>: a well-behaved agent.</summary>
    public static ScriptedUdpAgent Serving(IMibView view)
    {
        var options = new SnmpResponderOptions();
        options.Communities["public"] = view;
        var responder = new SnmpResponder(options);
        return new ScriptedUdpAgent(request => responder.Handle(request));
    }

    /// <summary>A Response to <paramref name="request"/> with its names, NULL values and the given error.</summary>
    public static Pdu Error(Pdu request, ErrorStatus status, int index) =>
        new(SnmpType.ResponsePdu, request.RequestId, status, index, [.. request.VarBinds.Select(b => VarBind.Request(b.Oid))]);

    /// <summary>A Response to <paramref name="request"/> with these bindings and no error.</summary>
    public static Pdu Answer(Pdu request, params IEnumerable<VarBind> bindings) =>
        new(SnmpType.ResponsePdu, request.RequestId, ErrorStatus.NoError, 0, [.. bindings]);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _transport.DisposeAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}

/// <summary>Runs one command line through net-snmp's tool and through ours, for the tests to compare all three outputs.</summary>
internal static class BothTools
{
    /// <summary>Exit code, stdout and stderr of ours (in process) and of net-snmp's <c>snmp{command}</c> (MIBS="").</summary>
    public static async Task<((int Code, string Out, string Err) Ours, (int Code, string Out, string Err) Theirs)> RunAsync(string command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await Network.EdgeAgent.Cli.SnmpCommand.RunAsync([command, .. args], output, error);
        var theirs = await SnmpdFixture.RunToolAsync("snmp" + command, args);
        return ((code, output.ToString(), error.ToString()), theirs);
    }

    /// <summary>Asserts that ours printed what net-snmp's printed, on both streams, with the same exit code.</summary>
    public static async Task<(int Code, string Out, string Err)> AssertSameAsync(string command, params string[] args)
    {
        var (ours, theirs) = await RunAsync(command, args);
        Assert.Equal(theirs.Err, ours.Err);
        Assert.Equal(theirs.Out.Split('\n'), ours.Out.Split('\n')); // line by line: a failure names the line
        Assert.Equal(theirs.Code, ours.Code);
        return ours;
    }
}
