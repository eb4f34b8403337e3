using Microsoft.Data.Sqlite;
using Network.Storage;

namespace Network.Noc.TimeSeries;

/// <summary>What one retention pass removed: the raw points of so many series-hours, their minute buckets, and whole hour rows.</summary>
public readonly record struct RetentionResult(long RawHours, long MinuteHours, long HourRows);

/// <summary>
/// Retention of the embedded store: raw points become minute buckets after <c>RawRetention</c>, minute buckets go after
/// <c>MinuteRetention</c>, whole hour rows after <c>HourRetention</c>.
/// </summary>
internal static class SeriesRetention
{
    /// <summary>One pass, in the caller's transaction, at <paramref name="nowMs"/>; <paramref name="series"/>: the highest series id.</summary>
    public static RetentionResult Run(SqliteConnection connection, SqliteTransaction transaction, long nowMs, TimeSeriesOptions options, int series) => new(
        ExpireRaw(connection, transaction, nowMs - (long)options.RawRetention.TotalMilliseconds),
        ExpireMinutes(connection, transaction, nowMs - (long)options.MinuteRetention.TotalMilliseconds),
        DeleteHours(connection, transaction, series, nowMs - (long)options.HourRetention.TotalMilliseconds));

    // A row, or one of its blobs, goes when its whole hour is older than the cutoff.
    public static long ExpireRaw(SqliteConnection connection, SqliteTransaction transaction, long cutoffMs)
    {
        // The minute buckets are stored as the raw points they come from go, a few thousand rows at a time.
        using SqliteCommand select = SqliteDatabase.Command(connection, transaction,
            "SELECT series_id, hour_ms, points FROM ts_hours WHERE points IS NOT NULL AND hour_ms <= $last LIMIT 4096;");
        select.Parameters.AddWithValue("$last", cutoffMs - SeriesChunks.HourMs);
        using SqliteCommand update = SqliteDatabase.Command(connection, transaction,
            "UPDATE ts_hours SET minutes = $minutes, points = NULL WHERE series_id = $id AND hour_ms = $hour;");
        SqliteParameter minutes = update.Parameters.Add("$minutes", SqliteType.Blob);
        SqliteParameter id = update.Parameters.Add("$id", SqliteType.Integer);
        SqliteParameter hourMs = update.Parameters.Add("$hour", SqliteType.Integer);
        long expired = 0;
        var rows = new List<(long Id, long Hour, byte[] Minutes)>();
        do
        {
            rows.Clear();
            using (SqliteDataReader reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    long hour = reader.GetInt64(1);
                    PointBuffer points = SeriesChunks.DecodePoints(reader.GetFieldValue<byte[]>(2), hour);
                    rows.Add((reader.GetInt64(0), hour, SeriesChunks.EncodeMinutes(SeriesChunks.Minutes(points), hour)));
                }
            }

            foreach ((long seriesId, long hour, byte[] blob) in rows)
            {
                minutes.Value = blob;
                id.Value = seriesId;
                hourMs.Value = hour;
                update.ExecuteNonQuery();
            }

            expired += rows.Count;
        }
        while (rows.Count > 0);
        return expired;
    }

    public static long ExpireMinutes(SqliteConnection connection, SqliteTransaction transaction, long cutoffMs)
    {
        using SqliteCommand command = SqliteDatabase.Command(connection, transaction,
            "UPDATE ts_hours SET minutes = NULL WHERE minutes IS NOT NULL AND hour_ms <= $last;");
        command.Parameters.AddWithValue("$last", cutoffMs - SeriesChunks.HourMs);
        return command.ExecuteNonQuery();
    }

    public static long DeleteHours(SqliteConnection connection, SqliteTransaction transaction, int series, long cutoffMs)
    {
        // Series by series, along the primary key: an index on hour_ms alone would cost every insert a B-tree update.
        using SqliteCommand command = SqliteDatabase.Command(connection, transaction, "DELETE FROM ts_hours WHERE series_id = $id AND hour_ms <= $last;");
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);
        command.Parameters.AddWithValue("$last", cutoffMs - SeriesChunks.HourMs);
        long deleted = 0;
        for (int i = 1; i <= series; i++)
        {
            id.Value = i;
            deleted += command.ExecuteNonQuery();
        }

        return deleted;
    }
}
