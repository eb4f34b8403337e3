using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Network.Noc.TimeSeries;

namespace Network.Noc.Benchmarks;

/// <summary>
/// VictoriaMetrics taking the same points as InfluxDB line protocol (the InfluxDB sink's own lines) over HTTP,
/// <c>/api/v2/write</c>, one request per batch, <c>--concurrency</c> senders. The bodies are encoded before the clock
/// starts, so the figure is the engine's. It starts its own VictoriaMetrics on a free loopback port unless <c>--vm-url</c>
/// names one; its CPU time comes from /proc/PID/stat and includes the work it does after answering, until it goes quiet.
/// </summary>
internal static class VictoriaMetricsBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        AgentData data = options.Data();
        List<byte[]> bodies = LineProtocol(data.Batches(options.Batch));
        await using VictoriaMetricsProcess vm = options.Value("--vm-url") is string given
            ? VictoriaMetricsProcess.Attach(new Uri(given))
            : VictoriaMetricsProcess.Start(options.Value("--vm-binary"));
        using var http = new HttpClient { BaseAddress = vm.Url, Timeout = TimeSpan.FromMinutes(2) };
        await vm.WaitHealthyAsync(http);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"VictoriaMetrics at {vm.Url}: {data.Points.Length:N0} points as line protocol ({bodies.Sum(b => (long)b.Length) / 1048576.0:0.0} MiB), {bodies.Count} requests, {options.Concurrency} senders"));
        Console.WriteLine("phase                      seconds   points/s   vm-cpu-s  µs-cpu/point  (cpu until quiet)");
        foreach (string phase in (string[])["write (new series)", "write again (same points)"])
        {
            (double seconds, double? cpu) = await WriteAsync(http, bodies, options.Concurrency, vm.Pid);
            string cpuText = cpu is double used ? string.Create(CultureInfo.InvariantCulture, $"{used,10:0.00} {used * 1e6 / data.Points.Length,13:0.00}") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase,-25} {seconds,8:0.000} {data.Points.Length / seconds,10:N0} {cpuText}"));
        }
    }

    /// <summary>The points as line protocol bodies, one a batch.</summary>
    public static List<byte[]> LineProtocol(IEnumerable<ArraySegment<SeriesPoint>> batches)
    {
        var line = new StringBuilder(160);
        return [.. batches.Select(batch =>
        {
            var body = new StringBuilder(batch.Count * 100);
            foreach (SeriesPoint point in batch)
            {
                body.Append(InfluxTimeSeriesSink.LineProtocol(point, line)).Append('\n');
            }

            return Encoding.UTF8.GetBytes(body.ToString());
        })];
    }

    /// <summary>Posts every body with <paramref name="concurrency"/> senders; the seconds taken, and VictoriaMetrics' CPU seconds (until quiet) when its PID is known.</summary>
    public static async Task<(double Seconds, double? CpuSeconds)> WriteAsync(HttpClient http, List<byte[]> bodies, int concurrency, int? pid)
    {
        double cpuBefore = pid is int before ? ProcessCpu.Seconds(before) : 0;
        long started = Stopwatch.GetTimestamp();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < bodies.Count; i = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(bodies[i]);
                using HttpResponseMessage response = await http.PostAsync(new Uri("api/v2/write?org=noc&bucket=metrics", UriKind.Relative), content);
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    throw new InvalidOperationException($"VictoriaMetrics answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (seconds, pid is int id ? await ProcessCpu.UntilQuietAsync(id, cpuBefore) : null);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A VictoriaMetrics started on a free loopback port with its data in a temporary folder (both gone on dispose), or one already running.</summary>
internal sealed class VictoriaMetricsProcess : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly string? _folder;

    private VictoriaMetricsProcess(Uri url, Process? process, string? folder)
    {
        Url = url;
        _process = process;
        _folder = folder;
    }

    public Uri Url { get; }

    /// <summary>The PID when this run started it (its CPU can be counted), else null.</summary>
    public int? Pid => _process?.Id;

    public static VictoriaMetricsProcess Attach(Uri url) => new(url, null, null);

    public static VictoriaMetricsProcess Start(string? binary)
    {
        string folder = Directory.CreateTempSubdirectory("noc-vm-bench-").FullName;
        int port = VictoriaMetricsBench.FreePort();
        Process process = Process.Start(new ProcessStartInfo(binary ?? "/usr/bin/victoria-metrics")
        {
            ArgumentList = { $"-httpListenAddr=127.0.0.1:{port}", $"-storageDataPath={folder}", "-loggerLevel=ERROR" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("victoria-metrics did not start");
        return new VictoriaMetricsProcess(new Uri($"http://127.0.0.1:{port}/"), process, folder);
    }

    /// <summary>Waits until <c>/health</c> answers 200 (at most about 10 s).</summary>
    public async Task WaitHealthyAsync(HttpClient http)
    {
        for (int i = 0; ; i++)
        {
            try
            {
                using HttpResponseMessage health = await http.GetAsync(new Uri(Url, "health"));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (i < 100)
            {
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
