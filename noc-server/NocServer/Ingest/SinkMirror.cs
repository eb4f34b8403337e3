using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>
/// Feeds a second sink (InfluxDB) with what the embedded store has already taken, so a slow or absent InfluxDB never
/// holds ingest up. Writes wait in a bounded queue and are retried with backoff; when the queue is full the oldest
/// write goes, counted and logged: the embedded store still has those points.
/// </summary>
internal sealed partial class SinkMirror(ITimeSeriesSink sink, ILogger logger, int capacity = 10_000)
{
    private static readonly Counter<long> s_dropped = NocMetrics.Counter(NocMetricNames.MirrorDroppedPoints,
        "Points a mirror sink lost because its queue was full.");
    private static readonly Counter<long> s_failures = NocMetrics.Counter(NocMetricNames.MirrorFailures, "Failed writes to a mirror sink (retried).");
    private static readonly Gauge<long> s_depth = NocMetrics.Gauge(NocMetricNames.MirrorQueueWrites, "Writes waiting for a mirror sink.");

    private readonly Channel<IReadOnlyList<SeriesPoint>> _queue = Channel.CreateBounded<IReadOnlyList<SeriesPoint>>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        dropped => s_dropped.Add(dropped.Count, NocMetrics.Tag("sink", sink.Name)));

    public string Name => sink.Name;

    public void Enqueue(IReadOnlyList<SeriesPoint> points)
    {
        _queue.Writer.TryWrite(points);
        s_depth.Record(_queue.Reader.Count, NocMetrics.Tag("sink", sink.Name));
    }

    /// <summary>Writes queued points until stopped; a failed write is retried (1 s, doubling to 60 s) before the next.</summary>
    public async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        await foreach (IReadOnlyList<SeriesPoint> points in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            TimeSpan delay = TimeSpan.FromSeconds(1);
            while (true)
            {
                try
                {
                    await sink.WriteAsync(points, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    s_failures.Add(1, NocMetrics.Tag("sink", sink.Name));
                    LogMirrorFailed(logger, sink.Name, points.Count, delay.TotalSeconds, ex.Message);
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
                }
            }

            s_depth.Record(_queue.Reader.Count, NocMetrics.Tag("sink", sink.Name));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Points} points to {Sink} failed ({Error}); retrying in {Seconds} s")]
    private static partial void LogMirrorFailed(ILogger logger, string sink, int points, double seconds, string error);
}
