using System.Collections.Concurrent;

namespace Network.Storage;

/// <summary>When and how much a <see cref="BatchWriter{TRecord, TResult}"/> writes.</summary>
public sealed record BatchWriterOptions
{
    /// <summary>Records waiting at most; beyond it <see cref="BatchWriter{TRecord, TResult}.TryPost"/> refuses and <see cref="BatchWriter{TRecord, TResult}.WriteAsync"/> fails at once.</summary>
    public int Capacity { get; init; } = 16_384;

    /// <summary>
    /// Records in one batch (one transaction) at most; with a size a record (the writer's <c>size</c>), the size of a batch,
    /// which takes records while it is below this (so one record larger than this is a batch of its own).
    /// </summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>
    /// Null: a batch is written as soon as records wait (group commit: what arrives while a batch is written goes into the
    /// next). A time: what waits is written every <see cref="Interval"/> (on the writer's <see cref="TimeProvider"/>), and
    /// sooner when <see cref="MaxBatch"/> records wait or someone asks (<see cref="BatchWriter{TRecord, TResult}.FlushAsync"/>);
    /// <see cref="Timeout.InfiniteTimeSpan"/> leaves out the clock.
    /// </summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>After a batch fails, write its records one a batch, so one bad record fails only its own caller.</summary>
    public bool RetryAlone { get; init; }
}

/// <summary>
/// The one writer that batches many records into one transaction: callers queue records (bounded), one loop hands each
/// batch to the transaction body, and each caller's task completes when its batch has committed, or fails with the
/// body's exception (the next batch is not affected). <see cref="DisposeAsync"/> writes what waits, then stops.
/// The body runs on the loop, one batch at a time, and returns one result a record; callers' continuations run on the
/// thread pool, one hand-off a batch, never on the loop.
/// </summary>
public sealed class BatchWriter<TRecord, TResult> : IAsyncDisposable, IDisposable
{
    private readonly Func<IReadOnlyList<TRecord>, Task<TResult[]>> _write;
    private readonly Func<TRecord, int>? _size;
    private readonly Func<IReadOnlyList<TRecord>, Task>? _committed;
    private readonly BatchWriterOptions _options;
    private readonly ConcurrentQueue<Entry> _queue = new();
    private readonly ConcurrentQueue<TaskCompletionSource<int>> _flushes = new();
    private readonly PeriodicTimer? _timer;
    private readonly Task _loop;
    // Reserved places in the queue (incremented before a record is queued, so the bound holds and the loop never stops
    // with a record on its way in).
    private int _count;
    private int _sleeping;
    private int _stopping;
    private bool _tickDue;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts the writer's loop.</summary>
    /// <param name="write">The transaction body: writes the records in one transaction, returns one result a record.</param>
    /// <param name="options">Bound, batch size, interval.</param>
    /// <param name="time">The clock of the interval.</param>
    /// <param name="size">The size of a record, which <see cref="BatchWriterOptions.MaxBatch"/> bounds in a batch (null: 1 a record).</param>
    /// <param name="committed">
    /// After a batch committed in one go, once its callers' completion is handed off: a step on the loop that sees the batch's
    /// records (what must follow the commit but need not delay the callers: observers, giving back buffers). The next batch
    /// waits for it; its exception fails the <see cref="FlushAsync"/> of the round.
    /// </param>
    public BatchWriter(Func<IReadOnlyList<TRecord>, Task<TResult[]>> write, BatchWriterOptions options, TimeProvider time,
        Func<TRecord, int>? size = null, Func<IReadOnlyList<TRecord>, Task>? committed = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        _write = write;
        _options = options;
        _size = size;
        _committed = committed;
        if (options.Interval is { } interval && interval != Timeout.InfiniteTimeSpan)
        {
            _timer = new PeriodicTimer(interval, time);
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>Records queued and not yet taken into a batch.</summary>
    public int Pending => Math.Max(0, Volatile.Read(ref _count));

    /// <summary>Queues a record whose writing nobody waits for; false when the queue is full or the writer stopped. No allocation.</summary>
    public bool TryPost(TRecord record) => TryEnqueue(new Entry(record, null));

    /// <summary>Queues a record; the task completes with its result once its batch has committed.</summary>
    public Task<TResult> WriteAsync(TRecord record)
    {
        // Completed by Complete on a pool thread: the callers' continuations run there, not on the loop.
        var completion = new TaskCompletionSource<TResult>();
        return TryEnqueue(new Entry(record, completion))
            ? completion.Task
            : Task.FromException<TResult>(Volatile.Read(ref _stopping) != 0
                ? new ObjectDisposedException(nameof(BatchWriter<TRecord, TResult>))
                : new InvalidOperationException($"more than {_options.Capacity} records wait to be written"));
    }

    /// <summary>
    /// Writes what was queued before this call, without waiting for the interval; completes with how many records the
    /// round wrote, or fails with the exception of a batch that failed.
    /// </summary>
    public Task<int> FlushAsync()
    {
        var flushed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushes.Enqueue(flushed);
        Wake();
        return flushed.Task;
    }

    /// <summary>Writes what waits, then stops; records offered afterwards are refused.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _stopping, 1);
        Wake();
        await _loop.ConfigureAwait(false);
        _timer?.Dispose();
    }

    /// <summary><see cref="DisposeAsync"/> for owners that are disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private bool TryEnqueue(Entry entry)
    {
        if (Interlocked.Increment(ref _count) > _options.Capacity || Volatile.Read(ref _stopping) != 0)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _queue.Enqueue(entry);
        if (_options.Interval is null || Volatile.Read(ref _count) >= _options.MaxBatch)
        {
            Wake();
        }

        return true;
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            Volatile.Read(ref _wake).TrySetResult();
        }
    }

    private bool WorkWaits()
    {
        int count = Volatile.Read(ref _count);
        return !_flushes.IsEmpty
            || (count > 0 && (_options.Interval is null || _tickDue || count >= _options.MaxBatch || Volatile.Read(ref _stopping) != 0));
    }

    private async Task RunAsync()
    {
        Task<bool>? tick = null;
        while (true)
        {
            if (WorkWaits())
            {
                await WriteRoundAsync().ConfigureAwait(false);
                continue;
            }

            if (Volatile.Read(ref _stopping) != 0 && Volatile.Read(ref _count) == 0)
            {
                return;
            }

            // Asleep until a producer, a flush, the stop or the tick wakes the loop; the second look after announcing the
            // sleep sees whatever came meanwhile (the producer then finds _sleeping already 1 and wakes it).
            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            Interlocked.Exchange(ref _sleeping, 1);
            if (WorkWaits() || Volatile.Read(ref _stopping) != 0)
            {
                Interlocked.Exchange(ref _sleeping, 0);
                if (!WorkWaits())
                {
                    await Task.Yield(); // a record reserved but not yet queued, or a refused one being given back
                }

                continue;
            }

            if (_timer is not null)
            {
                tick ??= _timer.WaitForNextTickAsync().AsTask();
                if (await Task.WhenAny(tick, wake.Task).ConfigureAwait(false) == tick)
                {
                    tick = null;
                    _tickDue = true;
                }
            }
            else
            {
                await wake.Task.ConfigureAwait(false);
            }

            Interlocked.Exchange(ref _sleeping, 0);
        }
    }

    // Writes what waits now (at most what was reserved when the round began), a batch at a time; then answers the flushes
    // that were asked for before the round began.
    private async Task WriteRoundAsync()
    {
        var flushes = new List<TaskCompletionSource<int>>();
        for (int n = _flushes.Count; n > 0 && _flushes.TryDequeue(out TaskCompletionSource<int>? flush); n--)
        {
            flushes.Add(flush);
        }

        _tickDue = false;
        int budget = Volatile.Read(ref _count);
        int written = 0;
        Exception? failure = null;
        while (budget > 0)
        {
            var entries = new List<Entry>(Math.Min(budget, _options.MaxBatch));
            long size = 0;
            while (size < _options.MaxBatch && budget > 0 && _queue.TryDequeue(out Entry entry))
            {
                entries.Add(entry);
                size += _size is null ? 1 : _size(entry.Record);
                budget--;
            }

            if (entries.Count == 0)
            {
                break;
            }

            Interlocked.Add(ref _count, -entries.Count);
            Exception? failed = await WriteBatchAsync(entries).ConfigureAwait(false);
            failure ??= failed;
            written += entries.Count;
        }

        foreach (TaskCompletionSource<int> flush in flushes)
        {
            if (failure is null)
            {
                flush.TrySetResult(written);
            }
            else
            {
                flush.TrySetException(failure);
            }
        }
    }

    // One batch in one transaction; when it fails (and RetryAlone says so) each record again alone. Returns the failure
    // of a record, if any.
    private async Task<Exception?> WriteBatchAsync(List<Entry> entries)
    {
        var done = new Batch(entries);
        List<TRecord> records = entries.ConvertAll(e => e.Record);
        bool whole = false;
        try
        {
            done.Results = await WriteCheckedAsync(records).ConfigureAwait(false);
            whole = true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (_options.RetryAlone && entries.Count > 1)
            {
                done.Results = new TResult[entries.Count];
                for (int i = 0; i < entries.Count; i++)
                {
                    try
                    {
                        done.Results[i] = (await WriteCheckedAsync([entries[i].Record]).ConfigureAwait(false))[0];
                    }
                    catch (Exception one) when (one is not OutOfMemoryException)
                    {
                        (done.Failures ??= new Exception?[entries.Count])[i] = one;
                        done.Failure ??= one;
                    }
                }
            }
            else
            {
                done.Failure = ex;
            }
        }

        if (entries.Exists(e => e.Completion is not null))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static batch => batch.Complete(), done, preferLocal: false);
        }

        if (whole && _committed is not null)
        {
            try
            {
                await _committed(records).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return ex;
            }
        }

        return done.Failure;
    }

    private async Task<TResult[]> WriteCheckedAsync(List<TRecord> records)
    {
        TResult[] results = await _write(records).ConfigureAwait(false);
        return results.Length == records.Count
            ? results
            : throw new InvalidOperationException($"The batch body returned {results.Length} results for {records.Count} records.");
    }

    private readonly record struct Entry(TRecord Record, TaskCompletionSource<TResult>? Completion);

    /// <summary>A written batch and how it went, for completing its callers.</summary>
    private sealed class Batch(List<Entry> entries)
    {
        public TResult[]? Results { get; set; }

        /// <summary>A record's own failure, when the records were written one by one.</summary>
        public Exception?[]? Failures { get; set; }

        /// <summary>The whole batch's failure, or the first record's.</summary>
        public Exception? Failure { get; set; }

        public void Complete()
        {
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i].Completion is not { } completion)
                {
                    continue;
                }

                Exception? failure = Failures is null ? (Results is null ? Failure : null) : Failures[i];
                if (failure is not null)
                {
                    completion.TrySetException(failure);
                }
                else
                {
                    completion.TrySetResult(Results![i]);
                }
            }
        }
    }
}
