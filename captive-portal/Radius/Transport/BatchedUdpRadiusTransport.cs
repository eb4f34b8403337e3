using System.Net;

namespace Network.Radius.Transport;

/// <summary>
/// RADIUS over UDP with many datagrams a system call on Linux (<see cref="DatagramBatch"/>): the receive thread takes
/// every datagram already queued with one <c>recvmmsg</c>, hands each over, and the replies made meanwhile on that
/// thread leave in one <c>sendmmsg</c> after them. Replies from other threads (the workers) go at once with
/// <c>sendto</c>. When the system refuses the calls before any datagram came, it receives with <c>recvfrom</c> instead.
/// </summary>
internal sealed class BatchedUdpRadiusTransport(UdpRadiusTransport udp) : IRadiusTransport
{
    private const int ConnectionRefused = 111; // ECONNREFUSED: an ICMP error for an earlier reply, as recvfrom reports it too

    private DatagramBatch? _batch;
    private int _receiveThread = -1;
    private long _calls;
    private long _multiple;

    public IPEndPoint LocalEndPoint => udp.LocalEndPoint;

    /// <summary><c>recvmmsg</c> calls so far, and how many of them brought more than one datagram.</summary>
    internal (long Calls, long Multiple) Receives => (Interlocked.Read(ref _calls), Interlocked.Read(ref _multiple));

    public void Run(RadiusDatagramHandler received)
    {
        ArgumentNullException.ThrowIfNull(received);
        if (!RunBatched(received))
        {
            udp.Run(received);
        }
    }

    /// <summary>False when the system refuses <c>recvmmsg</c> before any datagram came (the caller then uses <c>recvfrom</c>).</summary>
    private bool RunBatched(RadiusDatagramHandler received)
    {
        using var batch = new DatagramBatch(udp.Socket);
        var peers = new LastPeer(udp.AnyEndPoint);
        bool receivedAny = false;
        _batch = batch;
        _receiveThread = Environment.CurrentManagedThreadId;
        try
        {
            while (!udp.IsClosed)
            {
                int count = batch.Receive(out int error);
                if (udp.IsClosed)
                {
                    return true;
                }

                if (count < 0)
                {
                    if (error == ConnectionRefused)
                    {
                        continue;
                    }

                    return receivedAny && error == 0; // closed; any other refusal: recvfrom from here on
                }

                receivedAny = true;
                Interlocked.Increment(ref _calls);
                if (count > 1)
                {
                    Interlocked.Increment(ref _multiple);
                }

                for (int i = 0; i < count; i++)
                {
                    received(batch.Datagram(i), peers.For(batch.Source(i)));
                }

                batch.Flush();
            }

            return true;
        }
        finally
        {
            batch.Flush();
            _receiveThread = -1;
            _batch = null;
        }
    }

    public void Send(byte[] datagram, RadiusPeer peer)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        ArgumentNullException.ThrowIfNull(peer);
        // Only the receive thread can see its own id here: a reply made on it waits for the batch's sendmmsg.
        if (Environment.CurrentManagedThreadId == _receiveThread && _batch is { } batch)
        {
            batch.Queue(datagram, peer.Address);
            return;
        }

        udp.Send(datagram, peer);
    }

    public void Close() => udp.Close();

    public void Dispose() => udp.Dispose();
}
