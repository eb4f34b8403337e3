using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Network.Noc.TimeSeries;

namespace Network.Noc.Benchmarks;

/// <summary>
/// Issue 6's ingest goal in one run of one command: the NOC (built in Release, started here as its own process on a fresh data
/// folder with the demo inventory and one agent per sender) takes the samples through <c>POST /api/v1/ingest</c> as JSON, then
/// VictoriaMetrics (started here too) takes the same samples (same series, timestamps and values) as line protocol on
/// <c>/api/v2/write</c>, with as many senders. Bodies are encoded before any clock starts; both servers first get a warm-up
/// of other series. Prints each rate, each server's CPU per sample from /proc (counted until it goes quiet after the last
/// answer), the ratios and the load average.
/// </summary>
internal static class VersusBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int senders = (int)options.Long("--agents", 2);
        long warmup = options.Long("--warmup", 600_000);

        // The warm-up goes to both servers alike, in requests of its own size and in rounds, each round followed by a wait until
        // both are quiet. A .NET server compiles a method again after about 30 calls (tier 0, then with profiling, then
        // optimised: two steps, each waiting for calls), in the background; without rounds those compilations fall into the
        // measured phase (about a fifth of the NOC's CPU there, measured with perf): a start-up cost, not the ingest's.
        int warmupBatch = (int)options.Long("--warmup-batch", 1_000);
        int warmupRounds = (int)options.Long("--warmup-rounds", 3);
        string root = RepositoryRoot();
        string nocFolder = Path.Combine(root, "noc-server", "NocServer");
        string nocDll = options.Value("--noc-dll") ?? Path.Combine(nocFolder, "bin", "Release", "net10.0", "Network.Noc.dll");
        string seed = Path.Combine(nocFolder, "Inventory", "demo-sites.json");
        if (!File.Exists(nocDll))
        {
            throw new FileNotFoundException($"{nocDll} is not built: dotnet build -c Release noc-server/NocServer", nocDll);
        }

        // The senders' sites and as many warm-up sites (the warm-up has as many senders), from the demo inventory the NOC is seeded with.
        using JsonDocument seedFile = JsonDocument.Parse(File.ReadAllBytes(seed));
        string[] sites = [.. seedFile.RootElement.GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Take(2 * senders)];
        if (sites.Length < 2 * senders)
        {
            throw new ArgumentException($"--agents {senders}: the demo inventory has {sites.Length} sites for senders and warm-up senders");
        }

        var agents = new (string Id, string Token)[2 * senders];
        for (int a = 0; a < agents.Length; a++)
        {
            agents[a] = (a >= senders ? $"bench-warmup{a - senders}" : $"bench{a}", "noc_bench_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        }

        var points = new SeriesPoint[senders][];
        for (int a = 0; a < senders; a++)
        {
            points[a] = new AgentData(1, options.Devices, options.Metrics, options.Points / senders, siteName: sites[a]).Points;
        }

        long samples = points.Sum(p => (long)p.Length);
        var warm = new SeriesPoint[senders][];
        for (int a = 0; a < senders; a++)
        {
            warm[a] = new AgentData(1, options.Devices, options.Metrics, warmup / senders, siteName: sites[senders + a]).Points;
        }

        List<byte[]>[] nocBodies = HttpIngestBench.Bodies([.. agents.Take(senders).Select(a => a.Id)], points, options.Batch, gzip: false);
        List<byte[]>[] nocWarm = HttpIngestBench.Bodies([.. agents.Skip(senders).Select(a => a.Id)], warm, warmupBatch, gzip: false);
        List<byte[]> vmBodies = VictoriaMetricsBench.LineProtocol(points.SelectMany(p => AgentData.Batches(p, options.Batch)));
        List<byte[]>[] vmWarm = [.. warm.Select(w => VictoriaMetricsBench.LineProtocol(AgentData.Batches(w, warmupBatch)))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{samples:N0} samples ({senders} senders × {options.Devices} devices × {options.Metrics} metrics, {options.Batch:N0} a request): NOC JSON {nocBodies.Sum(b => b.Sum(x => (long)x.Length)) / 1048576.0:0.0} MiB, VictoriaMetrics line protocol {vmBodies.Sum(b => (long)b.Length) / 1048576.0:0.0} MiB; warm-up {warm.Sum(w => w.Length):N0} samples of {senders} other sites, {warmupBatch:N0} a request in {warmupRounds} rounds"));

        string data = Directory.CreateTempSubdirectory("noc-versus-").FullName;
        int port = VictoriaMetricsBench.FreePort();
        Process? noc = null;
        try
        {
            noc = Process.Start(Dotnet(nocFolder, nocDll, [$"--urls=http://127.0.0.1:{port}", $"--Storage:DataDirectory={data}", $"--Inventory:SeedFile={seed}",
                "--Status:RaiseAfter=1", "--Status:ClearAfter=1", "--Logging:LogLevel:Default=Warning"], options.All("--noc-env"))) ?? throw new InvalidOperationException("the NOC did not start");
            noc.OutputDataReceived += (_, e) => Echo("noc", e.Data);
            noc.ErrorDataReceived += (_, e) => Echo("noc", e.Data);
            noc.BeginOutputReadLine();
            noc.BeginErrorReadLine();
            using var nocHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
            await WaitReadyAsync(nocHttp, noc);
            for (int a = 0; a < agents.Length; a++)
            {
                await AddAgentAsync(nocFolder, nocDll, data, agents[a].Id, sites[a], agents[a].Token, options.All("--noc-env"));
            }

            await using VictoriaMetricsProcess vm = VictoriaMetricsProcess.Start(options.Value("--vm-binary"));
            using var vmHttp = new HttpClient { BaseAddress = vm.Url, Timeout = TimeSpan.FromMinutes(2) };
            await vm.WaitHealthyAsync(vmHttp);

            // One request alone first: the NOC loads new agents' tokens at most once a second, so concurrent first requests of
            // two new agents would see one of them refused.
            await HttpIngestBench.SendAsync(nocHttp, [agents[senders]], [[nocWarm[0][0]]], gzip: false);
            nocWarm[0].RemoveAt(0);
            int perRound = (nocWarm[0].Count + warmupRounds - 1) / warmupRounds;
            for (int round = 0; round * perRound < nocWarm[0].Count; round++)
            {
                await HttpIngestBench.SendAsync(nocHttp, [.. agents.Skip(senders)], [.. nocWarm.Select(b => b.Skip(round * perRound).Take(perRound).ToList())], gzip: false);
                await ProcessCpu.UntilQuietAsync(noc.Id, 0);
                await VictoriaMetricsBench.WriteAsync(vmHttp, [.. vmWarm.SelectMany(b => b.Skip(round * perRound).Take(perRound))], senders, vm.Pid);
            }

            if (options.Value("--wait") is string wait)
            {
                // Time to attach a profiler (dotnet-trace collect -p PID) before the measured phase.
                Console.WriteLine($"NOC PID {noc.Id}, VictoriaMetrics PID {vm.Pid}; the measured phase starts in {wait} s");
                await Task.Delay(TimeSpan.FromSeconds(double.Parse(wait, CultureInfo.InvariantCulture)));
            }

            // The first scrape of /metrics compiles code too: it comes before the NOC is let go quiet, outside the measured CPU.
            long[] gcBefore = await CollectionsAsync(nocHttp);
            await ProcessCpu.UntilQuietAsync(noc.Id, 0);
            string loadBefore = ProcessCpu.LoadAverage();
            double nocCpuBefore = ProcessCpu.Seconds(noc.Id);
            (double nocSeconds, long retried) = await HttpIngestBench.SendAsync(nocHttp, [.. agents.Take(senders)], nocBodies, gzip: false);
            double nocCpu = await ProcessCpu.UntilQuietAsync(noc.Id, nocCpuBefore);
            long[] gcAfter = await CollectionsAsync(nocHttp);
            (double vmSeconds, double? vmCpuOrNull) = await VictoriaMetricsBench.WriteAsync(vmHttp, vmBodies, senders, vm.Pid);
            double vmCpu = vmCpuOrNull ?? double.NaN;
            string loadAfter = ProcessCpu.LoadAverage();

            double nocRate = samples / nocSeconds;
            double vmRate = samples / vmSeconds;
            Console.WriteLine("server                        seconds    samples/s   cpu-s  µs-cpu/sample");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"NOC, HTTP JSON ingest",-28} {nocSeconds,8:0.000} {nocRate,12:N0} {nocCpu,7:0.00} {nocCpu * 1e6 / samples,14:0.00}   ({retried} retries after 429)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"VictoriaMetrics, line prot.",-28} {vmSeconds,8:0.000} {vmRate,12:N0} {vmCpu,7:0.00} {vmCpu * 1e6 / samples,14:0.00}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"NOC garbage collections during its run (from its /metrics): gen0 {gcAfter[0] - gcBefore[0]}, gen1 {gcAfter[1] - gcBefore[1]}, gen2 {gcAfter[2] - gcBefore[2]}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"NOC / VictoriaMetrics: rate {nocRate / vmRate:0.00}x (goal: at least 0.5), CPU a sample {nocCpu / vmCpu:0.00}x; load average {loadBefore} before, {loadAfter} after"));
            return 0;
        }
        finally
        {
            if (noc is not null)
            {
                if (!noc.HasExited)
                {
                    noc.Kill();
                }

                await noc.WaitForExitAsync();
                noc.Dispose();
            }

            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The NOC's garbage collections so far by generation (0, 1, 2), from prometheus-net's <c>dotnet_collection_count_total</c>.</summary>
    private static async Task<long[]> CollectionsAsync(HttpClient http)
    {
        var counts = new long[3];
        string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        foreach (string line in metrics.Split('\n'))
        {
            for (int generation = 0; generation < counts.Length; generation++)
            {
                string prefix = $"dotnet_collection_count_total{{generation=\"{generation}\"}} ";
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    counts[generation] = (long)double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
                }
            }
        }

        return counts;
    }

    private static ProcessStartInfo Dotnet(string folder, string dll, IEnumerable<string> arguments, IEnumerable<string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string variable in environment ?? [])
        {
            string[] pair = variable.Split('=', 2);
            info.Environment[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException($"--noc-env {variable}: NAME=VALUE");
        }

        info.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Adds an agent with the NOC's command line, in the NOC's environment (a PostgreSQL <c>ConnectionStrings__Noc</c>).</summary>
    private static async Task AddAgentAsync(string folder, string dll, string data, string id, string site, string token, IEnumerable<string> environment)
    {
        using Process cli = Process.Start(Dotnet(folder, dll, ["agents", "add", id, "--site", site, "--token-stdin", $"--Storage:DataDirectory={data}"], environment))
            ?? throw new InvalidOperationException("the NOC's command line did not start");
        await cli.StandardInput.WriteLineAsync(token);
        cli.StandardInput.Close();
        Task<string> output = cli.StandardOutput.ReadToEndAsync();
        Task<string> error = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException($"agents add {id} exited {cli.ExitCode}: {await output}{await error}");
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process noc)
    {
        for (int i = 0; i < 300; i++)
        {
            if (noc.HasExited)
            {
                throw new InvalidOperationException($"the NOC exited with {noc.ExitCode}");
            }

            try
            {
                using HttpResponseMessage ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the NOC was not ready within 30 s");
    }

    private static void Echo(string who, string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Console.Error.WriteLine($"[{who}] {line}");
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Network.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Network.sln not found above " + AppContext.BaseDirectory);
    }
}
