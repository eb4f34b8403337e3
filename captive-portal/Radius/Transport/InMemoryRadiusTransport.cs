using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;

namespace Network.Radius.Transport;

/// <summary>
/// A listener in memory, for tests: <see cref="DeliverAsync"/> hands a datagram to the server as if it came from a NAS
/// and completes once the server's receive thread has dealt with it (checked it, answered it inline, queued it for a
/// worker or discarded it); the replies are read from <see cref="Sent"/>.
/// </summary>
public sealed class InMemoryRadiusTransport : IRadiusTransport
{
    private readonly BlockingCollection<(byte[] Datagram, RadiusPeer From, TaskCompletionSource Done)> _inbox = [];
    private readonly Channel<(byte[] Datagram, IPEndPoint To)> _sent = Channel.CreateUnbounded<(byte[], IPEndPoint)>();

    public InMemoryRadiusTransport(IPEndPoint? localEndPoint = null)
    {
        LocalEndPoint = localEndPoint ?? new IPEndPoint(IPAddress.Loopback, 1812);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Every datagram the server sent, in order, with where it went.</summary>
    public ChannelReader<(byte[] Datagram, IPEndPoint To)> Sent => _sent.Reader;

    /// <summary>
    /// Gives <paramref name="datagram"/> to the server as sent by <paramref name="from"/>; completes when its receive
    /// thread has finished with it (a reply made there is in <see cref="Sent"/> by then; a worker's may come later).
    /// </summary>
    public Task DeliverAsync(byte[] datagram, IPEndPoint from)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        ArgumentNullException.ThrowIfNull(from);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inbox.Add(((byte[])datagram.Clone(), new RadiusPeer(from), done));
        return done.Task;
    }

    public void Run(RadiusDatagramHandler received)
    {
        ArgumentNullException.ThrowIfNull(received);
        foreach ((byte[] datagram, RadiusPeer from, TaskCompletionSource done) in _inbox.GetConsumingEnumerable())
        {
            try
            {
                received(datagram, from);
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }
    }

    public void Send(byte[] datagram, RadiusPeer peer)
    {
        ArgumentNullException.ThrowIfNull(datagram);
        ArgumentNullException.ThrowIfNull(peer);
        _sent.Writer.TryWrite(((byte[])datagram.Clone(), peer.EndPoint));
    }

    public void Close()
    {
        _inbox.CompleteAdding();
        _sent.Writer.TryComplete();
    }

    public void Dispose()
    {
        Close();
        _inbox.Dispose();
    }
}
