using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Network.Radius.Server;

/// <summary>
/// The names of the instruments on the <see cref="RadiusServer.MeterName"/> meter, the one place they are written (the
/// portal's handler counts on the same meter): each is the Prometheus name on /metrics.
/// </summary>
public static class RadiusMetricNames
{
    public const string Requests = "radius_requests_total";
    public const string Dropped = "radius_dropped_total";
    public const string RequestDuration = "radius_request_duration_seconds";
    public const string Authentications = "radius_authentications_total";
    public const string Lockouts = "radius_lockouts_total";
}

/// <summary>The server's instruments on the <c>Network.Radius</c> meter (<see cref="RadiusServer.MeterName"/>).</summary>
internal static class RadiusMetrics
{
    private static readonly Meter s_meter = new(RadiusServer.MeterName);

    public static Counter<long> Requests { get; } = s_meter.CreateCounter<long>(RadiusMetricNames.Requests, description: "RADIUS requests answered, by code and client");

    public static Counter<long> Drops { get; } = s_meter.CreateCounter<long>(RadiusMetricNames.Dropped, description: "RADIUS datagrams discarded, by reason");

    public static Histogram<double> Latency { get; } = s_meter.CreateHistogram<double>(RadiusMetricNames.RequestDuration, "s", "Time from receipt to reply");
}

/// <summary>Datagrams discarded, by reason (<see cref="DropReasons"/>): one server's counts, and the meter's for all.</summary>
internal sealed class DropCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public void Add(string reason)
    {
        _counts.AddOrUpdate(reason, 1, (_, n) => n + 1);
        RadiusMetrics.Drops.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }
}

/// <summary>
/// At most one log line an interval (a flood from a stranger must not become a flood of logs), on the clock it is given.
/// Thread-safe.
/// </summary>
internal sealed class LogLimiter(TimeProvider time, TimeSpan interval)
{
    private long _last;

    /// <summary>True for the first call, and then for the first call after each <c>interval</c>.</summary>
    public bool TryEnter()
    {
        long now = time.GetTimestamp();
        long last = Interlocked.Read(ref _last);
        return (last == 0 || time.GetElapsedTime(last, now) >= interval) && Interlocked.CompareExchange(ref _last, now, last) == last;
    }
}
