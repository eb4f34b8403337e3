using Microsoft.Extensions.Time.Testing;
using Network.Storage;

namespace Network.CaptivePortal.Tests.Storage;

/// <summary>
/// The one batching writer (common/Storage) on its own: records from many callers go into one batch, each caller hears
/// how its own record went, a failed batch fails only its callers, the interval runs on the given clock, and stopping
/// writes what waits.
/// </summary>
public sealed class BatchWriterTests
{
    // A bound on waiting for the loop's own thread; never how long a test takes when it passes.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Records_that_arrive_while_a_batch_is_written_go_together_into_the_next_and_each_caller_gets_its_result()
    {
        var body = new RecordingBody();
        TaskCompletionSource firstGate = body.GateNext();
        await using var writer = new BatchWriter<string, int>(body.WriteAsync, new BatchWriterOptions(), TimeProvider.System);

        Task<int> first = writer.WriteAsync("a");
        await body.Entered.WaitAsync(Patience); // the first batch is in its transaction
        Task<int>[] rest = [.. Enumerable.Range(0, 10).Select(i => writer.WriteAsync("r" + i))];
        firstGate.SetResult();

        Assert.Equal(1, await first.WaitAsync(Patience));
        int[] results = await Task.WhenAll(rest).WaitAsync(Patience);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => ("r" + i).Length)], results);
        Assert.Equal([["a"], [.. Enumerable.Range(0, 10).Select(i => "r" + i)]], body.Batches);
    }

    [Fact]
    public async Task A_failed_batch_fails_its_callers_and_not_the_next_batch()
    {
        var body = new RecordingBody { FailOn = "bad" };
        await using var writer = new BatchWriter<string, int>(body.WriteAsync, new BatchWriterOptions(), TimeProvider.System);

        InvalidDataException failure = await Assert.ThrowsAsync<InvalidDataException>(() => writer.WriteAsync("bad").WaitAsync(Patience));
        Assert.Contains("bad", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, await writer.WriteAsync("good").WaitAsync(Patience));
    }

    [Fact]
    public async Task With_retry_alone_one_bad_record_fails_only_its_own_caller()
    {
        var body = new RecordingBody { FailOn = "bad" };
        TaskCompletionSource gate = body.GateNext();
        await using var writer = new BatchWriter<string, int>(body.WriteAsync, new BatchWriterOptions { RetryAlone = true }, TimeProvider.System);
        Task<int> opener = writer.WriteAsync("x");
        await body.Entered.WaitAsync(Patience);
        Task<int> before = writer.WriteAsync("one");
        Task<int> bad = writer.WriteAsync("bad");
        Task<int> after = writer.WriteAsync("three");
        gate.SetResult();

        Assert.Equal(1, await opener.WaitAsync(Patience));
        Assert.Equal(3, await before.WaitAsync(Patience));
        await Assert.ThrowsAsync<InvalidDataException>(() => bad.WaitAsync(Patience));
        Assert.Equal(5, await after.WaitAsync(Patience));
    }

    [Fact]
    public async Task With_an_interval_records_wait_for_the_clock_or_a_flush()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(Random.Shared.Next(16_000, 24_000)));
        var body = new RecordingBody();
        await using var writer = new BatchWriter<string, int>(body.WriteAsync,
            new BatchWriterOptions { Interval = TimeSpan.FromSeconds(5) }, time);

        Assert.True(writer.TryPost("a"));
        Assert.True(writer.TryPost("b"));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(body.Batches); // nothing else wakes the loop: no tick yet
        Assert.Equal(2, writer.Pending);

        Task written = body.NextBatch();
        time.Advance(TimeSpan.FromSeconds(1));
        await written.WaitAsync(Patience);
        Assert.Equal([["a", "b"]], body.Batches);

        Assert.True(writer.TryPost("c"));
        Assert.Equal(1, await writer.FlushAsync().WaitAsync(Patience)); // before the next tick
        Assert.Equal(0, writer.Pending);
        Assert.Equal(0, await writer.FlushAsync().WaitAsync(Patience));
    }

    [Fact]
    public async Task Without_a_clock_a_full_batch_is_written_without_waiting_for_a_flush()
    {
        var body = new RecordingBody();
        await using var writer = new BatchWriter<string, int>(body.WriteAsync,
            new BatchWriterOptions { Interval = Timeout.InfiniteTimeSpan, MaxBatch = 3 }, TimeProvider.System);
        Task written = body.NextBatch();
        Assert.True(writer.TryPost("a"));
        Assert.True(writer.TryPost("b"));
        Assert.Empty(body.Batches);
        Assert.True(writer.TryPost("c"));
        await written.WaitAsync(Patience);
        Assert.Equal([["a", "b", "c"]], body.Batches);
    }

    [Fact]
    public async Task The_queue_is_bounded()
    {
        var body = new RecordingBody();
        TaskCompletionSource gate = body.GateNext();
        await using var writer = new BatchWriter<string, int>(body.WriteAsync, new BatchWriterOptions { Capacity = 2 }, TimeProvider.System);
        Task<int> inBatch = writer.WriteAsync("a");
        await body.Entered.WaitAsync(Patience);
        Task<int> second = writer.WriteAsync("b");
        Task<int> third = writer.WriteAsync("c");
        InvalidOperationException full = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync("d"));
        Assert.Contains("more than 2 records", full.Message, StringComparison.Ordinal);
        Assert.False(writer.TryPost("e"));

        gate.SetResult();
        int[] results = await Task.WhenAll(inBatch, second, third).WaitAsync(Patience);
        Assert.Equal([1, 1, 1], results);
        Assert.True(writer.TryPost("f")); // room again
    }

    [Fact]
    public async Task Stopping_writes_what_waits_then_refuses_new_records()
    {
        var body = new RecordingBody();
        var writer = new BatchWriter<string, int>(body.WriteAsync,
            new BatchWriterOptions { Interval = Timeout.InfiniteTimeSpan }, TimeProvider.System);
        Assert.True(writer.TryPost("a"));
        Assert.True(writer.TryPost("b"));
        Task<int> waiting = writer.WriteAsync("ccc");

        await writer.DisposeAsync();

        Assert.Equal(3, await waiting.WaitAsync(Patience));
        Assert.Equal(["a", "b", "ccc"], body.Batches.SelectMany(b => b));
        Assert.False(writer.TryPost("late"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync("late"));
    }

    [Fact]
    public async Task With_a_size_a_record_a_batch_takes_records_while_their_sizes_are_below_max_batch()
    {
        var body = new RecordingBody();
        TaskCompletionSource gate = body.GateNext();
        await using var writer = new BatchWriter<string, int>(body.WriteAsync, new BatchWriterOptions { MaxBatch = 5 }, TimeProvider.System,
            size: r => r.Length);
        Task<int> opener = writer.WriteAsync("x");
        await body.Entered.WaitAsync(Patience);
        Task<int>[] queued = [.. new[] { "aaa", "bb", "c", "dddddddd", "e" }.Select(writer.WriteAsync)];
        gate.SetResult();

        await Task.WhenAll([opener, .. queued]).WaitAsync(Patience);
        // 3 + 2 reaches 5; "c" alone is below, so "dddddddd" joins it (a record never waits for lack of room); then "e".
        Assert.Equal([["x"], ["aaa", "bb"], ["c", "dddddddd"], ["e"]], body.Batches);
    }

    [Fact]
    public async Task The_committed_step_sees_each_committed_batch_after_its_callers_are_answered_and_before_the_next_batch()
    {
        var body = new RecordingBody { FailOn = "bad" };
        var seen = new List<string[]>();
        TaskCompletionSource stepGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource inStep = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var writer = new BatchWriter<string, int>(body.WriteAsync, new BatchWriterOptions(), TimeProvider.System,
            committed: async records =>
            {
                seen.Add([.. records]);
                if (seen.Count == 1)
                {
                    inStep.SetResult();
                    await stepGate.Task;
                }
            });

        Task<int> first = writer.WriteAsync("a");
        await inStep.Task.WaitAsync(Patience);
        Assert.Equal(1, await first.WaitAsync(Patience)); // answered while the step still runs
        Task<int> second = writer.WriteAsync("bb");
        Assert.Equal([["a"]], body.Batches); // the next batch waits for the step
        stepGate.SetResult();
        Assert.Equal(2, await second.WaitAsync(Patience));
        await Assert.ThrowsAsync<InvalidDataException>(() => writer.WriteAsync("bad").WaitAsync(Patience));
        Assert.Equal(0, await writer.FlushAsync().WaitAsync(Patience));

        Assert.Equal([["a"], ["bb"]], seen); // not the failed batch
    }

    [Fact]
    public async Task A_failing_committed_step_fails_the_flush_of_its_round_and_not_the_callers()
    {
        var body = new RecordingBody();
        await using var writer = new BatchWriter<string, int>(body.WriteAsync, new BatchWriterOptions { Interval = Timeout.InfiniteTimeSpan },
            TimeProvider.System, committed: _ => throw new InvalidDataException("observer broke"));
        Task<int> written = writer.WriteAsync("abc");

        await Assert.ThrowsAsync<InvalidDataException>(() => writer.FlushAsync().WaitAsync(Patience));
        Assert.Equal(3, await written.WaitAsync(Patience));
        Assert.Equal(0, await writer.FlushAsync().WaitAsync(Patience)); // a round without batches has no step to fail
    }

    /// <summary>A transaction body that records its batches, answers each record with its length, and can be held.</summary>
    private sealed class RecordingBody
    {
        private readonly Lock _lock = new();
        private readonly List<string[]> _batches = [];
        private TaskCompletionSource? _gate;
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _written;

        public string? FailOn { get; init; }

        public Task Entered => _entered.Task;

        public IReadOnlyList<string[]> Batches
        {
            get
            {
                lock (_lock)
                {
                    return [.. _batches];
                }
            }
        }

        /// <summary>The next batch waits in its transaction until the returned source is set.</summary>
        public TaskCompletionSource GateNext() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the next batch has been written.</summary>
        public Task NextBatch() => (_written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public async Task<int[]> WriteAsync(IReadOnlyList<string> records)
        {
            _entered.TrySetResult();
            if (Interlocked.Exchange(ref _gate, null) is { } gate)
            {
                await gate.Task;
            }

            if (FailOn is { } bad && records.Contains(bad))
            {
                throw new InvalidDataException($"record '{bad}' cannot be stored");
            }

            lock (_lock)
            {
                _batches.Add([.. records]);
            }

            Interlocked.Exchange(ref _written, null)?.TrySetResult();
            return [.. records.Select(r => r.Length)];
        }
    }
}
