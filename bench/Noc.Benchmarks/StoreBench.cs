using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Network.Noc.TimeSeries;
using Network.Storage;

namespace Network.Noc.Benchmarks;

/// <summary>
/// Points per second into the embedded store as the ingest writer drives it: one WriteAsync per group-commit batch, then
/// the flush that merges them into SQLite (chunks and rollups), then the same points again (an agent's replay, all duplicates).
/// </summary>
internal static class StoreBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        AgentData data = options.Data();
        List<ArraySegment<SeriesPoint>> batches = data.Batches(options.Batch);
        string folder = Directory.CreateTempSubdirectory("noc-store-bench-").FullName;
        try
        {
            using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var settings = new TimeSeriesOptions { MaxPendingPoints = (int)options.Long("--max-pending", 4_000_000) };
            using var database = new SqliteDatabase(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "noc.db") }.ToString(),
                [EmbeddedTimeSeriesStore.Schema]);
            using var store = new EmbeddedTimeSeriesStore(database, Options.Create(settings), TimeProvider.System,
                new TimeSeriesMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger<EmbeddedTimeSeriesStore>.Instance);
            await store.FlushAsync(default); // opens and migrates the file: not part of the figures

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"embedded store: {data.Points.Length:N0} points, {data.Keys.Count:N0} series, batches of {options.Batch:N0}, max pending {settings.MaxPendingPoints:N0}"));
            Console.WriteLine("phase                      seconds   points/s    cpu-s  µs-cpu/point");
            await PhaseAsync("write (new series)", data.Points.Length, async () =>
            {
                foreach (ArraySegment<SeriesPoint> batch in batches)
                {
                    await store.WriteAsync(batch, default);
                }
            });
            await PhaseAsync("flush to chunks+rollups", data.Points.Length, () => store.FlushAsync(default));
            await PhaseAsync("replay write (duplicates)", data.Points.Length, async () =>
            {
                foreach (ArraySegment<SeriesPoint> batch in batches)
                {
                    await store.WriteAsync(batch, default);
                }
            });
            await PhaseAsync("replay flush", data.Points.Length, () => store.FlushAsync(default));
            // The same series a millisecond later: every stored hour gets new points to merge with its stored ones.
            List<ArraySegment<SeriesPoint>> later = AgentData.Batches([.. data.Points.Select(p => p with { TimestampMs = p.TimestampMs + 1 })], options.Batch);
            await PhaseAsync("write + flush into stored", data.Points.Length, async () =>
            {
                foreach (ArraySegment<SeriesPoint> batch in later)
                {
                    await store.WriteAsync(batch, default);
                }

                await store.FlushAsync(default);
            });

            var file = new FileInfo(Path.Combine(folder, "noc.db"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQLite file after two sets of points: {file.Length / 1048576.0:0.0} MiB"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static async Task PhaseAsync(string name, long points, Func<Task> run)
    {
        GC.Collect();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();
        await run();
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-25} {seconds,8:0.000} {points / seconds,10:N0} {cpuSeconds,8:0.00} {cpuSeconds * 1e6 / points,13:0.00}"));
    }
}
