using System.Diagnostics.Metrics;

namespace Network.Noc.TimeSeries;

/// <summary>
/// The time-series layer's instruments, meter <c>Network.Noc.TimeSeries</c> (ServiceDefaults publishes it on /metrics):
/// points written by sink, write latency by sink, series in the catalogue, points dropped by reason, retention deletions.
/// </summary>
public sealed class TimeSeriesMetrics
{
    public const string MeterName = "Network.Noc.TimeSeries";

    private readonly Counter<long> _points;
    private readonly Histogram<double> _writeSeconds;
    private readonly Counter<long> _series;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _deleted;

    public TimeSeriesMetrics(IMeterFactory meterFactory)
        : this(meterFactory.Create(MeterName))
    {
    }

    internal TimeSeriesMetrics(Meter meter)
    {
        Meter = meter;
        _points = meter.CreateCounter<long>(NocMetricNames.TimeSeriesPointsWritten, description: "Points written, by sink (duplicates included: they are dropped when merged)");
        _writeSeconds = meter.CreateHistogram<double>(NocMetricNames.TimeSeriesWrite, "s", "Time of one write call, by sink");
        // Series are never removed from the catalogue, so a counter fed with the catalogue size at start is the series count.
        _series = meter.CreateCounter<long>(NocMetricNames.TimeSeriesSeries, description: "Series in the embedded store's catalogue");
        _dropped = meter.CreateCounter<long>(NocMetricNames.TimeSeriesPointsDropped, description: "Points the embedded store did not take, by reason");
        _deleted = meter.CreateCounter<long>(NocMetricNames.TimeSeriesRetentionDeleted, description: "Stored chunks and rollup rows removed by retention, by resolution");
    }

    /// <summary>The meter the instruments belong to (tests listen to it).</summary>
    public Meter Meter { get; }

    internal void Written(string sink, int points, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("sink", sink);
        _points.Add(points, tag);
        _writeSeconds.Record(elapsed.TotalSeconds, tag);
    }

    internal void SeriesAdded(int count) => _series.Add(count);

    internal void Dropped(string reason, long count)
    {
        if (count > 0)
        {
            _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    internal void Deleted(string resolution, long rows)
    {
        if (rows > 0)
        {
            _deleted.Add(rows, new KeyValuePair<string, object?>("resolution", resolution));
        }
    }
}
