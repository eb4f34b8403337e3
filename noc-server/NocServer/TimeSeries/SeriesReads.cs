using Microsoft.Data.Sqlite;
using Network.Storage;

namespace Network.Noc.TimeSeries;

/// <summary>
/// Queries of the embedded store: the resolution a query gets, and its buckets from the stored chunks and rollups merged
/// with the points still buffered.
/// </summary>
internal static class SeriesReads
{
    /// <summary>Auto picks by the range (raw up to 6 hours, minutes up to 7 days, hours beyond), and never a resolution already gone at From.</summary>
    public static SeriesResolution Resolve(SeriesQuery query, DateTimeOffset now, TimeSeriesOptions options)
    {
        if (query.Resolution != SeriesResolution.Auto)
        {
            return query.Resolution;
        }

        TimeSpan span = query.To - query.From;
        if (span <= TimeSpan.FromHours(6) && query.From >= now - options.RawRetention)
        {
            return SeriesResolution.Raw;
        }

        return span <= TimeSpan.FromDays(7) && query.From >= now - options.MinuteRetention ? SeriesResolution.Minute : SeriesResolution.Hour;
    }

    public static List<SeriesData> ReadStored(
        SqliteConnection connection, List<(int Id, SeriesKey Key)> series, Dictionary<int, PointBuffer> pending,
        SeriesResolution resolution, long from, long to, int maxSeries)
    {
        using SqliteCommand raw = RangeCommand(connection, "SELECT hour_ms, points FROM ts_hours", "AND points IS NOT NULL");
        using SqliteCommand minutes = RangeCommand(connection, "SELECT hour_ms, minutes, points FROM ts_hours", "AND (points IS NOT NULL OR minutes IS NOT NULL)");
        using SqliteCommand hours = RangeCommand(connection, "SELECT hour_ms, count, sum, min, max, last FROM ts_hours", "");
        long fromHour = SeriesChunks.HourOf(from);
        var result = new List<SeriesData>();
        foreach ((int id, SeriesKey key) in series)
        {
            pending.TryGetValue(id, out PointBuffer? buffered);
            List<SeriesBucket> buckets = resolution switch
            {
                SeriesResolution.Raw => RawBuckets(raw, id, fromHour, from, to, buffered),
                SeriesResolution.Minute => RollupBuckets(minutes, raw, id, fromHour, SeriesChunks.MinuteOf(from), to, buffered, minute: true),
                _ => RollupBuckets(hours, raw, id, fromHour, fromHour, to, buffered, minute: false),
            };
            if (buckets.Count > 0)
            {
                result.Add(new SeriesData(key, resolution, buckets));
                if (result.Count == maxSeries)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static SqliteCommand RangeCommand(SqliteConnection connection, string select, string condition)
    {
        SqliteCommand command = SqliteDatabase.Command(connection, null,
            $"{select} WHERE series_id = $id AND hour_ms >= $from AND hour_ms < $to {condition} ORDER BY hour_ms;");
        command.Parameters.Add("$id", SqliteType.Integer);
        command.Parameters.Add("$from", SqliteType.Integer);
        command.Parameters.Add("$to", SqliteType.Integer);
        return command;
    }

    private static SqliteDataReader Range(SqliteCommand command, int id, long fromHour, long to)
    {
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = fromHour;
        command.Parameters[2].Value = to;
        return command.ExecuteReader();
    }

    private static PointBuffer StoredRaw(SqliteCommand raw, int id, long fromHour, long from, long to)
    {
        var stored = new PointBuffer();
        using SqliteDataReader reader = Range(raw, id, fromHour, to);
        while (reader.Read())
        {
            PointBuffer chunk = SeriesChunks.DecodePoints(reader.GetFieldValue<byte[]>(1), reader.GetInt64(0));
            ReadOnlySpan<long> ts = chunk.Timestamps;
            ReadOnlySpan<double> values = chunk.Values;
            for (int i = 0; i < ts.Length; i++)
            {
                if (ts[i] >= from && ts[i] < to)
                {
                    stored.Add(ts[i], values[i]);
                }
            }
        }

        return stored;
    }

    private static List<SeriesBucket> RawBuckets(SqliteCommand raw, int id, long fromHour, long from, long to, PointBuffer? buffered)
    {
        PointBuffer stored = StoredRaw(raw, id, fromHour, from, to);
        PointBuffer merged = buffered is null ? stored : PointBuffer.Merge(stored, buffered);
        var buckets = new List<SeriesBucket>(merged.Count);
        ReadOnlySpan<long> ts = merged.Timestamps;
        ReadOnlySpan<double> values = merged.Values;
        for (int i = 0; i < ts.Length; i++)
        {
            buckets.Add(new SeriesBucket(ts[i], values[i], values[i], values[i], values[i], 1));
        }

        return buckets;
    }

    private static List<SeriesBucket> RollupBuckets(
        SqliteCommand rollups, SqliteCommand raw, int id, long fromHour, long firstBucket, long to, PointBuffer? buffered, bool minute)
    {
        if (!minute && buffered is null)
        {
            // Hours with nothing buffered (a report over past months): the stored rows are the buckets, in order.
            var hourly = new List<SeriesBucket>();
            using SqliteDataReader reader = Range(rollups, id, fromHour, to);
            while (reader.Read())
            {
                hourly.Add(new Rollup(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5))
                    .ToBucket());
            }

            return hourly;
        }

        // Hour start → that hour's buckets, from the stored rollups...
        var byHour = new SortedDictionary<long, List<Rollup>>();
        using (SqliteDataReader reader = Range(rollups, id, fromHour, to))
        {
            while (reader.Read())
            {
                long hour = reader.GetInt64(0);
                var list = new List<Rollup>();
                if (minute && !reader.IsDBNull(2))
                {
                    list = SeriesChunks.Minutes(SeriesChunks.DecodePoints(reader.GetFieldValue<byte[]>(2), hour));
                }
                else if (minute)
                {
                    SeriesChunks.DecodeMinutes(reader.GetFieldValue<byte[]>(1), hour, list);
                }
                else
                {
                    list.Add(new Rollup(hour, reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)));
                }

                byHour[hour] = list;
            }
        }

        // ...and, for the hours that have buffered points, recomputed from the stored and buffered points together.
        if (buffered is not null)
        {
            var split = new List<(int Id, long Hour, PointBuffer Points)>();
            HourMerge.SplitByHour(id, buffered, split);
            foreach ((_, long hour, PointBuffer points) in split)
            {
                PointBuffer stored = StoredRaw(raw, id, hour, hour, hour + SeriesChunks.HourMs);
                if (stored.Count == 0 && byHour.TryGetValue(hour, out List<Rollup>? rollupsOnly))
                {
                    // The hour's raw points are gone: the buffered ones will be added to its rollups (see AddToRollups).
                    byHour[hour] = minute ? SeriesChunks.AddMinutes(rollupsOnly, SeriesChunks.Minutes(points)) : [rollupsOnly[0].Add(SeriesChunks.Hour(points, hour))];
                    continue;
                }

                PointBuffer merged = PointBuffer.Merge(stored, points);
                byHour[hour] = minute ? SeriesChunks.Minutes(merged) : [SeriesChunks.Hour(merged, hour)];
            }
        }

        var buckets = new List<SeriesBucket>();
        foreach (List<Rollup> list in byHour.Values)
        {
            foreach (Rollup r in list)
            {
                if (r.StartMs >= firstBucket && r.StartMs < to)
                {
                    buckets.Add(r.ToBucket());
                }
            }
        }

        return buckets;
    }
}
