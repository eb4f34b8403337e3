using System.Threading.Channels;
using Network.Noc.TimeSeries;
using Prometheus;

namespace Network.Noc.Ingest;

/// <summary>
/// Feeds a second sink (InfluxDB) with what the embedded store has already taken, so a slow or absent InfluxDB never
/// holds ingest up. Writes wait in a bounded queue and are retried with backoff; when the queue is full the oldest
/// write goes, counted and logged: the embedded store still has those points.
/// </summary>
internal sealed partial class SinkMirror(ITimeSeriesSink sink, ILogger logger, int capacity = 10_000)
{
    private static readonly Counter s_dropped = Metrics.CreateCounter("noc_timeseries_mirror_dropped_points_total",
        "Points a mirror sink lost because its queue was full.", "sink");
    private static readonly Counter s_failures = Metrics.CreateCounter("noc_timeseries_mirror_failures_total", "Failed writes to a mirror sink (retried).", "sink");
    private static readonly Gauge s_depth = Metrics.CreateGauge("noc_timeseries_mirror_queue_writes", "Writes waiting for a mirror sink.", "sink");

    private readonly Channel<IReadOnlyList<SeriesPoint>> _queue = Channel.CreateBounded<IReadOnlyList<SeriesPoint>>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        dropped => s_dropped.WithLabels(sink.Name).Inc(dropped.Count));

    public string Name => sink.Name;

    public void Enqueue(IReadOnlyList<SeriesPoint> points)
    {
        _queue.Writer.TryWrite(points);
        s_depth.WithLabels(sink.Name).Set(_queue.Reader.Count);
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
                    s_failures.WithLabels(sink.Name).Inc();
                    LogMirrorFailed(logger, sink.Name, points.Count, delay.TotalSeconds, ex.Message);
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
                }
            }

            s_depth.WithLabels(sink.Name).Set(_queue.Reader.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Points} points to {Sink} failed ({Error}); retrying in {Seconds} s")]
    private static partial void LogMirrorFailed(ILogger logger, string sink, int points, double seconds, string error);
}
