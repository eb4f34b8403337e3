using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Network.Snmp.Transport;

/// <summary>
/// SNMP over UDP (RFC 3417 section 2): one socket, any number of requests in flight. It can also be driven
/// synchronously (<see cref="ISnmpBlockingTransport"/>); use one style per instance, not both.
/// </summary>
public sealed class UdpSnmpTransport : ISnmpBlockingTransport
{
    /// <summary>The largest UDP payload over IPv4; SNMP messages never exceed it.</summary>
    public const int MaxDatagramSize = 65507;

    private readonly Socket _socket;
    private readonly EndPoint _anyRemote;
    private int _receiveTimeoutMilliseconds = -1;

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

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) => _socket.SendTo(datagram, SocketFlags.None, remote);

    public bool TryReceive(Span<byte> buffer, TimeSpan timeout, out ReceivedDatagram datagram)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            TimeSpan left = timeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                datagram = default;
                return false;
            }

            // SO_RCVTIMEO, set only when it changes: a walk asks with the same timeout every time, so one setsockopt in all.
            int milliseconds = (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, int.MaxValue);
            if (milliseconds != _receiveTimeoutMilliseconds)
            {
                _socket.ReceiveTimeout = milliseconds;
                _receiveTimeoutMilliseconds = milliseconds;
            }

            EndPoint remote = _anyRemote;
            try
            {
                int length = _socket.ReceiveFrom(buffer, SocketFlags.None, ref remote);
                datagram = new ReceivedDatagram(length, remote);
                return true;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                datagram = default;
                return false;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // As in ReceiveAsync: an ICMP port-unreachable or an oversized datagram; wait on for the time that is left.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
