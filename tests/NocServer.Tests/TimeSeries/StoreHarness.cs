using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Network.Noc.TimeSeries;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.TimeSeries;

/// <summary>An embedded store on a fresh SQLite file in a temporary folder, on a fake clock started at a random date.</summary>
internal sealed class StoreHarness : IDisposable
{
    private readonly TempFolder _folder = new("noc-timeseries");
    private SqliteDatabase _database;

    public StoreHarness(Action<TimeSeriesOptions>? configure = null, int? seed = null)
    {
        var random = seed is null ? Random.Shared : new Random(seed.Value);
        // Somewhere in 2025-2029, at a random millisecond: nothing may depend on round times.
        Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_735_689_600_000 + random.NextInt64(0, 5L * 365 * 86_400_000)));
        configure?.Invoke(Options);
        DatabasePath = _folder.PathOf("noc.db");
        Meter = new Meter(TimeSeriesMetrics.MeterName);
        Metrics = new TimeSeriesMetrics(Meter);
        _database = NewDatabase();
        Store = NewStore();
    }

    public FakeTimeProvider Time { get; }

    public TimeSeriesOptions Options { get; } = new();

    public string DatabasePath { get; }

    public Meter Meter { get; }

    public TimeSeriesMetrics Metrics { get; }

    public EmbeddedTimeSeriesStore Store { get; private set; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Closes the store without a flush (as a crash would leave it) and opens a new one on the same files.</summary>
    public void Reopen()
    {
        Store.Dispose();
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        _database = NewDatabase();
        Store = NewStore();
    }

    public void Dispose()
    {
        Store.Dispose();
        _database.Dispose();
        Meter.Dispose();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private SqliteDatabase NewDatabase() =>
        new(new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ToString(), [EmbeddedTimeSeriesStore.Schema]);

    private EmbeddedTimeSeriesStore NewStore() =>
        new(_database, Microsoft.Extensions.Options.Options.Create(Options), Time, Metrics, NullLogger<EmbeddedTimeSeriesStore>.Instance);
}

internal static class Points
{
    public static SeriesKey Key(string device = "ap1", string metric = "if_in_bps", string? iface = "eth0", string site = "flageyplein") =>
        SeriesKey.Create(site, device, metric, iface is null ? null : new Dictionary<string, string> { ["if"] = iface });

    public static SeriesQuery Query(long fromMs, long toMs, SeriesResolution resolution, string metric = "if_in_bps", string site = "flageyplein") =>
        new(site, metric, DateTimeOffset.FromUnixTimeMilliseconds(fromMs), DateTimeOffset.FromUnixTimeMilliseconds(toMs)) { Resolution = resolution };
}
