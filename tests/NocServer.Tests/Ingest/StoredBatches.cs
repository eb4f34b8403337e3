using Network.Noc.Ingest;

namespace Network.Noc.Tests.Ingest;

/// <summary>
/// An ingest observer for tests, registered after the NOC's own (<c>NocHost.StartAsync(services =&gt;
/// services.AddSingleton&lt;IIngestObserver&gt;(stored))</c>). The observers run after a batch's request is answered, so a
/// 200 does not mean they have seen it; when this one hears of a batch, every NOC observer has handled it.
/// </summary>
public sealed class StoredBatches : IIngestObserver
{
    private readonly Lock _lock = new();
    private readonly HashSet<long> _seen = [];
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiting = [];

    /// <summary>Completes once the batch with <paramref name="sequence"/> has been through the NOC's observers.</summary>
    public Task ObservedAsync(long sequence)
    {
        lock (_lock)
        {
            if (_seen.Contains(sequence))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((sequence, done));
            return done.Task;
        }
    }

    public ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        lock (_lock)
        {
            foreach (IngestWork batch in batches)
            {
                _seen.Add(batch.Sequence);
            }

            foreach ((long sequence, TaskCompletionSource done) in _waiting)
            {
                if (_seen.Contains(sequence))
                {
                    done.TrySetResult();
                }
            }

            _waiting.RemoveAll(w => w.Done.Task.IsCompleted);
        }

        return ValueTask.CompletedTask;
    }
}
