using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Network.Metrics;

/// <summary>How an instrument's measurements add up, and the Prometheus type it is written as.</summary>
internal enum InstrumentKind
{
    /// <summary><see cref="Counter{T}"/>: measurements add up, written as <c>counter</c>.</summary>
    Counter,

    /// <summary><see cref="UpDownCounter{T}"/>: measurements add up, written as <c>gauge</c>.</summary>
    UpDownCounter,

    /// <summary><see cref="Gauge{T}"/>: the last measurement, written as <c>gauge</c>.</summary>
    Gauge,

    /// <summary><see cref="Histogram{T}"/>: buckets, sum and count.</summary>
    Histogram,

    /// <summary><see cref="ObservableCounter{T}"/>: the total as observed at a scrape, written as <c>counter</c>.</summary>
    ObservableCounter,

    /// <summary><see cref="ObservableUpDownCounter{T}"/> and <see cref="ObservableGauge{T}"/>: the value observed at a scrape.</summary>
    ObservableGauge,
}

/// <summary>One series: its labels, written once, and its value (or buckets).</summary>
internal sealed class Series(string labels, int buckets)
{
    /// <summary><c>a="x",b="y"</c>, escaped, without braces; empty for no tags.</summary>
    public readonly string Labels = labels;

    /// <summary>Whole-number measurements add here (one interlocked add), fractional ones to <see cref="Double"/>.</summary>
    public long Long;

    public double Double;

    /// <summary>A histogram's count per bucket (not cumulative; the last is <c>+Inf</c>).</summary>
    public readonly long[]? Buckets = buckets > 0 ? new long[buckets] : null;

    /// <summary>The collection that last observed this series (observable instruments only).</summary>
    public long Observed;

    public double Value => Volatile.Read(ref Long) + Volatile.Read(ref Double);

    public void Add(double value)
    {
        double seen = Volatile.Read(ref Double);
        while (true)
        {
            double found = Interlocked.CompareExchange(ref Double, seen + value, seen);
            if (found.Equals(seen))
            {
                return;
            }

            seen = found;
        }
    }
}

/// <summary>
/// One instrument the exporter listens to: its series by tag set, at most <see cref="_maxSeries"/> of them (further tag
/// sets are counted in <see cref="Overflow"/> and not recorded). A tag set seen before costs one dictionary lookup and
/// one interlocked add, with no allocation.
/// </summary>
internal sealed class ExportedInstrument
{
    /// <summary>Bucket bounds in seconds for a duration histogram without advice: 0.1 ms to about 3.3 s, doubling.</summary>
    private static readonly double[] s_secondsBuckets = [.. Enumerable.Range(0, 16).Select(i => 0.0001 * Math.Pow(2, i))];

    /// <summary>The Prometheus client libraries' default buckets, for a histogram in another unit and without advice.</summary>
    private static readonly double[] s_defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<TagKey, Series> _series = new();

    /// <summary>
    /// The first series made, in order, looked at before the dictionary (most instruments have no more); not for
    /// observable instruments, whose series come and go.
    /// </summary>
    private readonly First?[] _first = new First?[4];
    private readonly int _maxSeries;
    private long _overflow;

    public ExportedInstrument(Instrument instrument, InstrumentKind kind, int maxSeries, double[]? bounds)
    {
        Instrument = instrument;
        Kind = kind;
        _maxSeries = maxSeries;
        Name = Exposition.FamilyName(instrument.Name, instrument.Unit, kind is InstrumentKind.Counter or InstrumentKind.ObservableCounter);
        Help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
        if (kind == InstrumentKind.Histogram)
        {
            Bounds = bounds ?? (instrument.Unit == "s" ? s_secondsBuckets : s_defaultBuckets);
        }
    }

    public Instrument Instrument { get; }

    public InstrumentKind Kind { get; }

    /// <summary>The family name on /metrics.</summary>
    public string Name { get; }

    public string Help { get; }

    public string Type => Kind switch
    {
        InstrumentKind.Counter or InstrumentKind.ObservableCounter => "counter",
        InstrumentKind.Histogram => "histogram",
        _ => "gauge",
    };

    /// <summary>A histogram's upper bounds, ascending, without <c>+Inf</c>.</summary>
    public double[] Bounds { get; } = [];

    /// <summary>Measurements not recorded because their tag set would have been one series too many.</summary>
    public long Overflow => Interlocked.Read(ref _overflow);

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (Kind)
        {
            case InstrumentKind.Counter when value < 0:
                return; // a counter never goes down
            case InstrumentKind.Counter or InstrumentKind.UpDownCounter:
                if (Find(tags) is { } series)
                {
                    Interlocked.Add(ref series.Long, value);
                }

                return;
            default:
                Record((double)value, tags);
                return;
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Kind == InstrumentKind.Counter && !(value >= 0))
        {
            return; // negative or NaN: a counter never goes down
        }

        if (Find(tags) is not { } series)
        {
            return;
        }

        switch (Kind)
        {
            case InstrumentKind.Counter or InstrumentKind.UpDownCounter:
                series.Add(value);
                break;
            case InstrumentKind.Histogram:
                double[] bounds = Bounds;
                int i = 0;
                while (i < bounds.Length && value > bounds[i])
                {
                    i++;
                }

                Interlocked.Increment(ref series.Buckets![i]);
                series.Add(value);
                break;
            default:
                // A gauge, or an observable instrument's value at this collection: the last one counts.
                Volatile.Write(ref series.Double, value);
                Volatile.Write(ref series.Observed, ObservedCollection);
                break;
        }
    }

    /// <summary>The collection under way (observable instruments mark the series they report with it).</summary>
    public long ObservedCollection { get; set; }

    /// <summary>The series to write, in label order; an observable instrument's series that its last collection did not report are forgotten.</summary>
    public List<Series> Snapshot()
    {
        bool observable = Kind is InstrumentKind.ObservableCounter or InstrumentKind.ObservableGauge;
        var list = new List<Series>(_series.Count);
        foreach (KeyValuePair<TagKey, Series> pair in _series)
        {

            if (observable && pair.Value.Observed != ObservedCollection)
            {
                _series.TryRemove(pair);
                continue;
            }

            list.Add(pair.Value);
        }

        return list;
    }

    private Series? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The first few series are compared tag by tag (a reference comparison each, for the same strings every time):
        // cheaper than hashing a key for the dictionary.
        First?[] first = _first;
        for (int i = 0; i < first.Length; i++)
        {
            if (first[i] is not { } candidate)
            {
                break;
            }

            if (candidate.Matches(tags))
            {
                return candidate.Series;
            }
        }

        var key = new TagKey(tags);
        return _series.TryGetValue(key, out Series? series) ? series : Add(key);
    }

    private Series? Add(TagKey key)
    {
        lock (_series)
        {
            if (_series.TryGetValue(key, out Series? series))
            {
                return series;
            }

            if (_series.Count >= _maxSeries)
            {
                Interlocked.Increment(ref _overflow);
                return null;
            }

            KeyValuePair<string, object?>[] tags = key.ToArray();
            series = new Series(Labels(tags), Kind == InstrumentKind.Histogram ? Bounds.Length + 1 : 0);
            _series[key] = series;
            int index = Array.IndexOf(_first, null);
            if (index >= 0 && Kind is not (InstrumentKind.ObservableCounter or InstrumentKind.ObservableGauge))
            {
                Volatile.Write(ref _first[index], new First(tags, series));
            }

            return series;
        }
    }

    private static string Labels(KeyValuePair<string, object?>[] tags)
    {
        var text = new StringBuilder();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(Exposition.LabelName(tag.Key)).Append("=\"");
            Exposition.AppendLabelValue(text, Exposition.LabelValue(tag.Value));
            text.Append('"');
        }

        return text.ToString();
    }
}

/// <summary>One of an instrument's first series and its tags, compared without hashing.</summary>
internal sealed class First(KeyValuePair<string, object?>[] tags, Series series)
{
    public Series Series { get; } = series;

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
    {
        if (other.Length != tags.Length)
        {
            return false;
        }

        for (int i = 0; i < tags.Length; i++)
        {
            KeyValuePair<string, object?> a = tags[i], b = other[i];
            if (!(ReferenceEquals(a.Key, b.Key) || string.Equals(a.Key, b.Key, StringComparison.Ordinal))
                || !(ReferenceEquals(a.Value, b.Value) || (a.Value is not null && a.Value.Equals(b.Value))))
            {
                return false;
            }
        }

        return true;
    }
}
