using System.Diagnostics;
using System.Net;

namespace Network.Noc.Benchmarks;

/// <summary>
/// What the page benchmarks (<c>sla-pages</c>, <c>report-pages</c>) share: a client signed in to a running NOC
/// (<c>--url</c>, <c>--user</c>, <c>--password</c>) that asks for a page and reads it whole, and the NOC's CPU
/// (<c>--pid</c>: wall time on a loaded machine is mostly waiting).
/// </summary>
internal sealed class BenchPages : IDisposable
{
    private readonly HttpClient _http;
    private readonly int _pid;

    private BenchPages(HttpClient http, int pid)
    {
        _http = http;
        _pid = pid;
    }

    public static async Task<BenchPages> SignInAsync(BenchOptions options)
    {
        var url = new Uri(options.Value("--url") ?? throw new ArgumentException("--url http://HOST:PORT is required"));
        string user = options.Value("--user") ?? "admin";
        string password = options.Value("--password") ?? throw new ArgumentException("--password is required");
        string cookie = await LiveLatencyBench.SignInAsync(url, user, password);
        var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        return new BenchPages(http, (int)options.Long("--pid", 0));
    }

    /// <summary>A page (or any answer) asked for and read whole: the wall time and its size; anything but 200 stops the run.</summary>
    public async Task<(double Ms, int Bytes)> GetAsync(string path)
    {
        var watch = Stopwatch.StartNew();
        using HttpResponseMessage response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        double ms = watch.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
        }

        return (ms, body.Length);
    }

    /// <summary>The NOC's CPU seconds so far (NaN without <c>--pid</c>).</summary>
    public double NocCpuSeconds() => _pid > 0 ? ProcessCpu.Seconds(_pid) : double.NaN;

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public void Dispose() => _http.Dispose();
}
