using System.Diagnostics;
using System.Globalization;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using Microsoft.Extensions.Options;

namespace Network.Noc.TimeSeries;

/// <summary>
/// The second sink (<c>influxdb</c>): InfluxDB 2.x, or any engine that takes its write API (VictoriaMetrics in the tests),
/// through <c>InfluxDB.Client</c>'s asynchronous write API. One line per point: measurement = metric, tags = site, device and
/// the labels, field <c>value</c>, timestamp in milliseconds. The same point written twice is the same line, which InfluxDB
/// stores once. A failure throws (the caller retries); the token is never logged.
/// </summary>
public sealed class InfluxTimeSeriesSink : ITimeSeriesSink, IDisposable
{
    // Lines per request: about 100 bytes each, so a request stays near 1 MB.
    private const int LinesPerRequest = 10_000;

    private readonly InfluxOptions _options;
    private readonly TimeSeriesMetrics _metrics;
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _writeApi;

    public InfluxTimeSeriesSink(IOptions<TimeSeriesOptions> options, TimeSeriesMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Influx;
        if (!_options.Enabled)
        {
            throw new InvalidOperationException($"{TimeSeriesOptions.Section}:Influx:Url is not set");
        }

        _metrics = metrics;
        _client = new InfluxDBClient(new InfluxDBClientOptions(_options.Url!)
        {
            Token = _options.Token,
            Org = _options.Org,
            Bucket = _options.Bucket,
            Timeout = _options.Timeout,
        });
        _writeApi = _client.GetWriteApiAsync();
    }

    public string Name => "influxdb";

    public async ValueTask WriteAsync(IReadOnlyList<SeriesPoint> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        long started = Stopwatch.GetTimestamp();
        var lines = new List<string>(Math.Min(points.Count, LinesPerRequest));
        var line = new StringBuilder(128);
        int written = 0;
        foreach (SeriesPoint point in points)
        {
            if (!double.IsFinite(point.Value))
            {
                // Line protocol has no NaN or infinity.
                continue;
            }

            lines.Add(LineProtocol(point, line));
            if (lines.Count == LinesPerRequest)
            {
                await SendAsync(lines, cancellationToken).ConfigureAwait(false);
                written += lines.Count;
                lines.Clear();
            }
        }

        if (lines.Count > 0)
        {
            await SendAsync(lines, cancellationToken).ConfigureAwait(false);
            written += lines.Count;
        }

        _metrics.Dropped("not_finite_influx", points.Count - written);
        _metrics.Written(Name, written, Stopwatch.GetElapsedTime(started));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// One point as InfluxDB line protocol: <c>metric,site=S,device=D,k=v value=V TS</c>, with commas, spaces and equals signs
    /// escaped as the line protocol reference says (measurement: commas and spaces; tag keys and values: also equals signs).
    /// Public for the benchmark, which feeds VictoriaMetrics the same lines.
    /// </summary>
    public static string LineProtocol(SeriesPoint point, StringBuilder line)
    {
        line.Clear();
        Escape(line, point.Key.Metric, escapeEquals: false);
        AppendTag(line, "site", point.Key.Site);
        AppendTag(line, "device", point.Key.Device);
        if (point.Key.Labels.Length > 0)
        {
            foreach ((string key, string value) in point.Key.LabelMap().OrderBy(static l => l.Key, StringComparer.Ordinal))
            {
                if (key is not ("site" or "device"))
                {
                    AppendTag(line, key, value);
                }
            }
        }

        line.Append(" value=").Append(point.Value.ToString("R", CultureInfo.InvariantCulture))
            .Append(' ').Append(point.TimestampMs.ToString(CultureInfo.InvariantCulture));
        return line.ToString();
    }

    private Task SendAsync(List<string> lines, CancellationToken cancellationToken) =>
        _writeApi.WriteRecordsAsync(lines, WritePrecision.Ms, _options.Bucket, _options.Org, cancellationToken);

    private static void AppendTag(StringBuilder line, string key, string value)
    {
        // An empty tag value is not allowed in line protocol: leave the tag out.
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        line.Append(',');
        Escape(line, key, escapeEquals: true);
        line.Append('=');
        Escape(line, value, escapeEquals: true);
    }

    private static void Escape(StringBuilder line, string text, bool escapeEquals)
    {
        foreach (char ch in text)
        {
            // A line break cannot be escaped inside a line: it becomes an (escaped) space.
            char c = ch is '\n' or '\r' ? ' ' : ch;
            if (c is ',' or ' ' || (escapeEquals && c == '='))
            {
                line.Append('\\');
            }

            line.Append(c);
        }
    }
}
