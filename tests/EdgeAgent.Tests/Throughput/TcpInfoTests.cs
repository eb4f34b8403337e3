using System.Net;
using System.Net.Sockets;
using Network.EdgeAgent.Throughput;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Throughput;

/// <summary>The kernel's counts the test's rates come from, on a loopback connection of known bytes.</summary>
public sealed class TcpInfoTests
{
    [Fact]
    public async Task The_sender_reads_the_bytes_acknowledged_and_the_receiver_the_bytes_received_before_and_after_a_transfer()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var sender = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await sender.ConnectAsync(listener.LocalEndPoint!);
        using Socket receiver = await listener.AcceptAsync();
        long? ackedBefore = TcpInfo.BytesAcked(sender), receivedBefore = TcpInfo.BytesReceived(receiver);

        byte[] bytes = new byte[300_000];
        Task sending = SendAllAsync(sender, bytes);
        byte[] buffer = new byte[65_536];
        long read = 0;
        while (read < bytes.Length)
        {
            read += await receiver.ReceiveAsync(buffer);
        }

        await sending;
        await Peers.WaitUntilAsync(() => Task.FromResult(TcpInfo.BytesAcked(sender) - ackedBefore == bytes.Length), TimeSpan.FromSeconds(30),
            "the last acknowledgement");

        Assert.NotNull(ackedBefore);
        Assert.Equal(bytes.Length, TcpInfo.BytesReceived(receiver) - receivedBefore);
        Assert.Equal(0L, TcpInfo.BytesReceived(sender)); // nothing came back the other way
    }

    private static async Task SendAllAsync(Socket socket, byte[] bytes)
    {
        for (int sent = 0; sent < bytes.Length;)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent));
        }
    }
}
