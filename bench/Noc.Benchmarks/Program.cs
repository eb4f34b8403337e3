using System.Globalization;
using Network.Noc.Benchmarks;

// The NOC's time-series write path, measured next to VictoriaMetrics on the same machine in the same run:
//   dotnet run -c Release --project bench/Noc.Benchmarks -- all   [--points 3000000] [--batch 10000] [--sites 100 --devices 10 --metrics 30]
//   dotnet run -c Release --project bench/Noc.Benchmarks -- store ...   (only the embedded store)
//   dotnet run -c Release --project bench/Noc.Benchmarks -- vm ...      (only VictoriaMetrics; --vm-url URL to use a running one)
//   dotnet run -c Release --project bench/Noc.Benchmarks -- rows ...    (the design not taken: one SQLite row per point)
// The whole HTTP path of a running NOC (one agent and its token per concurrent sender, sites known to the inventory):
//   dotnet run -c Release --project bench/Noc.Benchmarks -- http --url http://127.0.0.1:8080 --agent ID:TOKEN:SITE [--agent ...] [--gzip]
// Issue 6's ingest goal in one run: starts the NOC (Release build) and VictoriaMetrics, sends the same samples to both
// (JSON through POST /api/v1/ingest, line protocol through /api/v2/write) and prints both rates, CPU a sample and the ratio:
//   dotnet run -c Release --project bench/Noc.Benchmarks -- versus [--points 2000000] [--batch 10000] [--agents 2] [--devices 10 --metrics 30] [--warmup 600000] [--warmup-batch 1000] [--warmup-rounds 3] [--wait SECONDS] [--noc-env NAME=VALUE ...] [--noc-dll PATH]
// The ingest steps before the store, one at a time in this process (CPU and bytes allocated a sample):
//   dotnet run -c Release --project bench/Noc.Benchmarks -- parts [--points 300000] [--batch 10000] [--rounds 3]
// Ingest-to-dashboard latency of a running NOC (Status:RaiseAfter=1, Status:ClearAfter=1), with N SignalR dashboards:
//   dotnet run -c Release --project bench/Noc.Benchmarks -- live --url http://127.0.0.1:8080 --agent ID:TOKEN --password PW [--clients 100] [--changes 200]
// The SLA reports on a store holding two years of 140 schools (filled first; --reuse --folder DIR --keep to fill once):
//   dotnet run -c Release --project bench/Noc.Benchmarks -- sla [--schools 140] [--runs 5] [--folder DIR] [--keep] [--reuse]
// The SLA pages of a NOC running on that store (docs/benchmarks.md has the steps):
//   dotnet run -c Release --project bench/Noc.Benchmarks -- sla-pages --url http://127.0.0.1:8080 --password PW [--user admin] [--pid NOC_PID] [--schools 140] [--runs 5]
// The yearly report's data (hotspots' use and uptime, the schools' SLA) on a store of two years of 200 hotspots and 150 schools:
//   dotnet run -c Release --project bench/Noc.Benchmarks -- reports [--hotspots 200] [--schools 150] [--runs 5] [--folder DIR] [--keep] [--reuse]
// The report pages of a NOC running on that store (--keep; docs/benchmarks.md has the steps):
//   dotnet run -c Release --project bench/Noc.Benchmarks -- report-pages --url http://127.0.0.1:8080 --password PW [--user admin] [--pid NOC_PID] [--runs 5]
var options = new BenchOptions(args.Skip(1).ToArray());
switch (args.FirstOrDefault())
{
    case "store":
        await StoreBench.RunAsync(options);
        return 0;
    case "vm":
        await VictoriaMetricsBench.RunAsync(options);
        return 0;
    case "rows":
        await RowStoreBench.RunAsync(options);
        return 0;
    case "all":
        await StoreBench.RunAsync(options);
        await VictoriaMetricsBench.RunAsync(options);
        return 0;
    case "http":
        return await HttpIngestBench.RunAsync(options);
    case "versus":
        return await VersusBench.RunAsync(options);
    case "parts":
        return await PartsBench.RunAsync(options);
    case "live":
        return await LiveLatencyBench.RunAsync(options);
    case "sla":
        return await SlaBench.RunAsync(options);
    case "sla-pages":
        return await SlaPagesBench.RunAsync(options);
    case "reports":
        return await ReportsBench.RunAsync(options);
    case "report-pages":
        return await ReportPagesBench.RunAsync(options);
    default:
        Console.Error.WriteLine("usage: Network.Noc.Benchmarks store|vm|rows|all|http|versus|parts|live|sla|sla-pages|reports|report-pages [options] (see Program.cs)");
        return 64;
}

/// <summary>The command line's <c>--name value</c> pairs (a name may repeat).</summary>
internal sealed class BenchOptions(string[] args)
{
    public long Points => Long("--points", 3_000_000);

    public int Batch => (int)Long("--batch", 10_000);

    public int Sites => (int)Long("--sites", 100);

    public int Devices => (int)Long("--devices", 10);

    public int Metrics => (int)Long("--metrics", 30);

    public int Concurrency => (int)Long("--concurrency", 2);

    public bool Flag(string name) => args.Contains(name);

    public string? Value(string name) => All(name).LastOrDefault();

    public IEnumerable<string> All(string name)
    {
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name)
            {
                yield return args[i + 1];
            }
        }
    }

    public long Long(string name, long fallback) => Value(name) is string v ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public AgentData Data() => new(Sites, Devices, Metrics, Points);
}
