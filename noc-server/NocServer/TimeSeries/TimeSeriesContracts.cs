namespace Network.Noc.TimeSeries;

/// <summary>
/// What names one series: the site and device it was measured at, the metric, and its labels in canonical form
/// (<c>k=v</c> pairs sorted by key, joined with <c>,</c>; empty when there are none). Build it with <see cref="Create"/>.
/// </summary>
public readonly record struct SeriesKey(string Site, string Device, string Metric, string Labels)
{
    /// <summary>The key with its labels in canonical form.</summary>
    public static SeriesKey Create(string site, string device, string metric, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return new SeriesKey(site, device, metric, "");
        }

        var pairs = new List<KeyValuePair<string, string>>(labels);
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new SeriesKey(site, device, metric, string.Join(',', pairs.Select(static p => $"{p.Key}={p.Value}")));
    }

    /// <summary>The labels back as a dictionary.</summary>
    public IReadOnlyDictionary<string, string> LabelMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Labels.Length > 0)
        {
            foreach (string pair in Labels.Split(','))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                map[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return map;
    }
}

/// <summary>One value of one series at one instant (Unix milliseconds, UTC).</summary>
public readonly record struct SeriesPoint(SeriesKey Key, long TimestampMs, double Value);

/// <summary>A list of points that can be read as one span (the ingest's pooled batches), so a sink walks them without the list interface.</summary>
public interface ISeriesPointSpan
{
    /// <summary>The points, valid until the list changes.</summary>
    ReadOnlySpan<SeriesPoint> Span { get; }
}

/// <summary>Points lists read as spans.</summary>
public static class SeriesPointLists
{
    /// <summary>The points as a span: without a copy for an <see cref="ISeriesPointSpan"/>, an array, an array segment or a list.</summary>
    public static ReadOnlySpan<SeriesPoint> AsSpan(IReadOnlyList<SeriesPoint> points) => points switch
    {
        ISeriesPointSpan spanned => spanned.Span,
        SeriesPoint[] array => array,
        ArraySegment<SeriesPoint> segment => segment,
        List<SeriesPoint> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        null => throw new ArgumentNullException(nameof(points)),
        _ => points.ToArray(),
    };
}

/// <summary>
/// Where ingested points go. Writing the same point (same series and timestamp) twice keeps one: every sink is
/// idempotent, so a batch replayed after a crash never counts twice. The embedded store is always one of them;
/// InfluxDB is another when configured.
/// </summary>
public interface ITimeSeriesSink
{
    /// <summary>A short name for logs and metrics: <c>embedded</c>, <c>influxdb</c>.</summary>
    string Name { get; }

    /// <summary>Stores the points durably before it returns.</summary>
    ValueTask WriteAsync(IReadOnlyList<SeriesPoint> points, CancellationToken cancellationToken);
}

/// <summary>The resolution a read is answered from.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SeriesResolution>))]
public enum SeriesResolution
{
    /// <summary>Pick by the range: raw up to 6 hours, minutes up to 7 days, hours beyond.</summary>
    Auto,

    /// <summary>Every stored point.</summary>
    Raw,

    /// <summary>1-minute rollups.</summary>
    Minute,

    /// <summary>1-hour rollups.</summary>
    Hour,
}

/// <summary>A read: one metric of one site (optionally one device and labels that must match), over [From, To).</summary>
public sealed record SeriesQuery(string Site, string Metric, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Only this device, when set.</summary>
    public string? Device { get; init; }

    /// <summary>Only series whose labels include all of these, when set.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Which resolution to read.</summary>
    public SeriesResolution Resolution { get; init; } = SeriesResolution.Auto;

    /// <summary>At most this many series in the answer.</summary>
    public int MaxSeries { get; init; } = 100;
}

/// <summary>One bucket (or one raw point, where Min = Max = Mean = Last and Count = 1).</summary>
public readonly record struct SeriesBucket(long TimestampMs, double Mean, double Min, double Max, double Last, long Count);

/// <summary>One series of a read, oldest bucket first.</summary>
public sealed record SeriesData(SeriesKey Key, SeriesResolution Resolution, IReadOnlyList<SeriesBucket> Buckets);

/// <summary>Reads for dashboards and reports; answered by the embedded store.</summary>
public interface ITimeSeriesReader
{
    /// <summary>The matching series over the range at the resolution asked (Auto resolved to a concrete one).</summary>
    Task<IReadOnlyList<SeriesData>> ReadAsync(SeriesQuery query, CancellationToken cancellationToken);
}
