using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace Network.ServiceDefaults;

/// <summary>
/// Publishes the platform libraries' System.Diagnostics.Metrics instruments (meters named <c>Network.*</c>, such as the
/// RADIUS server's) in prometheus-net's registry: counters as <c>NAME_total</c>, histograms in seconds buckets, tags
/// as labels. The libraries stay free of any Prometheus dependency.
/// </summary>
internal static class LibraryMeters
{
    private static readonly ConcurrentDictionary<string, Counter> s_counters = new();
    private static readonly ConcurrentDictionary<string, Histogram> s_histograms = new();
    private static MeterListener? s_listener;

    public static void Publish()
    {
        if (Interlocked.CompareExchange(ref s_listener, new MeterListener(), null) is not null)
        {
            return;
        }

        MeterListener listener = s_listener;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name.StartsWith("Network.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    private static void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string[] names = new string[tags.Length];
        string[] values = new string[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            names[i] = tags[i].Key;
            values[i] = tags[i].Value?.ToString() ?? "";
        }

        string help = instrument.Description ?? instrument.Name;
        string key = instrument.Name + "|" + string.Join(',', names);
        switch (instrument)
        {
            case Counter<long> or Counter<double>:
                s_counters.GetOrAdd(key, _ => Metrics.CreateCounter(instrument.Name + "_total", help, names)).WithLabels(values).Inc(value);
                break;
            case Histogram<long> or Histogram<double>:
                s_histograms.GetOrAdd(key, _ => Metrics.CreateHistogram(instrument.Name + (instrument.Unit == "s" ? "_seconds" : ""), help,
                    new HistogramConfiguration { LabelNames = names, Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) })).WithLabels(values).Observe(value);
                break;
            default:
                break;
        }
    }
}
