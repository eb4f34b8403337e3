using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.Noc.Agents;
using Network.Noc.TimeSeries;
using Network.Storage;

namespace Network.Noc.Ingest;

/// <summary>One accepted batch on its way to the store.</summary>
public sealed class IngestWork(string agentId, long sequence, IReadOnlyList<SeriesPoint> points, IReadOnlyList<DeviceEvent> events)
{
    public string AgentId { get; } = agentId;

    public long Sequence { get; } = sequence;

    public IReadOnlyList<SeriesPoint> Points { get; } = points;

    /// <summary>The points as a span (without copying when they are a <see cref="PointBatch"/>, an array or a list).</summary>
    public ReadOnlySpan<SeriesPoint> PointSpan => SeriesPointLists.AsSpan(Points);

    public IReadOnlyList<DeviceEvent> Events { get; } = events;

    /// <summary>The portal's distinct-user sketches per hotspot and month (none from agents).</summary>
    public IReadOnlyList<UserSketch> Sketches { get; init; } = [];

    /// <summary>How many points it brought (still known after <see cref="Release"/>).</summary>
    internal int PointCount { get; } = points.Count;

    /// <summary>
    /// Set by the writer when it takes the batch into a group (before its request hears anything): from then on the writer
    /// gives the points back; a batch the writer refused is given back by its request.
    /// </summary>
    internal bool Taken { get; set; }

    /// <summary>Gives pooled points (a <see cref="PointBatch"/>) back once the writer and every observer are done with them.</summary>
    internal void Release() => (Points as IDisposable)?.Dispose();
}

/// <summary>What the pipeline says to a batch at the door.</summary>
public enum Admission
{
    /// <summary>Taken: submit it.</summary>
    Admitted,

    /// <summary>Its sequence is at or below the last stored for the agent: it is stored already.</summary>
    Duplicate,

    /// <summary>The same batch is being stored right now (a retransmission raced the original).</summary>
    InFlight,

    /// <summary>Too many points wait for the store: come back later (429).</summary>
    Busy,
}

/// <summary>
/// Told about every group of batches once it is stored, one observer after the other in the order they were registered:
/// the inventory (new devices), the status (judging) and the live charts listen. The batches' points are only valid
/// during the call (their arrays go back to a pool afterwards): copy what must be kept.
/// </summary>
public interface IIngestObserver
{
    ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken);
}

/// <summary>
/// From accepted batch to durable points. Requests wait in <see cref="SubmitAsync"/>, so an agent hears 200 only
/// once its samples are on disk, and a crash before that makes it send the batch again (points are idempotent).
/// One writer (the common <see cref="BatchWriter{TRecord, TResult}"/>, group commit) drains every waiting batch into one
/// store write, which is what makes the embedded store fast; a bound on waiting points turns overload into 429 instead
/// of memory growth. Idempotency: the highest
/// stored sequence per agent is kept (in memory, and in the agents table after every write); the agent sends one
/// batch at a time with a strictly rising sequence, so anything at or below it is a copy.
/// </summary>
public sealed partial class IngestPipeline : IAsyncDisposable, IDisposable
{
    private static readonly Counter<long> s_batches = NocMetrics.Counter(NocMetricNames.IngestBatches, "Ingest batches by result.");
    private static readonly Counter<long> s_points = NocMetrics.Counter(NocMetricNames.IngestPointsStored, "Points stored by the ingest writer.");
    private static readonly Gauge<long> s_pending = NocMetrics.Gauge(NocMetricNames.IngestPendingPoints, "Points accepted and waiting for the store.");
    private static readonly Histogram<double> s_writeSeconds = NocMetrics.Meter.CreateHistogram(NocMetricNames.IngestWrite, "s", "Time of one group write to the embedded store.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. Enumerable.Range(0, 14).Select(i => 0.0005 * Math.Pow(2, i))] });

    private readonly BatchWriter<IngestWork, bool> _writer;
    private readonly ConcurrentDictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, long), byte> _inFlight = new();
    private readonly ITimeSeriesSink _store;
    private readonly IReadOnlyList<SinkMirror> _mirrors;
    private readonly AgentService _agents;
    private readonly IEnumerable<IIngestObserver> _observers;
    private readonly IngestOptions _options;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly PointBatch _group = new(0);
    private long _pendingPoints;

    public IngestPipeline(IEnumerable<ITimeSeriesSink> sinks, AgentService agents, IEnumerable<IIngestObserver> observers,
        IOptions<IngestOptions> options, TimeProvider time, ILogger<IngestPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(options);
        var all = sinks.ToList();
        _store = all.FirstOrDefault(s => s.Name == "embedded") ?? all.FirstOrDefault()
            ?? throw new InvalidOperationException("no time-series sink registered");
        _mirrors = [.. all.Where(s => s != _store).Select(s => new SinkMirror(s, logger))];
        _agents = agents;
        _observers = observers;
        _options = options.Value;
        _logger = logger;
        // Waiting batches are bounded in points by Admit (429); the writer's own bound, in batches, is never the one that bites.
        _writer = new BatchWriter<IngestWork, bool>(WriteGroupAsync,
            new BatchWriterOptions { Capacity = int.MaxValue / 2, MaxBatch = _options.MaxPointsPerWrite }, time,
            size: work => work.PointCount, committed: AfterStoredAsync);
    }

    /// <summary>The mirrors (InfluxDB) fed after the embedded store; their loops run in the ingest hosted service.</summary>
    internal IReadOnlyList<SinkMirror> Mirrors => _mirrors;

    /// <summary>Points accepted and not yet stored.</summary>
    public long PendingPoints => Interlocked.Read(ref _pendingPoints);

    /// <summary>Loads the last stored sequence of every agent.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach ((string agent, long sequence) in await _agents.LastSequencesAsync(cancellationToken).ConfigureAwait(false))
        {
            _lastSequence[agent] = sequence;
        }
    }

    /// <summary>Whether a batch may come in; <see cref="Admission.Admitted"/> reserves its place until <see cref="SubmitAsync"/> finishes.</summary>
    public Admission Admit(string agentId, long sequence, int points)
    {
        if (sequence <= _lastSequence.GetValueOrDefault(agentId))
        {
            s_batches.Add(1, NocMetrics.Tag("result", "duplicate"));
            return Admission.Duplicate;
        }

        if (Interlocked.Read(ref _pendingPoints) + points > _options.MaxPendingPoints)
        {
            s_batches.Add(1, NocMetrics.Tag("result", "busy"));
            return Admission.Busy;
        }

        if (!_inFlight.TryAdd((agentId, sequence), 0))
        {
            s_batches.Add(1, NocMetrics.Tag("result", "in_flight"));
            return Admission.InFlight;
        }

        return Admission.Admitted;
    }

    /// <summary>Queues an admitted batch (the pipeline owns its points from here on); the task completes when it is stored.</summary>
    public async Task SubmitAsync(IngestWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        s_pending.Record(Interlocked.Add(ref _pendingPoints, work.PointCount));
        Task<bool> stored = _writer.WriteAsync(work);
        try
        {
            // The request may give up waiting (client gone); the batch is stored all the same.
            await stored.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (stored.IsFaulted && !work.Taken)
        {
            // Refused by a stopped writer (a batch that failed in the store was given back by the writer).
            s_pending.Record(Interlocked.Add(ref _pendingPoints, -work.PointCount));
            work.Release();
            throw;
        }
        finally
        {
            _inFlight.TryRemove((work.AgentId, work.Sequence), out _);
        }
    }

    /// <summary>
    /// The writer's transaction body: stores a group of batches (up to <see cref="IngestOptions.MaxPointsPerWrite"/> points,
    /// or one larger batch) in one write and records the sequences; their requests are answered once it returns.
    /// </summary>
    private async Task<bool[]> WriteGroupAsync(IReadOnlyList<IngestWork> group)
    {
        long count = 0;
        foreach (IngestWork work in group)
        {
            work.Taken = true;
            count += work.PointCount;
        }

        IReadOnlyList<SeriesPoint> points = group.Count == 1 ? group[0].Points : Concatenate(group);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _store.WriteAsync(points, CancellationToken.None).ConfigureAwait(false);
            var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (IngestWork work in group)
            {
                sequences[work.AgentId] = Math.Max(sequences.GetValueOrDefault(work.AgentId), work.Sequence);
            }

            await _agents.SaveSequencesAsync(sequences, CancellationToken.None).ConfigureAwait(false);
            foreach ((string agent, long sequence) in sequences)
            {
                _lastSequence.AddOrUpdate(agent, sequence, (_, old) => Math.Max(old, sequence));
            }
        }
        catch (Exception ex)
        {
            LogWriteFailed(_logger, group.Count, points.Count, ex);
            s_batches.Add(group.Count, NocMetrics.Tag("result", "store_failed"));
            _group.Clear();
            s_pending.Record(Interlocked.Add(ref _pendingPoints, -count));
            foreach (IngestWork work in group)
            {
                work.Release();
            }

            throw;
        }

        s_writeSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        s_points.Add(points.Count);
        s_batches.Add(group.Count, NocMetrics.Tag("result", "stored"));
        if (_mirrors.Count > 0)
        {
            // The mirrors keep the points in their queues: a copy of their own (the batches' arrays go back to the pool).
            SeriesPoint[] copy = points is PointBatch pooled ? pooled.ToArray() : [.. points];
            foreach (SinkMirror mirror in _mirrors)
            {
                mirror.Enqueue(copy);
            }
        }

        s_pending.Record(Interlocked.Add(ref _pendingPoints, -count));
        return new bool[group.Count];
    }

    /// <summary>After a stored group's requests are answered: tells the observers, then gives the points back.</summary>
    private async Task AfterStoredAsync(IReadOnlyList<IngestWork> group)
    {
        foreach (IIngestObserver observer in _observers)
        {
            try
            {
                await observer.OnStoredAsync(group, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogObserverFailed(_logger, observer.GetType().Name, ex);
            }
        }

        foreach (IngestWork work in group)
        {
            work.Release();
        }

        // The group array stays with the writer, emptied (so it holds no strings of old batches).
        _group.Clear();
    }

    /// <summary>The points of several batches as one write, in the writer's own reused array.</summary>
    private PointBatch Concatenate(IReadOnlyList<IngestWork> group)
    {
        _group.Clear();
        foreach (IngestWork work in group)
        {
            if (work.Points is PointBatch pooled)
            {
                _group.AddRange(pooled.Span);
            }
            else
            {
                foreach (SeriesPoint point in work.Points)
                {
                    _group.Add(point);
                }
            }
        }

        return _group;
    }

    /// <summary>Stops taking batches and stores what was accepted (their agents are waiting for the answer).</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _group.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Batches} batches ({Points} points) failed; the agents will send them again")]
    private static partial void LogWriteFailed(ILogger logger, int batches, int points, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Observer} failed on stored batches")]
    private static partial void LogObserverFailed(ILogger logger, string observer, Exception ex);
}
