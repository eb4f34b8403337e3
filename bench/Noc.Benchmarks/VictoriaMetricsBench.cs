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
        var line = new StringBuilder(160);
        List<byte[]> bodies = [.. data.Batches(options.Batch).Select(batch =>
        {
            var body = new StringBuilder(batch.Count * 100);
            foreach (SeriesPoint point in batch)
            {
                body.Append(InfluxTimeSeriesSink.LineProtocol(point, line)).Append('\n');
            }

            return Encoding.UTF8.GetBytes(body.ToString());
        })];

        string? folder = null;
        Process? vm = null;
        Uri url;
        if (options.Value("--vm-url") is string given)
        {
            url = new Uri(given);
        }
        else
        {
            folder = Directory.CreateTempSubdirectory("noc-vm-bench-").FullName;
            int port = FreePort();
            url = new Uri($"http://127.0.0.1:{port}/");
            vm = Process.Start(new ProcessStartInfo(options.Value("--vm-binary") ?? "/usr/bin/victoria-metrics")
            {
                ArgumentList = { $"-httpListenAddr=127.0.0.1:{port}", $"-storageDataPath={folder}", "-loggerLevel=ERROR" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("victoria-metrics did not start");
        }

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            for (int i = 0; ; i++)
            {
                try
                {
                    using HttpResponseMessage health = await http.GetAsync(new Uri("health", UriKind.Relative));
                    if (health.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (i < 100)
                {
                }

                await Task.Delay(100);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"VictoriaMetrics at {url}: {data.Points.Length:N0} points as line protocol ({bodies.Sum(b => (long)b.Length) / 1048576.0:0.0} MiB), {bodies.Count} requests, {options.Concurrency} senders"));
            Console.WriteLine("phase                      seconds   points/s   vm-cpu-s  µs-cpu/point  (cpu until quiet)");
            await PhaseAsync("write (new series)", http, bodies, options.Concurrency, data.Points.Length, vm);
            await PhaseAsync("write again (same points)", http, bodies, options.Concurrency, data.Points.Length, vm);
        }
        finally
        {
            if (vm is not null)
            {
                vm.Kill();
                await vm.WaitForExitAsync();
                vm.Dispose();
            }

            if (folder is not null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task PhaseAsync(string name, HttpClient http, List<byte[]> bodies, int concurrency, long points, Process? vm)
    {
        double cpuBefore = vm is null ? 0 : ProcessCpu.Seconds(vm.Id);
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
        string cpu = "";
        if (vm is not null)
        {
            // VictoriaMetrics answers once a request is parsed and buffered; count the CPU it spends until it is idle again.
            double previous = ProcessCpu.Seconds(vm.Id);
            while (true)
            {
                await Task.Delay(500);
                double now = ProcessCpu.Seconds(vm.Id);
                if (now - previous < 0.02)
                {
                    break;
                }

                previous = now;
            }

            double used = previous - cpuBefore;
            cpu = string.Create(CultureInfo.InvariantCulture, $"{used,10:0.00} {used * 1e6 / points,13:0.00}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-25} {seconds,8:0.000} {points / seconds,10:N0} {cpu}"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
