using System.Buffers;
using Microsoft.Data.Sqlite;
using Network.Storage;

namespace Network.Noc.TimeSeries;

/// <summary>
/// Flush and merge: buffered points cut into series-hours, and each series-hour merged into its row of <c>ts_hours</c>
/// (raw points merged by timestamp and the hour bucket recomputed; once retention has taken the raw points, added to the
/// hour and minute buckets).
/// </summary>
internal static class HourMerge
{
    /// <summary>Series-hours merged in one transaction.</summary>
    public const int SeriesHoursPerTransaction = 4096;

    /// <summary>
    /// The buffered points cut into series-hours, grouped by series in ascending id (also the order of ts_hours' primary key),
    /// in arrays kept by the pool between flushes; a series whose points came in order (the usual case) is cut into hours
    /// straight from them. Returns the repeated points left out. The caller holds the lock of <paramref name="pending"/>.
    /// </summary>
    public static long Cut(PendingPoints pending, int idBound, List<(int Id, long Hour, PointBuffer Points)> work)
    {
        long duplicates = 0;
        int count = (int)pending.Count;
        long[] timestamps = ArrayPool<long>.Shared.Rent(count);
        double[] values = ArrayPool<double>.Shared.Rent(count);
        foreach ((int id, int start, int length) in pending.BySeries(idBound, timestamps, values))
        {
            ReadOnlySpan<long> ts = timestamps.AsSpan(start, length);
            ReadOnlySpan<double> vs = values.AsSpan(start, length);
            if (IsStrictlyRising(ts))
            {
                SplitByHour(id, ts, vs, work);
                continue;
            }

            var buffer = new PointBuffer(ts.ToArray(), vs.ToArray(), length);
            duplicates += buffer.SortUnique();
            SplitByHour(id, buffer, work);
        }

        if (count > 0)
        {
            ArrayPool<long>.Shared.Return(timestamps);
            ArrayPool<double>.Shared.Return(values);
        }

        return duplicates;
    }

    private static bool IsStrictlyRising(ReadOnlySpan<long> ts)
    {
        for (int i = 1; i < ts.Length; i++)
        {
            if (ts[i] <= ts[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    public static void SplitByHour(int id, PointBuffer sorted, List<(int Id, long Hour, PointBuffer Points)> into) =>
        SplitByHour(id, sorted.Timestamps, sorted.Values, into);

    /// <summary>Sorted, unique points of one series cut into hours, each hour's points in a buffer of its own.</summary>
    public static void SplitByHour(int id, ReadOnlySpan<long> ts, ReadOnlySpan<double> values, List<(int Id, long Hour, PointBuffer Points)> into)
    {
        int i = 0;
        while (i < ts.Length)
        {
            long hour = SeriesChunks.HourOf(ts[i]);
            int end = i + 1;
            while (end < ts.Length && ts[end] < hour + SeriesChunks.HourMs)
            {
                end++;
            }

            into.Add((id, hour, new PointBuffer(ts[i..end].ToArray(), values[i..end].ToArray(), end - i)));
            i = end;
        }
    }

    /// <summary>Merges series-hours [start, end) of <paramref name="work"/> into the stored chunks and rollups.</summary>
    public static int MergeHours(SqliteConnection connection, SqliteTransaction transaction, List<(int Id, long Hour, PointBuffer Points)> work, int start, int end)
    {
        using SqliteCommand read = SqliteDatabase.Command(connection, transaction,
            "SELECT points, count, sum, min, max, last, minutes FROM ts_hours WHERE series_id = $id AND hour_ms = $hour;");
        read.Parameters.Add("$id", SqliteType.Integer);
        read.Parameters.Add("$hour", SqliteType.Integer);
        using SqliteCommand write = SqliteDatabase.Command(connection, transaction, """
            INSERT INTO ts_hours (series_id, hour_ms, count, sum, min, max, last, points)
            VALUES ($id, $hour, $count, $sum, $min, $max, $last, $points)
            ON CONFLICT (series_id, hour_ms) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min,
                max = excluded.max, last = excluded.last, points = excluded.points;
            """);
        SqliteParameter id = write.Parameters.Add("$id", SqliteType.Integer);
        SqliteParameter hourMs = write.Parameters.Add("$hour", SqliteType.Integer);
        SqliteParameter count = write.Parameters.Add("$count", SqliteType.Integer);
        SqliteParameter sum = write.Parameters.Add("$sum", SqliteType.Real);
        SqliteParameter min = write.Parameters.Add("$min", SqliteType.Real);
        SqliteParameter max = write.Parameters.Add("$max", SqliteType.Real);
        SqliteParameter last = write.Parameters.Add("$last", SqliteType.Real);
        SqliteParameter raw = write.Parameters.Add("$points", SqliteType.Blob);

        SqliteCommand? addToRollups = null;
        for (int w = start; w < end; w++)
        {
            (int seriesId, long hour, PointBuffer points) = work[w];
            read.Parameters[0].Value = seriesId;
            read.Parameters[1].Value = hour;
            PointBuffer merged = points;
            using (SqliteDataReader row = read.ExecuteReader())
            {
                if (row.Read())
                {
                    if (row.IsDBNull(0))
                    {
                        // Retention has taken this hour's raw points: these points (a backlog after a long outage) are
                        // added to its rollups. A copy of a batch never gets here: ingest refuses a sequence it stored.
                        AddToRollups(addToRollups ??= AddToRollupsCommand(connection, transaction), row, seriesId, hour, points);
                        continue;
                    }

                    PointBuffer stored = SeriesChunks.DecodePoints(row.GetFieldValue<byte[]>(0), hour);
                    merged = PointBuffer.Merge(stored, points);
                    if (merged.Count == stored.Count)
                    {
                        continue;
                    }
                }
            }

            Rollup total = SeriesChunks.Hour(merged, hour);
            id.Value = seriesId;
            hourMs.Value = hour;
            count.Value = total.Count;
            sum.Value = total.Sum;
            min.Value = total.Min;
            max.Value = total.Max;
            last.Value = total.Last;
            raw.Value = SeriesChunks.EncodePoints(merged, hour);
            write.ExecuteNonQuery();
        }

        addToRollups?.Dispose();
        return end - start;
    }

    private static SqliteCommand AddToRollupsCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
            UPDATE ts_hours SET count = $count, sum = $sum, min = $min, max = $max, last = $last, minutes = $minutes
            WHERE series_id = $id AND hour_ms = $hour;
            """);
        foreach (string name in (ReadOnlySpan<string>)["$id", "$hour", "$count"])
        {
            command.Parameters.Add(name, SqliteType.Integer);
        }

        foreach (string name in (ReadOnlySpan<string>)["$sum", "$min", "$max", "$last"])
        {
            command.Parameters.Add(name, SqliteType.Real);
        }

        command.Parameters.Add("$minutes", SqliteType.Blob);
        return command;
    }

    /// <summary>
    /// Adds an hour's points to its stored rollups (<paramref name="row"/>: points, count, sum, min, max, last, minutes) when
    /// its raw points are gone: the hour bucket, and the minute buckets while those are kept.
    /// </summary>
    private static void AddToRollups(SqliteCommand update, SqliteDataReader row, int seriesId, long hour, PointBuffer points)
    {
        var stored = new Rollup(hour, row.GetInt64(1), row.GetDouble(2), row.GetDouble(3), row.GetDouble(4), row.GetDouble(5));
        Rollup total = stored.Add(SeriesChunks.Hour(points, hour));
        object minutes = DBNull.Value;
        if (!row.IsDBNull(6))
        {
            var storedMinutes = new List<Rollup>();
            SeriesChunks.DecodeMinutes(row.GetFieldValue<byte[]>(6), hour, storedMinutes);
            minutes = SeriesChunks.EncodeMinutes(SeriesChunks.AddMinutes(storedMinutes, SeriesChunks.Minutes(points)), hour);
        }

        update.Parameters["$id"].Value = seriesId;
        update.Parameters["$hour"].Value = hour;
        update.Parameters["$count"].Value = total.Count;
        update.Parameters["$sum"].Value = total.Sum;
        update.Parameters["$min"].Value = total.Min;
        update.Parameters["$max"].Value = total.Max;
        update.Parameters["$last"].Value = total.Last;
        update.Parameters["$minutes"].Value = minutes;
        update.ExecuteNonQuery();
    }
}
