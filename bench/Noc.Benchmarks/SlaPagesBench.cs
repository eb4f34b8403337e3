using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The SLA pages of a running NOC whose store the <c>sla</c> benchmark filled (schools <c>fts-bench-001</c> and on): the
/// programme page over the twelve months of 2026 and one school's month, rendered and sent whole, signed in as a user
/// of the NOC, several times (the first run apart: cold caches and JIT).
/// </summary>
internal static class SlaPagesBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var url = new Uri(options.Value("--url") ?? throw new ArgumentException("--url http://HOST:PORT is required"));
        string user = options.Value("--user") ?? "admin";
        string password = options.Value("--password") ?? throw new ArgumentException("--password is required");
        int schools = (int)options.Long("--schools", 140);
        int runs = (int)options.Long("--runs", 5);
        // The NOC's process id, for the CPU it spends on each programme page (wall time on a loaded machine is mostly waiting).
        int pid = (int)options.Long("--pid", 0);
        string cookie = await LiveLatencyBench.SignInAsync(url, user, password);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("Cookie", cookie);

        async Task<(double Ms, int Bytes)> GetAsync(string path)
        {
            var watch = Stopwatch.StartNew();
            using HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative));
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            double ms = watch.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
            }

            return (ms, body.Length);
        }

        var programme = new List<double>();
        var programmeCpu = new List<double>();
        var month = new List<double>();
        int programmeBytes = 0;
        int monthBytes = 0;
        for (int run = 0; run <= runs; run++)
        {
            double cpu = pid > 0 ? ProcessCpu.Seconds(pid) : 0;
            (double ms, programmeBytes) = await GetAsync("/sla/programme?from=2026-01&to=2026-12");
            programme.Add(ms);
            programmeCpu.Add(pid > 0 ? (ProcessCpu.Seconds(pid) - cpu) * 1000 : double.NaN);
            for (int m = 1; m <= 12; m++)
            {
                string school = string.Create(CultureInfo.InvariantCulture, $"fts-bench-{(run * 12 + m) % schools + 1:000}");
                (double monthMs, monthBytes) = await GetAsync(string.Create(CultureInfo.InvariantCulture, $"/sla/schools/{school}?month=2026-{m:00}"));
                month.Add(monthMs);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"programme page, {schools} schools x 12 months ({programmeBytes:N0} bytes): first {programme[0]:0} ms, then median {Median(programme.Skip(1)):0} ms (min {programme.Skip(1).Min():0}, max {programme.Skip(1).Max():0}), NOC CPU median {Median(programmeCpu.Skip(1)):0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"school month page ({monthBytes:N0} bytes): first {month[0]:0.0} ms, then median {Median(month.Skip(12)):0.0} ms (max {month.Skip(12).Max():0.0}), {month.Count - 12} pages"));
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
