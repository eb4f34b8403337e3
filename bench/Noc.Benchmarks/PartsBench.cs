using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The steps of the ingest path before the store, one at a time, in this process: CPU time (this thread) and bytes allocated
/// per sample, over the same JSON bodies the <c>http</c> and <c>versus</c> modes send. Each step runs once to warm up, then
/// is measured over <c>--rounds</c> passes.
/// </summary>
internal static class PartsBench
{
    public static Task<int> RunAsync(BenchOptions options)
    {
        int rounds = (int)options.Long("--rounds", 3);
        SeriesPoint[] points = new AgentData(1, options.Devices, options.Metrics, options.Points, siteName: "hs-beursplein").Points;
        List<byte[]> bodies = HttpIngestBench.Bodies(["bench0"], [points], options.Batch, gzip: false)[0];
        long samples = points.Length;
        SampleBatch[] batches = [.. bodies.Select(b => JsonSerializer.Deserialize(b, IngestJsonContext.Default.SampleBatch)!)];
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long minMs = now - (long)TimeSpan.FromDays(30).TotalMilliseconds;
        long maxMs = now + (long)TimeSpan.FromMinutes(5).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{samples:N0} samples in {bodies.Count} bodies of {options.Batch:N0}; {rounds} rounds a step"));
        Console.WriteLine("step                                   ns-cpu/sample  bytes/sample");

        Measure("System.Text.Json into SampleBatch", samples, rounds, () =>
        {
            long n = 0;
            foreach (byte[] body in bodies)
            {
                n += JsonSerializer.Deserialize(body, IngestJsonContext.Default.SampleBatch)!.Samples.Count;
            }

            return n;
        });
        Measure("SampleValidation.TryConvert", samples, rounds, () =>
        {
            long n = 0;
            foreach (SampleBatch batch in batches)
            {
                foreach (Sample sample in batch.Samples)
                {
                    n += SampleValidation.TryConvert(sample, minMs, maxMs, 16, out _) is null ? 1 : 0;
                }
            }

            return n;
        });
        var window = new SampleWindow(minMs, maxMs, 16, 200_000, 10_000);
        using var points2 = new PointBatch(options.Batch);
        Measure("SampleBatchReader (fast path)", samples, rounds, () =>
        {
            long n = 0;
            foreach (byte[] body in bodies)
            {
                points2.Clear();
                if (!SampleBatchReader.TryRead(body, window, new BatchNames(), points2, out _, out _, out _))
                {
                    throw new InvalidOperationException("the fast path declined an agent's batch");
                }

                n += points2.Count;
            }

            return n;
        });
        return Task.FromResult(0);
    }

    private static void Measure(string name, long samples, int rounds, Func<long> step)
    {
        if (step() != samples)
        {
            throw new InvalidOperationException($"{name}: did not see every sample");
        }

        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int r = 0; r < rounds; r++)
        {
            step();
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-38} {cpu * 1e9 / (samples * rounds),14:0} {allocated / (double)(samples * rounds),13:0}"));
    }
}
