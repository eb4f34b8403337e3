using System.Globalization;

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
        int schools = (int)options.Long("--schools", 140);
        int runs = (int)options.Long("--runs", 5);
        using BenchPages pages = await BenchPages.SignInAsync(options);
        var programme = new List<double>();
        var programmeCpu = new List<double>();
        var month = new List<double>();
        int programmeBytes = 0;
        int monthBytes = 0;
        for (int run = 0; run <= runs; run++)
        {
            double cpu = pages.NocCpuSeconds();
            (double ms, programmeBytes) = await pages.GetAsync("/sla/programme?from=2026-01&to=2026-12");
            programme.Add(ms);
            programmeCpu.Add((pages.NocCpuSeconds() - cpu) * 1000);
            for (int m = 1; m <= 12; m++)
            {
                string school = string.Create(CultureInfo.InvariantCulture, $"fts-bench-{(run * 12 + m) % schools + 1:000}");
                (double monthMs, monthBytes) = await pages.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/sla/schools/{school}?month=2026-{m:00}"));
                month.Add(monthMs);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"programme page, {schools} schools x 12 months ({programmeBytes:N0} bytes): first {programme[0]:0} ms, then median {BenchPages.Median(programme.Skip(1)):0} ms (min {programme.Skip(1).Min():0}, max {programme.Skip(1).Max():0}), NOC CPU median {BenchPages.Median(programmeCpu.Skip(1)):0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"school month page ({monthBytes:N0} bytes): first {month[0]:0.0} ms, then median {BenchPages.Median(month.Skip(12)):0.0} ms (max {month.Skip(12).Max():0.0}), {month.Count - 12} pages"));
        return 0;
    }
}
