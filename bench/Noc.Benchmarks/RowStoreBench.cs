using System.Globalization;
using Microsoft.Data.Sqlite;
using Network.Noc.TimeSeries;
using SQLitePCL;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The design the embedded store did not take, measured so the choice can be checked: one SQLite row per point
/// (<c>(series_id, ts)</c> primary key, <c>ON CONFLICT DO NOTHING</c> for idempotence), and 1-minute and 1-hour rollup rows
/// merged per batch from the points that were new. Straight on SQLitePCL's prepared statements (no boxing, no ADO.NET
/// layer): the best case for that design. Same data and batches as the store run.
/// </summary>
internal static class RowStoreBench
{
    private static string Upsert(string table) => $"""
        INSERT INTO {table} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        ON CONFLICT DO UPDATE SET n = n + excluded.n, sum = sum + excluded.sum, min = min(min, excluded.min), max = max(max, excluded.max),
            last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END, last_ts = max(last_ts, excluded.last_ts);
        """;

    public static async Task RunAsync(BenchOptions options)
    {
        AgentData data = options.Data();
        var ids = new Dictionary<SeriesKey, int>();
        foreach (SeriesKey key in data.Keys)
        {
            ids.Add(key, ids.Count + 1);
        }

        string folder = Directory.CreateTempSubdirectory("noc-rows-bench-").FullName;
        try
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "rows.db")}");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            Execute(connection, "CREATE TABLE points (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series_id, ts)) STRICT, WITHOUT ROWID;");
            foreach (string table in (string[])["minutes", "hours"])
            {
                Execute(connection, $"CREATE TABLE {table} (series_id INTEGER NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, last_ts INTEGER NOT NULL, last REAL NOT NULL, PRIMARY KEY (series_id, bucket)) STRICT, WITHOUT ROWID;");
            }

            sqlite3 db = connection.Handle!;
            Check(db, raw.sqlite3_prepare_v2(db, "INSERT INTO points VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING;", out sqlite3_stmt insert));
            Check(db, raw.sqlite3_prepare_v2(db, Upsert("minutes"), out sqlite3_stmt minuteUpsert));
            Check(db, raw.sqlite3_prepare_v2(db, Upsert("hours"), out sqlite3_stmt hourUpsert));
            var minutes = new Dictionary<(int, long), Bucket>();
            var hours = new Dictionary<(int, long), Bucket>();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"one SQLite row per point: {data.Points.Length:N0} points, {data.Keys.Count:N0} series, batches of {options.Batch:N0}"));
            Console.WriteLine("phase                      seconds   points/s    cpu-s  µs-cpu/point");
            await StoreBench.PhaseAsync("rows + rollup rows", data.Points.Length, () =>
            {
                foreach (ArraySegment<SeriesPoint> batch in data.Batches(options.Batch))
                {
                    Execute(connection, "BEGIN IMMEDIATE;");
                    foreach (SeriesPoint point in batch)
                    {
                        int id = ids[point.Key];
                        raw.sqlite3_bind_int64(insert, 1, id);
                        raw.sqlite3_bind_int64(insert, 2, point.TimestampMs);
                        raw.sqlite3_bind_double(insert, 3, point.Value);
                        Step(db, insert);
                        if (raw.sqlite3_changes(db) == 1)
                        {
                            Add(minutes, (id, point.TimestampMs - (point.TimestampMs % 60_000)), point);
                            Add(hours, (id, point.TimestampMs - (point.TimestampMs % 3_600_000)), point);
                        }
                    }

                    Flush(db, minutes, minuteUpsert);
                    Flush(db, hours, hourUpsert);
                    Execute(connection, "COMMIT;");
                }

                return Task.CompletedTask;
            });
            foreach (sqlite3_stmt statement in (sqlite3_stmt[])[insert, minuteUpsert, hourUpsert])
            {
                raw.sqlite3_finalize(statement);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Add(Dictionary<(int, long), Bucket> buckets, (int, long) key, SeriesPoint point)
    {
        double v = point.Value;
        buckets[key] = buckets.TryGetValue(key, out Bucket b)
            ? new Bucket(b.Count + 1, b.Sum + v, Math.Min(b.Min, v), Math.Max(b.Max, v), Math.Max(b.LastTs, point.TimestampMs), point.TimestampMs >= b.LastTs ? v : b.Last)
            : new Bucket(1, v, v, v, point.TimestampMs, v);
    }

    private static void Flush(sqlite3 db, Dictionary<(int, long), Bucket> buckets, sqlite3_stmt upsert)
    {
        foreach (((int id, long bucket), Bucket b) in buckets)
        {
            raw.sqlite3_bind_int64(upsert, 1, id);
            raw.sqlite3_bind_int64(upsert, 2, bucket);
            raw.sqlite3_bind_int64(upsert, 3, b.Count);
            raw.sqlite3_bind_double(upsert, 4, b.Sum);
            raw.sqlite3_bind_double(upsert, 5, b.Min);
            raw.sqlite3_bind_double(upsert, 6, b.Max);
            raw.sqlite3_bind_int64(upsert, 7, b.LastTs);
            raw.sqlite3_bind_double(upsert, 8, b.Last);
            Step(db, upsert);
        }

        buckets.Clear();
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        int rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw new InvalidOperationException($"SQLite: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private readonly record struct Bucket(long Count, double Sum, double Min, double Max, long LastTs, double Last);
}
