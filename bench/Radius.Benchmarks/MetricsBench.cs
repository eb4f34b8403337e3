using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Network.Metrics;

namespace Network.Radius.Benchmarks;

/// <summary>
/// One <c>Counter&lt;long&gt;.Add</c> with two tags (a tag set seen before, as RADIUS's <c>radius_requests_total{code,client}</c>
/// on every answer): with nothing listening, through the services' old bridge into prometheus-net, and through
/// common/Metrics' exporter. Each case has a meter of its own, so only its own listener sees it.
/// <c>dotnet run -c Release --project bench/Radius.Benchmarks -- --filter '*MetricsBench*' --inProcess --memory</c>
/// </summary>
[MemoryDiagnoser]
public class MetricsBench : IDisposable
{
    private static readonly KeyValuePair<string, object?> s_code = new("code", "AccessAccept");
    private static readonly KeyValuePair<string, object?> s_client = new("client", "loopback-gateways");

    private readonly Meter _alone = new("bench.alone");
    private readonly Meter _old = new("bench.old");
    private readonly Meter _ours = new("bench.ours");
    private Counter<long> _aloneCounter = null!;
    private Counter<long> _oldCounter = null!;
    private Counter<long> _oursCounter = null!;
    private Histogram<double> _oursHistogram = null!;
    private Histogram<double> _oldHistogram = null!;
    private PrometheusExporter? _exporter;

    [GlobalSetup]
    public void Setup()
    {
        OldMeterBridge.Publish(_old.Name);
        _exporter = new PrometheusExporter(new PrometheusExporterOptions { Meters = [_ours.Name] });
        _aloneCounter = _alone.CreateCounter<long>("bench_requests");
        _oldCounter = _old.CreateCounter<long>("bench_requests");
        _oursCounter = _ours.CreateCounter<long>("bench_requests");
        _oldHistogram = _old.CreateHistogram<double>("bench_duration", "s");
        _oursHistogram = _ours.CreateHistogram<double>("bench_duration", "s");
    }

    [Benchmark(Baseline = true, Description = "Add, two tags, nothing listening")]
    public void NothingListening() => _aloneCounter.Add(1, s_code, s_client);

    [Benchmark(Description = "Add, two tags, old bridge (prometheus-net)")]
    public void OldBridge() => _oldCounter.Add(1, s_code, s_client);

    [Benchmark(Description = "Add, two tags, common/Metrics")]
    public void Exporter() => _oursCounter.Add(1, s_code, s_client);

    [Benchmark(Description = "Histogram Record, no tags, old bridge (prometheus-net)")]
    public void OldBridgeHistogram() => _oldHistogram.Record(0.000_12);

    [Benchmark(Description = "Histogram Record, no tags, common/Metrics")]
    public void ExporterHistogram() => _oursHistogram.Record(0.000_12);

    public void Dispose()
    {
        _exporter?.Dispose();
        _alone.Dispose();
        _old.Dispose();
        _ours.Dispose();
        GC.SuppressFinalize(this);
    }
}
