using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Network.EdgeAgent.Throughput;

/// <summary>
/// Linux's <c>TCP_INFO</c> of a connected socket: <c>tcpi_bytes_acked</c>, the bytes the other end has acknowledged,
/// and <c>tcpi_bytes_received</c>, the bytes that arrived in order (struct tcp_info in linux/tcp.h, 64-bit counts at
/// offsets 120 and 128 since Linux 4.2). An upload counts the first, not what the socket took, and a download the
/// second, not what the agent has read: the socket's buffers (up to megabytes, resized by the kernel as it likes, and
/// behind when the agent's process waits for a core) then make no difference to the rate.
/// </summary>
public static class TcpInfo
{
    private const int IpProtoTcp = 6;
    private const int TcpInfoOption = 11;
    private const int BytesAckedOffset = 120;
    private const int BytesReceivedOffset = 128;

    /// <summary>The bytes the peer acknowledged, or null where the system does not say (not Linux, an old kernel).</summary>
    public static long? BytesAcked(Socket socket) => Read(socket, BytesAckedOffset);

    /// <summary>The bytes received from the peer, in order, or null where the system does not say.</summary>
    public static long? BytesReceived(Socket socket) => Read(socket, BytesReceivedOffset);

    private static long? Read(Socket socket, int offset)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> info = stackalloc byte[256];
        try
        {
            int length = socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, info);
            return length >= offset + 8 ? (long)MemoryMarshal.Read<ulong>(info[offset..]) : null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
