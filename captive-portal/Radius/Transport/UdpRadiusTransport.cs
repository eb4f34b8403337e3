using System.Net;
using System.Net.Sockets;
using Network.Radius.Codec;

namespace Network.Radius.Transport;

/// <summary>
/// RADIUS over UDP with one datagram a system call: <c>recvfrom</c> on the receive thread, <c>sendto</c> from any thread
/// (on a blocking UDP socket it returns at once: the datagram is copied to the socket buffer).
/// </summary>
public sealed class UdpRadiusTransport : IRadiusTransport
{
    private readonly Socket _socket;
    private volatile bool _closed;

    private UdpRadiusTransport(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    internal Socket Socket => _socket;

    internal bool IsClosed => _closed;

    /// <summary>
    /// A listener bound to <paramref name="local"/> (<c>::</c> takes IPv4 too; port 0: the system picks one). With
    /// <paramref name="batchSystemCalls"/>, on Linux, it receives with <c>recvmmsg</c> and answers with <c>sendmmsg</c>
    /// (many datagrams a system call); false, or another system: <c>recvfrom</c> and <c>sendto</c>, one datagram each.
    /// </summary>
    public static IRadiusTransport Bind(IPEndPoint local, bool batchSystemCalls = true)
    {
        ArgumentNullException.ThrowIfNull(local);
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6 && local.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // A large receive buffer keeps a burst of gateways' requests from being dropped.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(local);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var transport = new UdpRadiusTransport(socket);
        return batchSystemCalls && DatagramBatch.IsSupported ? new BatchedUdpRadiusTransport(transport) : transport;
    }

    public void Run(RadiusDatagramHandler received)
    {
        ArgumentNullException.ThrowIfNull(received);
        byte[] buffer = GC.AllocateUninitializedArray<byte>(RadiusDecodeLimits.MaxPacketLength + 1);
        var address = new SocketAddress(_socket.AddressFamily);
        var peers = new LastPeer(AnyEndPoint);
        while (!_closed)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (_closed)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP errors from earlier replies: not fatal
            }

            if (_closed)
            {
                return; // woken by Close (Linux answers a shut-down socket's recvfrom with nothing from no one)
            }

            if (address.Size < 2)
            {
                continue; // no sender to answer
            }

            received(buffer.AsSpan(0, length), peers.For(address.Buffer.Span[..address.Size]));
        }
    }

    public void Send(byte[] datagram, RadiusPeer peer)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        ArgumentNullException.ThrowIfNull(peer);
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, peer.Address);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The NAS retransmits; a closed socket means we are shutting down.
        }
    }

    public void Close()
    {
        _closed = true;
        try
        {
            // Wakes the receive thread out of recvfrom or recvmmsg (Linux does it even for an unconnected UDP socket,
            // though it answers ENOTCONN).
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // expected for UDP; disposed: closed before
        }
    }

    public void Dispose()
    {
        Close();
        _socket.Dispose();
    }

    /// <summary>The address any sender is read into.</summary>
    internal IPEndPoint AnyEndPoint => new(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
}
