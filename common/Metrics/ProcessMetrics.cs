using System.Diagnostics.Metrics;
using System.Globalization;

namespace Network.Metrics;

/// <summary>
/// The standard process metrics under the names Prometheus's client libraries give them, read from Linux's /proc at each
/// scrape: <c>process_cpu_seconds_total</c>, <c>process_start_time_seconds</c>, <c>process_resident_memory_bytes</c>,
/// <c>process_virtual_memory_bytes</c>, <c>process_open_fds</c>, and <c>dotnet_total_memory_bytes</c> and
/// <c>dotnet_collection_count_total{generation}</c> as prometheus-net gave them.
/// </summary>
public static class ProcessMetrics
{
    public const string MeterName = "Network.Process";

    private static readonly Lock s_lock = new();
    private static Meter? s_meter;

    /// <summary>When this class was first touched: at start-up, when the first exporter is made.</summary>
    private static readonly double s_startSeconds = Math.Round(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, 3);

    /// <summary>Creates the instruments once per process (an exporter does it when made).</summary>
    public static void EnsureCreated()
    {
        lock (s_lock)
        {
            if (s_meter is not null)
            {
                return;
            }

            var meter = new Meter(MeterName);
            meter.CreateObservableCounter("process_cpu_seconds", static () => Environment.CpuUsage.TotalTime.TotalSeconds, "s",
                "Total user and system CPU time spent in seconds.");
            meter.CreateObservableGauge("process_start_time_seconds", static () => s_startSeconds, description: "Start time of the process since unix epoch in seconds.");
            meter.CreateObservableGauge("process_resident_memory_bytes", static () => Statm(1), description: "Resident memory size in bytes.");
            meter.CreateObservableGauge("process_virtual_memory_bytes", static () => Statm(0), description: "Virtual memory size in bytes.");
            meter.CreateObservableGauge("process_open_fds", OpenFds, description: "Number of open file descriptors.");
            meter.CreateObservableGauge("dotnet_total_memory_bytes", static () => GC.GetTotalMemory(forceFullCollection: false),
                description: "Bytes the garbage collector holds allocated.");
            meter.CreateObservableCounter("dotnet_collection_count", static () => Enumerable.Range(0, GC.MaxGeneration + 1)
                .Select(g => new Measurement<long>(GC.CollectionCount(g), new KeyValuePair<string, object?>("generation", g.ToString(CultureInfo.InvariantCulture)))),
                description: "Garbage collections since the process started, by generation.");
            s_meter = meter;
        }
    }

    /// <summary><c>/proc/self/statm</c> field <paramref name="field"/> (0 size, 1 resident), in bytes (proc(5)); nothing when unreadable.</summary>
    private static IEnumerable<Measurement<long>> Statm(int field)
    {
        string[] fields;
        try
        {
            fields = File.ReadAllText("/proc/self/statm").Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return fields.Length > field && long.TryParse(fields[field], NumberStyles.None, CultureInfo.InvariantCulture, out long pages)
            ? [new Measurement<long>(pages * Environment.SystemPageSize)]
            : [];
    }

    private static IEnumerable<Measurement<long>> OpenFds()
    {
        try
        {
            return [new Measurement<long>(Directory.GetFiles("/proc/self/fd").Length)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return []; // not Linux, or /proc not mounted
        }
    }
}
