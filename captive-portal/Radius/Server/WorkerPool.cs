using System.Threading.Channels;

namespace Network.Radius.Server;

/// <summary>
/// A bounded queue and the workers that empty it: <see cref="TryQueue"/> never waits (a full queue says no, and the
/// caller drops the request: the NAS retransmits), and each worker runs <c>process</c> for one item at a time.
/// </summary>
internal sealed class WorkerPool<T>
{
    private readonly Channel<T> _queue;
    private readonly Func<T, Task> _process;
    private readonly List<Task> _workers = [];

    public WorkerPool(int capacity, Func<T, Task> process)
    {
        _process = process;
        _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            // Wait, not DropWrite: with DropWrite, TryWrite says true for an item it throws away, and the caller could
            // neither count the drop nor forget the request (its retransmission would be taken for one in progress).
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    public void Start(int workers)
    {
        for (int i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(WorkAsync));
        }
    }

    /// <summary>False when the queue is full (or stopped): the item was not taken.</summary>
    public bool TryQueue(T item) => _queue.Writer.TryWrite(item);

    /// <summary>Takes no more items; the workers finish what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Completes when every worker has finished (after <see cref="Complete"/>).</summary>
    public Task Finished => Task.WhenAll(_workers);

    private async Task WorkAsync()
    {
        ChannelReader<T> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out T? item))
            {
                await _process(item).ConfigureAwait(false);
            }
        }
    }
}
