using System.Net;
using System.Net.Sockets;

namespace Network.Snmp.Transport;

/// <summary>SNMP over UDP (RFC 3417 section 2): one socket, any number of requests in flight.</summary>
public sealed class UdpSnmpTransport : ISnmpTransport
{
    /// <summary>The largest UDP payload over IPv4; SNMP messages never exceed it.</summary>
    public const int MaxDatagramSize = 65507;

    private readonly Socket _socket;
    private readonly EndPoint _anyRemote;

    private UdpSnmpTransport(Socket socket)
    {
        _socket = socket;
        _anyRemote = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
    }

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    /// <summary>A socket bound to <paramref name="local"/> (port 0 for a manager: the system picks one).</summary>
    public static UdpSnmpTransport Bind(IPEndPoint local)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6 && local.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // A large receive buffer keeps bursts of replies (a thousand devices answering at once) from being dropped.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(local);
            return new UdpSnmpTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A manager's socket for talking to <paramref name="family"/> addresses, on a port the system picks.</summary>
    public static UdpSnmpTransport ForManager(AddressFamily family = AddressFamily.InterNetwork) =>
        Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, EndPoint remote, CancellationToken cancellationToken)
    {
        await _socket.SendToAsync(datagram, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                SocketReceiveFromResult result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, _anyRemote, cancellationToken).ConfigureAwait(false);
                return new ReceivedDatagram(result.ReceivedBytes, result.RemoteEndPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP port-unreachable from an earlier send, or an oversized datagram: neither ends the transport.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
