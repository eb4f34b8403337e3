using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Network.EdgeAgent.Metrics;

/// <summary>
/// The agent's few metrics and the Prometheus text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/). The agent has eight metrics of its own and the
/// usual process ones; a small registry of our own keeps a metrics library (and the HTTP listener and regular
/// expressions it brings) out of a binary that has to fit on a router.
/// </summary>
public sealed class MetricRegistry
{
    private readonly List<Metric> _metrics = [];
    private readonly List<Action> _beforeCollect = [];
    private readonly Lock _lock = new();

    /// <summary>The process-wide registry the listener serves.</summary>
    public static MetricRegistry Default { get; } = CreateWithProcessMetrics();

    public MetricCounter CreateCounter(string name, string help, string? label = null) => Add(new MetricCounter(name, help, label));

    public MetricGauge CreateGauge(string name, string help) => Add(new MetricGauge(name, help));

    /// <summary>Runs <paramref name="callback"/> before every scrape (gauges that read a current value).</summary>
    public void AddBeforeCollectCallback(Action callback)
    {
        lock (_lock)
        {
            _beforeCollect.Add(callback);
        }
    }

    /// <summary>Every metric in the text format, in the order they were created.</summary>
    public string Collect()
    {
        Action[] callbacks;
        Metric[] metrics;
        lock (_lock)
        {
            callbacks = [.. _beforeCollect];
            metrics = [.. _metrics];
        }

        foreach (Action callback in callbacks)
        {
            callback();
        }

        var text = new StringBuilder(2048);
        foreach (Metric metric in metrics)
        {
            metric.WriteTo(text);
        }

        return text.ToString();
    }

    private T Add<T>(T metric)
        where T : Metric
    {
        lock (_lock)
        {
            if (_metrics.Exists(m => m.Name == metric.Name))
            {
                throw new InvalidOperationException($"metric {metric.Name} is registered twice");
            }

            _metrics.Add(metric);
        }

        return metric;
    }

    private static MetricRegistry CreateWithProcessMetrics()
    {
        var registry = new MetricRegistry();
        ProcessMetrics.Register(registry);
        return registry;
    }
}

/// <summary>One metric family: a name, its help text and its type.</summary>
public abstract class Metric
{
    private protected Metric(string name, string help, string type)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus metric name", nameof(name));
        }

        Name = name;
        Help = help;
        Type = type;
    }

    public string Name { get; }

    public string Help { get; }

    public string Type { get; }

    internal void WriteTo(StringBuilder text)
    {
        text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(Help)).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
        WriteSamples(text);
    }

    private protected abstract void WriteSamples(StringBuilder text);

    private protected static void WriteSample(StringBuilder text, string name, string? label, string? value, double sample)
    {
        text.Append(name);
        if (label is not null)
        {
            text.Append('{').Append(label).Append("=\"").Append(EscapeLabelValue(value ?? "")).Append("\"}");
        }

        text.Append(' ').Append(FormatValue(sample)).Append('\n');
    }

    /// <summary>Go's float formatting as Prometheus reads it: shortest round trip, and +Inf, -Inf, NaN.</summary>
    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Metric and label names: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> (labels without the colon).</summary>
    internal static bool IsValidName(string name, bool label = false)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (c == ':' && !label) || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    // The format: in HELP, backslash and line feed are escaped; in label values, also the double quote.
    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabelValue(string value) => EscapeHelp(value).Replace("\"", "\\\"", StringComparison.Ordinal);
}

/// <summary>A monotonic counter, optionally split by one label (a result, a status code).</summary>
public sealed class MetricCounter : Metric
{
    private readonly string? _label;
    private readonly ConcurrentDictionary<string, MetricCounter> _children = new(StringComparer.Ordinal);
    private double _value;

    internal MetricCounter(string name, string help, string? label)
        : base(name, help, "counter")
    {
        if (label is not null && !IsValidName(label, label: true))
        {
            throw new ArgumentException($"'{label}' is not a Prometheus label name", nameof(label));
        }

        _label = label;
    }

    public double Value => Volatile.Read(ref _value);

    /// <summary>The counter for one value of the label.</summary>
    public MetricCounter WithLabels(string value)
    {
        if (_label is null)
        {
            throw new InvalidOperationException($"{Name} has no label");
        }

        return _children.GetOrAdd(value, static (_, parent) => new MetricCounter(parent.Name, parent.Help, null), this);
    }

    /// <summary>Adds <paramref name="amount"/>; a counter never goes down, so a negative amount is refused.</summary>
    public void Inc(double amount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        double seen = Volatile.Read(ref _value);
        while (true)
        {
            double found = Interlocked.CompareExchange(ref _value, seen + amount, seen);
            if (found.Equals(seen))
            {
                return;
            }

            seen = found;
        }
    }

    private protected override void WriteSamples(StringBuilder text)
    {
        if (_label is null)
        {
            WriteSample(text, Name, null, null, Value);
            return;
        }

        foreach (KeyValuePair<string, MetricCounter> child in _children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            WriteSample(text, Name, _label, child.Key, child.Value.Value);
        }
    }
}

/// <summary>A value that goes up and down.</summary>
public sealed class MetricGauge : Metric
{
    private double _value;

    internal MetricGauge(string name, string help)
        : base(name, help, "gauge")
    {
    }

    public double Value => Volatile.Read(ref _value);

    public void Set(double value) => Volatile.Write(ref _value, value);

    private protected override void WriteSamples(StringBuilder text) => WriteSample(text, Name, null, null, Value);
}

/// <summary>The standard process metrics (names as Prometheus's client libraries give them), read from Linux's /proc.</summary>
internal static class ProcessMetrics
{
    public static void Register(MetricRegistry registry)
    {
        MetricCounter cpu = registry.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        MetricGauge start = registry.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        MetricGauge resident = registry.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        MetricGauge virtualBytes = registry.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        MetricGauge fds = registry.CreateGauge("process_open_fds", "Number of open file descriptors.");
        MetricGauge managed = registry.CreateGauge("dotnet_total_memory_bytes", "Bytes the garbage collector holds allocated.");
        start.Set(Math.Round((DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(Environment.TickCount64 - StartTicks)).ToUnixTimeMilliseconds() / 1000.0, 3));
        double cpuSeen = 0;
        registry.AddBeforeCollectCallback(() =>
        {
            double now = Environment.CpuUsage.TotalTime.TotalSeconds;
            if (now > cpuSeen)
            {
                cpu.Inc(now - cpuSeen);
                cpuSeen = now;
            }

            managed.Set(GC.GetTotalMemory(forceFullCollection: false));
            if (TryReadStatm(out long size, out long rss))
            {
                virtualBytes.Set(size);
                resident.Set(rss);
            }

            try
            {
                fds.Set(Directory.GetFiles("/proc/self/fd").Length);
            }
            catch (IOException)
            {
                // not Linux, or /proc not mounted: the gauge keeps its last value
            }
            catch (UnauthorizedAccessException)
            {
                // same
            }
        });
    }

    /// <summary>When this class was first touched: at start-up, when the registry is built.</summary>
    private static long StartTicks { get; } = Environment.TickCount64;

    /// <summary><c>/proc/self/statm</c>: size and resident, in pages (proc(5)).</summary>
    private static bool TryReadStatm(out long size, out long rss)
    {
        size = rss = 0;
        try
        {
            string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
            long page = Environment.SystemPageSize;
            if (fields.Length >= 2 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out size)
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out rss))
            {
                size *= page;
                rss *= page;
                return true;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return false;
    }
}
