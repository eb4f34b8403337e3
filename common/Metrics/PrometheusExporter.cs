using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Network.Metrics;

/// <summary>What a <see cref="PrometheusExporter"/> listens to and how many series it keeps.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>Every meter of the platform (the process metrics' <see cref="ProcessMetrics.MeterName"/> included).</summary>
    public const string PlatformMeters = "Network.";

    /// <summary>The default series limit of one instrument.</summary>
    public const int DefaultMaxSeriesPerInstrument = 10_000;

    /// <summary>Meters exported: a meter whose name equals one of these or starts with it (<c>Network.</c> takes every meter of the platform).</summary>
    public IReadOnlyList<string> Meters { get; init; } = [PlatformMeters];

    /// <summary>
    /// Tag sets one instrument keeps at most: a measurement with a further tag set is not recorded but counted in
    /// <c>metrics_series_limit_dropped_total{metric}</c>, so nobody can grow /metrics without bound.
    /// </summary>
    public int MaxSeriesPerInstrument { get; init; } = DefaultMaxSeriesPerInstrument;
}

/// <summary>
/// The one metrics exporter of the platform: listens to the <c>System.Diagnostics.Metrics</c> instruments of the chosen
/// meters (<see cref="PrometheusExporterOptions.Meters"/>) and writes them in the Prometheus text exposition format 0.0.4:
/// <c>HELP</c> and <c>TYPE</c> for each family, counters as <c>NAME_total</c>, histograms as cumulative
/// <c>NAME_bucket{le}</c>, <c>NAME_sum</c>, <c>NAME_count</c>, families in name order and series in label order.
/// Instruments of the same name (two meters of one name, one per host in tests) are written as one family, their series
/// added up.
/// </summary>
/// <remarks>
/// A measurement reaches <see cref="ExportedInstrument.Record(long, ReadOnlySpan{KeyValuePair{string, object?}})"/>
/// straight from the instrument: a tag set seen before costs one lookup and one interlocked add, and allocates nothing.
/// Observable instruments are read at each <see cref="Collect"/>.
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of <see cref="Collect"/>'s text.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The family counting measurements refused by the series limit, by metric.</summary>
    public const string LimitDroppedName = "metrics_series_limit_dropped_total";

    private readonly MeterListener _listener;
    private readonly PrometheusExporterOptions _options;
    private readonly List<ExportedInstrument> _instruments = [];
    private readonly Lock _lock = new();
    private long _collections;

    public PrometheusExporter(PrometheusExporterOptions? options = null)
    {
        _options = options ?? new PrometheusExporterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxSeriesPerInstrument, 1, nameof(options));
        ProcessMetrics.EnsureCreated();
        _listener = new MeterListener
        {
            InstrumentPublished = Publish,
            MeasurementsCompleted = (instrument, state) =>
            {
                lock (_lock)
                {
                    _instruments.Remove((ExportedInstrument)state!);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((ExportedInstrument)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Every exported instrument's series, observable ones read now.</summary>
    public string Collect()
    {
        var text = new StringBuilder(4096);
        lock (_lock)
        {
            long collection = ++_collections;
            foreach (ExportedInstrument instrument in _instruments)
            {
                instrument.ObservedCollection = collection;
            }

            _listener.RecordObservableInstruments();
            foreach (IGrouping<string, ExportedInstrument> family in _instruments.GroupBy(i => i.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                WriteFamily(text, [.. family]);
            }

            WriteLimitDropped(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Publish(Instrument instrument, MeterListener listener)
    {
        if (!Exported(instrument.Meter.Name) || KindOf(instrument) is not { } kind)
        {
            return;
        }

        var exported = new ExportedInstrument(instrument, kind, _options.MaxSeriesPerInstrument, BucketAdvice(instrument));
        lock (_lock)
        {
            _instruments.Add(exported);
        }

        listener.EnableMeasurementEvents(instrument, exported);
    }

    private bool Exported(string meter)
    {
        foreach (string name in _options.Meters)
        {
            if (meter.StartsWith(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static InstrumentKind? KindOf(Instrument instrument) => instrument switch
    {
        Counter<long> or Counter<int> or Counter<short> or Counter<byte> or Counter<double> or Counter<float> => InstrumentKind.Counter,
        UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<short> or UpDownCounter<byte> or UpDownCounter<double> or UpDownCounter<float> => InstrumentKind.UpDownCounter,
        Gauge<long> or Gauge<int> or Gauge<short> or Gauge<byte> or Gauge<double> or Gauge<float> => InstrumentKind.Gauge,
        Histogram<long> or Histogram<int> or Histogram<short> or Histogram<byte> or Histogram<double> or Histogram<float> => InstrumentKind.Histogram,
        ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<short> or ObservableCounter<byte> or ObservableCounter<double> or ObservableCounter<float> => InstrumentKind.ObservableCounter,
        ObservableUpDownCounter<long> or ObservableUpDownCounter<int> or ObservableUpDownCounter<short> or ObservableUpDownCounter<byte> or ObservableUpDownCounter<double> or ObservableUpDownCounter<float> => InstrumentKind.ObservableGauge,
        ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<short> or ObservableGauge<byte> or ObservableGauge<double> or ObservableGauge<float> => InstrumentKind.ObservableGauge,
        _ => null, // decimal: no instrument of the platform uses it
    };

    /// <summary>The bucket bounds the instrument advises (<see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/>), as doubles.</summary>
    private static double[]? BucketAdvice(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } b } => [.. b],
        Histogram<float> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(v => (double)v)],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(v => (double)v)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(v => (double)v)],
        _ => null,
    };

    private static void WriteFamily(StringBuilder text, ExportedInstrument[] instruments)
    {
        ExportedInstrument first = instruments[0];
        string name = first.Name;

        // Series of the same labels from several instruments (the same name on two meters) add up.
        var series = new SortedDictionary<string, (double Value, long[]? Buckets)>(StringComparer.Ordinal);
        foreach (ExportedInstrument instrument in instruments)
        {
            if (instrument.Type != first.Type || !instrument.Bounds.AsSpan().SequenceEqual(first.Bounds))
            {
                continue; // the same name with another type or buckets would be invalid text: the first one wins
            }

            foreach (Series s in instrument.Snapshot())
            {
                series.TryGetValue(s.Labels, out (double Value, long[]? Buckets) sum);
                long[]? buckets = null;
                if (s.Buckets is not null)
                {
                    buckets = sum.Buckets ?? new long[s.Buckets.Length];
                    for (int i = 0; i < buckets.Length; i++)
                    {
                        buckets[i] += Interlocked.Read(ref s.Buckets[i]);
                    }
                }

                series[s.Labels] = (sum.Value + s.Value, buckets);
            }
        }

        if (series.Count == 0 && first.Kind is InstrumentKind.Counter or InstrumentKind.UpDownCounter)
        {
            series[""] = (0, null); // not measured yet: 0, as an unlabelled counter reads before its first event
        }

        text.Append("# HELP ").Append(name).Append(' ');
        Exposition.AppendHelp(text, first.Help);
        text.Append("\n# TYPE ").Append(name).Append(' ').Append(first.Type).Append('\n');
        foreach ((string labels, (double value, long[]? buckets)) in series)
        {
            if (buckets is null)
            {
                WriteSample(text, name, labels, null, value);
                continue;
            }

            long cumulative = 0;
            for (int i = 0; i < buckets.Length; i++)
            {
                cumulative += buckets[i];
                WriteSample(text, name + "_bucket", labels, i < first.Bounds.Length ? first.Bounds[i] : double.PositiveInfinity, cumulative);
            }

            WriteSample(text, name + "_sum", labels, null, value);
            WriteSample(text, name + "_count", labels, null, cumulative);
        }
    }

    private void WriteLimitDropped(StringBuilder text)
    {
        var dropped = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (ExportedInstrument instrument in _instruments)
        {
            if (instrument.Overflow > 0)
            {
                dropped[instrument.Name] = dropped.GetValueOrDefault(instrument.Name) + instrument.Overflow;
            }
        }

        text.Append("# HELP ").Append(LimitDroppedName).Append(" Measurements not recorded because their metric had as many series as it may keep, by metric.\n");
        text.Append("# TYPE ").Append(LimitDroppedName).Append(" counter\n");
        foreach ((string metric, long count) in dropped)
        {
            text.Append(LimitDroppedName).Append("{metric=\"").Append(metric).Append("\"} ")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void WriteSample(StringBuilder text, string name, string labels, double? le, double value)
    {
        text.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            text.Append('{').Append(labels);
            if (le is { } bound)
            {
                text.Append(labels.Length > 0 ? ",le=\"" : "le=\"");
                Exposition.AppendValue(text, bound);
                text.Append('"');
            }

            text.Append('}');
        }

        text.Append(' ');
        Exposition.AppendValue(text, value);
        text.Append('\n');
    }
}
