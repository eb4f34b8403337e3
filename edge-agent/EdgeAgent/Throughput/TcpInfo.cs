using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Network.EdgeAgent.Throughput;

/// <summary>
/// Linux's <c>TCP_INFO</c> of a connected socket: <c>tcpi_bytes_acked</c>, the bytes the other end has acknowledged
/// (struct tcp_info in linux/tcp.h, a 64-bit count at offset 120 since Linux 4.2). An upload counts these, not what
/// the socket took: the send buffer (up to megabytes, resized by the kernel as it likes) then makes no difference.
/// </summary>
public static class TcpInfo
{
    private const int IpProtoTcp = 6;
    private const int TcpInfoOption = 11;
    private const int BytesAckedOffset = 120;

    /// <summary>The bytes the peer acknowledged, or null where the system does not say (not Linux, an old kernel).</summary>
    public static long? BytesAcked(Socket socket)
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
            return length >= BytesAckedOffset + 8 ? (long)MemoryMarshal.Read<ulong>(info[BytesAckedOffset..]) : null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
