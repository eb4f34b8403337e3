using System.Globalization;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The report pages of a running NOC whose store the <c>reports</c> benchmark filled (200 hotspots, 150 schools, 2025 and
/// 2026): the yearly report page of 2026, next to its data alone from the API (<c>/api/v1/reports/yearly</c>: the same
/// report as JSON, so the difference is the page's rendering), and the monthly page of each month of 2026; each read
/// whole, signed in, several times (the first run apart: cold caches and JIT).
/// </summary>
internal static class ReportPagesBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int runs = (int)options.Long("--runs", 5);
        using BenchPages pages = await BenchPages.SignInAsync(options);
        var yearly = new List<double>();
        var yearlyCpu = new List<double>();
        var api = new List<double>();
        var apiCpu = new List<double>();
        var monthly = new List<double>();
        int yearlyBytes = 0, apiBytes = 0, monthlyBytes = 0;
        for (int run = 0; run <= runs; run++)
        {
            double cpu = pages.NocCpuSeconds();
            (double ms, yearlyBytes) = await pages.GetAsync("/reports/yearly?year=2026");
            yearly.Add(ms);
            yearlyCpu.Add((pages.NocCpuSeconds() - cpu) * 1000);
            cpu = pages.NocCpuSeconds();
            (ms, apiBytes) = await pages.GetAsync("/api/v1/reports/yearly?year=2026");
            api.Add(ms);
            apiCpu.Add((pages.NocCpuSeconds() - cpu) * 1000);
            for (int m = 1 + run % 3; m <= 12; m += 3)
            {
                (ms, monthlyBytes) = await pages.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/reports/monthly?month=2026-{m:00}"));
                monthly.Add(ms);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"yearly report page 2026 ({yearlyBytes:N0} bytes): first {yearly[0]:0} ms, then median {BenchPages.Median(yearly.Skip(1)):0} ms (min {yearly.Skip(1).Min():0}, max {yearly.Skip(1).Max():0}), NOC CPU median {BenchPages.Median(yearlyCpu.Skip(1)):0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the same report as JSON ({apiBytes:N0} bytes): first {api[0]:0} ms, then median {BenchPages.Median(api.Skip(1)):0} ms (min {api.Skip(1).Min():0}, max {api.Skip(1).Max():0}), NOC CPU median {BenchPages.Median(apiCpu.Skip(1)):0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"monthly report page ({monthlyBytes:N0} bytes): first {monthly[0]:0} ms, then median {BenchPages.Median(monthly.Skip(4)):0} ms (max {monthly.Skip(4).Max():0}), {monthly.Count - 4} pages; load {ProcessCpu.LoadAverage()}"));
        return 0;
    }
}
