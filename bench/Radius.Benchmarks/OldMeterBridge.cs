using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace Network.Radius.Benchmarks;

/// <summary>
/// The bridge the services had before common/Metrics (common/ServiceDefaults/LibraryMeters.cs with prometheus-net 8.2.1),
/// kept here only as the "before" of <see cref="MetricsBench"/>; it listens to one meter, named when started.
/// Publishes the platform libraries' System.Diagnostics.Metrics instruments (meters named <c>Network.*</c>, such as the
/// RADIUS server's) in prometheus-net's registry: counters as <c>NAME_total</c>, histograms in seconds buckets, tags
/// as labels. The libraries stay free of any Prometheus dependency.
/// </summary>
/// <remarks>
/// Measurements arrive on the libraries' hot paths (every RADIUS request), so a measurement whose tag set was seen before
/// costs one dictionary lookup on a struct key and no allocation: each instrument keeps its own map from tag set to the
/// prometheus-net child it feeds.
/// </remarks>
internal static class OldMeterBridge
{
    private static MeterListener? s_listener;

    public static void Publish(string meter)
    {
        if (Interlocked.CompareExchange(ref s_listener, new MeterListener(), null) is not null)
        {
            return;
        }

        MeterListener listener = s_listener;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meter
                && instrument is Counter<long> or Counter<double> or Histogram<long> or Histogram<double>)
            {
                l.EnableMeasurementEvents(instrument, new PublishedInstrument(instrument));
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((PublishedInstrument)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((PublishedInstrument)state!).Record(value, tags));
        listener.Start();
    }

    /// <summary>One library instrument and the prometheus-net children its tag sets feed.</summary>
    private sealed class PublishedInstrument(Instrument instrument)
    {
        private readonly ConcurrentDictionary<TagSet, Action<double>> _children = new();

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = new TagSet(tags);
            if (!_children.TryGetValue(key, out Action<double>? child))
            {
                child = _children.GetOrAdd(key, Create(tags));
            }

            child(value);
        }

        private Action<double> Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string[] names = new string[tags.Length];
            string[] values = new string[tags.Length];
            for (int i = 0; i < tags.Length; i++)
            {
                names[i] = tags[i].Key;
                values[i] = tags[i].Value?.ToString() ?? "";
            }

            string help = instrument.Description ?? instrument.Name;
            if (instrument is Counter<long> or Counter<double>)
            {
                Counter.Child counter = Prometheus.Metrics.CreateCounter(instrument.Name + "_total", help, names).WithLabels(values);
                return counter.Inc;
            }

            Histogram.Child histogram = Prometheus.Metrics.CreateHistogram(instrument.Name + (instrument.Unit == "s" ? "_seconds" : ""), help,
                new HistogramConfiguration { LabelNames = names, Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) }).WithLabels(values);
            return histogram.Observe;
        }
    }

    /// <summary>
    /// A measurement's tags as a dictionary key: up to four name/value pairs held inline (names and values compared with
    /// <see cref="object.Equals(object?, object?)"/>, so a boxed enum equals the next box of the same value); a longer tag
    /// list keeps a copy of itself.
    /// </summary>
    private readonly struct TagSet : IEquatable<TagSet>
    {
        private readonly int _count;
        private readonly KeyValuePair<string, object?> _t0, _t1, _t2, _t3;
        private readonly KeyValuePair<string, object?>[]? _more;

        public TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            _count = tags.Length;
            if (tags.Length > 4)
            {
                _more = tags.ToArray();
                return;
            }

            _t0 = tags.Length > 0 ? tags[0] : default;
            _t1 = tags.Length > 1 ? tags[1] : default;
            _t2 = tags.Length > 2 ? tags[2] : default;
            _t3 = tags.Length > 3 ? tags[3] : default;
        }

        public bool Equals(TagSet other)
        {
            if (_count != other._count)
            {
                return false;
            }

            if (_more is not null)
            {
                for (int i = 0; i < _more.Length; i++)
                {
                    if (!Same(_more[i], other._more![i]))
                    {
                        return false;
                    }
                }

                return true;
            }

            return Same(_t0, other._t0) && Same(_t1, other._t1) && Same(_t2, other._t2) && Same(_t3, other._t3);
        }

        public override bool Equals(object? obj) => obj is TagSet other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(_count);
            if (_more is not null)
            {
                foreach (KeyValuePair<string, object?> tag in _more)
                {
                    hash.Add(tag.Key);
                    hash.Add(tag.Value);
                }

                return hash.ToHashCode();
            }

            hash.Add(_t0.Key);
            hash.Add(_t0.Value);
            hash.Add(_t1.Key);
            hash.Add(_t1.Value);
            hash.Add(_t2.Key);
            hash.Add(_t2.Value);
            hash.Add(_t3.Key);
            hash.Add(_t3.Value);
            return hash.ToHashCode();
        }

        private static bool Same(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b) =>
            string.Equals(a.Key, b.Key, StringComparison.Ordinal) && Equals(a.Value, b.Value);
    }
}
