using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Network.Storage;

namespace Network.Noc.TimeSeries;

/// <summary>What one retention pass removed: the raw points of so many series-hours, their minute buckets, and whole hour rows.</summary>
public readonly record struct RetentionResult(long RawHours, long MinuteHours, long HourRows);

/// <summary>
/// The embedded time-series store (sink <c>embedded</c>, and the reader of every dashboard and report), on the NOC's SQLite file
/// and a folder next to it.
/// <para>
/// Write path: a call resolves series ids from the in-memory catalogue (new series are inserted into <c>ts_series</c>),
/// appends one record to the point log (<see cref="PointLog"/>, the folder <c>&lt;database&gt;-timeseries</c>) and adds the
/// points to per-series buffers in memory. Nothing per point touches SQLite: a row per point with rollup rows measured
/// 32,000 points/s here (17 µs of CPU a point), this layout about a million (docs/benchmarks.md, "NOC time series").
/// </para>
/// <para>
/// Flush (every <c>FlushInterval</c>, or at once past <c>MaxPendingPoints</c>): the buffered points of each series are cut into
/// hours; each series-hour is merged with its stored raw points (a timestamp already stored keeps its first value), its hour
/// bucket is recomputed from all of that hour's points, and both are written back as one row of <c>ts_hours</c>. Minute
/// buckets are computed from the raw points while those are kept, and stored from them when retention drops them. So
/// rollups stay exact whatever the order, lateness or repetition of the points, and a flush cut short by a crash is simply
/// redone from the log. Then the log is deleted.
/// </para>
/// <para>
/// Reads merge the stored chunks and rollups with the buffered points, so a point is visible as soon as its write returns.
/// </para>
/// <para>
/// Points older than <c>RawRetention</c> (an agent's backlog after a long outage) are taken like any other: into a new hour
/// row with its raw points, which the next retention pass turns into minute buckets, or, when retention has taken the
/// hour's raw points already, added to its hour and minute buckets. Then a repeated point can no longer be told from a new
/// one, so those points are counted once only because a batch comes in once: ingest refuses a batch whose sequence it has
/// stored. Only points older than <c>HourRetention</c>, which the store would not keep, are dropped at the door.
/// </para>
/// </summary>
public sealed class EmbeddedTimeSeriesStore : ITimeSeriesSink, ITimeSeriesReader, IDisposable
{
    private const int SeriesHoursPerTransaction = 4096;
    private static readonly long s_maxFutureMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private readonly SqliteDatabase _database;
    private readonly TimeSeriesOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeSeriesMetrics _metrics;
    private readonly ILogger _logger;

    // One writer at a time: writes, flushes and retention passes.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Readers and the writer share the catalogue's lookup by site and metric and the id → key list.
    private readonly Lock _catalogueLock = new();
    private readonly List<SeriesKey> _keys = [default];
    private readonly Dictionary<(string Site, string Metric), List<int>> _bySiteMetric = [];

    // Only the writer (under _gate) uses the key → id map, and the map of one write's keys by identity.
    private readonly Dictionary<SeriesKey, int> _ids = [];
    private readonly Dictionary<SeriesKey, int> _idsThisWrite = new(SameStrings.Instance);

    // Points written but not merged yet, in arrival order; readers copy what they need under the lock.
    private readonly Lock _pendingLock = new();
    private readonly PendingPoints _pending = new();
    private long _pendingSinceMs = -1;

    private readonly Lock _openLock = new();
    private Task? _open;
    private PointLog? _log;
    private int[] _idBuffer = [];
    private long _lastCleanupMs = long.MinValue;

    public EmbeddedTimeSeriesStore(
        SqliteDatabase database, IOptions<TimeSeriesOptions> options, TimeProvider time, TimeSeriesMetrics metrics, ILogger<EmbeddedTimeSeriesStore> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        LogFolder = Path.GetFullPath(database.FilePath) + "-timeseries";
    }

    /// <summary>The tables of the time-series feature, registered with <see cref="SqliteDatabase"/>.</summary>
    public static SqliteSchema Schema { get; } = new("timeseries",
    [
        """
        CREATE TABLE ts_series (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            device TEXT NOT NULL,
            metric TEXT NOT NULL,
            labels TEXT NOT NULL,
            UNIQUE (site, metric, device, labels)
        ) STRICT;
        -- One row per series and hour (hour_ms: its start, Unix ms): the hour bucket, then the raw points (12 bytes each:
        -- ms into the hour, value; NULL after RawRetention), then the minute buckets (40 bytes each: minute, count, sum, min,
        -- max, last), which are computed from the raw points while those are kept and stored when they go (until MinuteRetention).
        -- One row, so a flush costs one read and one write per series-hour. No foreign key: series are never deleted,
        -- and the check would cost a lookup per row.
        CREATE TABLE ts_hours (
            series_id INTEGER NOT NULL,
            hour_ms INTEGER NOT NULL,
            count INTEGER NOT NULL,
            sum REAL NOT NULL,
            min REAL NOT NULL,
            max REAL NOT NULL,
            last REAL NOT NULL,
            points BLOB,
            minutes BLOB,
            PRIMARY KEY (series_id, hour_ms)
        ) STRICT;
        -- Retention finds what to expire through these, without walking the years of rows already expired.
        CREATE INDEX ts_hours_with_points ON ts_hours (hour_ms) WHERE points IS NOT NULL;
        CREATE INDEX ts_hours_with_minutes ON ts_hours (hour_ms) WHERE minutes IS NOT NULL;
        """,
    ]);

    public string Name => "embedded";

    /// <summary>The folder of the point log, next to the SQLite file.</summary>
    public string LogFolder { get; }

    /// <summary>Series in the catalogue.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_catalogueLock)
            {
                return _keys.Count - 1;
            }
        }
    }

    /// <summary>Points written and not merged into SQLite yet (duplicates included).</summary>
    public long PendingPoints
    {
        get
        {
            lock (_pendingLock)
            {
                return _pending.Count;
            }
        }
    }

    public async ValueTask WriteAsync(IReadOnlyList<SeriesPoint> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return;
        }

        await EnsureOpenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long started = Stopwatch.GetTimestamp();
            await WriteCoreAsync(points, cancellationToken).ConfigureAwait(false);
            _metrics.Written(Name, points.Count, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<SeriesData>> ReadAsync(SeriesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.To <= query.From)
        {
            throw new ArgumentException($"the range is empty: From {query.From:O} is not before To {query.To:O}", nameof(query));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(query.MaxSeries, 1, nameof(query));
        await EnsureOpenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

        SeriesResolution resolution = Resolve(query, _time.GetUtcNow(), _options);
        long from = query.From.ToUnixTimeMilliseconds();
        long to = query.To.ToUnixTimeMilliseconds();
        List<(int Id, SeriesKey Key)> series = Match(query);
        if (series.Count == 0)
        {
            return [];
        }

        // The buffered points first, the stored ones second: a flush that commits in between shows a point twice
        // (and the merge keeps one), never not at all.
        Dictionary<int, PointBuffer> pending = PendingCopy(series, resolution == SeriesResolution.Raw ? from : SeriesChunks.HourOf(from), to);
        return await _database.ReadAsync(
            connection => ReadStored(connection, series, pending, resolution, from, to, query.MaxSeries), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Merges the buffered points into the stored chunks and rollups now.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await EnsureOpenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes what retention no longer keeps (after a flush, so nothing buffered is aimed at a deleted hour).</summary>
    public async Task<RetentionResult> CleanupAsync(CancellationToken cancellationToken)
    {
        await EnsureOpenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _lastCleanupMs = now;
            int series = SeriesCount;
            RetentionResult result = await _database.WriteAsync((connection, transaction) => new RetentionResult(
                ExpireRaw(connection, transaction, now - (long)_options.RawRetention.TotalMilliseconds),
                ExpireMinutes(connection, transaction, now - (long)_options.MinuteRetention.TotalMilliseconds),
                DeleteHours(connection, transaction, series, now - (long)_options.HourRetention.TotalMilliseconds)),
                cancellationToken).ConfigureAwait(false);
            _metrics.Deleted("raw", result.RawHours);
            _metrics.Deleted("minute", result.MinuteHours);
            _metrics.Deleted("hour", result.HourRows);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One tick of the background service: a flush when the oldest buffered point has waited <c>FlushInterval</c>, and a
    /// retention pass when <c>CleanupInterval</c> has passed since the last one.
    /// </summary>
    public async Task MaintainAsync(CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_lastCleanupMs == long.MinValue || now - _lastCleanupMs >= (long)_options.CleanupInterval.TotalMilliseconds)
        {
            await CleanupAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        long since;
        lock (_pendingLock)
        {
            since = _pendingSinceMs;
        }

        if (since >= 0 && now - since >= (long)_options.FlushInterval.TotalMilliseconds)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _log?.Dispose();
        _gate.Dispose();
        lock (_pendingLock)
        {
            _pending.Dispose();
        }
    }

    /// <summary>Keys equal when their four strings are the same instances (never equal by accident; may miss equal values).</summary>
    private sealed class SameStrings : IEqualityComparer<SeriesKey>
    {
        public static readonly SameStrings Instance = new();

        public bool Equals(SeriesKey x, SeriesKey y) =>
            ReferenceEquals(x.Site, y.Site) && ReferenceEquals(x.Device, y.Device) && ReferenceEquals(x.Metric, y.Metric) && ReferenceEquals(x.Labels, y.Labels);

        public int GetHashCode(SeriesKey obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Site), RuntimeHelpers.GetHashCode(obj.Device), RuntimeHelpers.GetHashCode(obj.Metric), RuntimeHelpers.GetHashCode(obj.Labels));
    }

    /// <summary>Auto picks by the range (raw up to 6 hours, minutes up to 7 days, hours beyond), and never a resolution already gone at From.</summary>
    internal static SeriesResolution Resolve(SeriesQuery query, DateTimeOffset now, TimeSeriesOptions options)
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

    /// <summary>
    /// A file whose time series are in the layout of the first builds of 2026-11-29 (<c>ts_raw</c>, <c>ts_minute</c>,
    /// <c>ts_hour</c>; its migration was rewritten before any release) cannot be read or written: say so, and how to
    /// start its time series afresh, instead of failing every flush with "no such table".
    /// </summary>
    private static void ThrowIfEarlierLayout(SqliteConnection connection, string file)
    {
        using SqliteCommand command = SqliteDatabase.Command(connection, null,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'ts_hours';");
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            throw new InvalidOperationException(
                $"{file}: its time series are in an earlier layout (tables ts_raw, ts_minute, ts_hour) that this version does not read. "
                + "To start the time series afresh and keep everything else (inventory, users, agents, alarms), stop the NOC and run "
                + $"sqlite3 '{file}' \"DROP TABLE ts_raw; DROP TABLE ts_minute; DROP TABLE ts_hour; DROP TABLE ts_series; DELETE FROM schema_version WHERE component = 'timeseries';\" "
                + $"and remove the folder '{Path.GetFullPath(file)}-timeseries' (its point log numbers series the old way).");
        }
    }

    private Task EnsureOpenAsync()
    {
        lock (_openLock)
        {
            if (_open is null || _open.IsFaulted || _open.IsCanceled)
            {
                _open = Task.Run(OpenAsync);
            }

            return _open;
        }
    }

    private async Task OpenAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            List<(long Id, SeriesKey Key)> rows = await _database.ReadAsync(connection =>
            {
                ThrowIfEarlierLayout(connection, _database.FilePath);
                var list = new List<(long, SeriesKey)>();
                using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT id, site, device, metric, labels FROM ts_series ORDER BY id;");
                using SqliteDataReader reader = command.ExecuteReader();
                while (reader.Read())
                {
                    list.Add((reader.GetInt64(0), new SeriesKey(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))));
                }

                return list;
            }, CancellationToken.None).ConfigureAwait(false);

            lock (_catalogueLock)
            {
                _keys.Clear();
                _keys.Add(default);
                _bySiteMetric.Clear();
                _ids.Clear();
                foreach ((long id, SeriesKey key) in rows)
                {
                    AddToCatalogue((int)id, key);
                }
            }

            _metrics.SeriesAdded(rows.Count);
            _log?.Dispose();
            _log = new PointLog(LogFolder, _options.SyncWrites);
            long recovered;
            lock (_pendingLock)
            {
                recovered = _log.Recover((id, ts, value) =>
                {
                    if (id > 0 && id < _keys.Count)
                    {
                        _pending.Add(id, ts, value);
                    }
                });
                _pendingSinceMs = _pending.Count > 0 ? _time.GetUtcNow().ToUnixTimeMilliseconds() : -1;
            }

            if (recovered > 0)
            {
                _logger.LogInformation("Time series: {Points} points recovered from the point log in {Folder}", recovered, LogFolder);
            }

            // Merges what the log held (or just deletes the log files when they held nothing intact).
            await FlushCoreAsync(CancellationToken.None).ConfigureAwait(false);
            _logger.LogInformation("Time series: {Series} series in {File}", rows.Count, _database.FilePath);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteCoreAsync(IReadOnlyList<SeriesPoint> points, CancellationToken cancellationToken)
    {
        if (points is not (ISeriesPointSpan or SeriesPoint[] or ArraySegment<SeriesPoint> or List<SeriesPoint>))
        {
            points = points.ToArray();
        }

        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        int firstNewId = _keys.Count;
        (int accepted, List<SeriesKey>? created) = ResolveIds(SeriesPointLists.AsSpan(points), now, firstNewId);
        if (accepted == 0)
        {
            return;
        }

        if (created is not null)
        {
            await InsertSeriesAsync(created, firstNewId, cancellationToken).ConfigureAwait(false);
        }

        Append(SeriesPointLists.AsSpan(points), accepted, now);
        if (PendingPoints >= _options.MaxPendingPoints)
        {
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The series id of every point in <c>_idBuffer</c> (0: refused, and counted by reason), new series numbered from
    /// <paramref name="firstNewId"/>; returns how many points were accepted and the new series' keys.
    /// </summary>
    private (int Accepted, List<SeriesKey>? Created) ResolveIds(ReadOnlySpan<SeriesPoint> points, long now, int firstNewId)
    {
        // Points older than the raw retention (a backlog after a long outage) are taken: they go into their hours'
        // rollups. Only what the store would not keep at all is refused.
        long oldest = now - (long)_options.HourRetention.TotalMilliseconds;
        long newest = now + s_maxFutureMs;
        if (_idBuffer.Length < points.Length)
        {
            _idBuffer = new int[Math.Max(points.Length, _idBuffer.Length * 2)];
        }

        Span<int> ids = _idBuffer.AsSpan(0, points.Length);
        List<SeriesKey>? created = null;
        Dictionary<SeriesKey, int>? createdIds = null;
        int accepted = 0;
        long invalid = 0, tooOld = 0, future = 0, overLimit = 0;
        for (int i = 0; i < points.Length; i++)
        {
            ref readonly SeriesPoint point = ref points[i];
            ids[i] = 0;
            if (!double.IsFinite(point.Value) || !IsValid(point.Key))
            {
                invalid++;
                continue;
            }

            if (point.TimestampMs < oldest)
            {
                tooOld++;
                continue;
            }

            if (point.TimestampMs > newest)
            {
                future++;
                continue;
            }

            // A batch read by the ingest's fast path names each site, device, metric and label set with one string
            // instance: after the first point of a series in this write, its key is found by identity, without hashing
            // four strings. Any other key (or a miss) goes to the catalogue's map, by value.
            if (!_idsThisWrite.TryGetValue(point.Key, out int id))
            {
                if (!_ids.TryGetValue(point.Key, out id))
                {
                    created ??= [];
                    createdIds ??= [];
                    if (!createdIds.TryGetValue(point.Key, out id))
                    {
                        if (_ids.Count + created.Count >= _options.MaxSeries)
                        {
                            overLimit++;
                            continue;
                        }

                        id = firstNewId + created.Count;
                        created.Add(point.Key);
                        createdIds.Add(point.Key, id);
                    }
                }

                _idsThisWrite.Add(point.Key, id);
            }

            ids[i] = id;
            accepted++;
        }

        // The map holds the batch's strings only for the length of the write.
        _idsThisWrite.Clear();
        _metrics.Dropped("invalid", invalid);
        _metrics.Dropped("too_old", tooOld);
        _metrics.Dropped("future", future);
        _metrics.Dropped("series_limit", overLimit);
        return (accepted, created);
    }

    /// <summary>The accepted points (a series id in <c>_idBuffer</c>) to the point log, then to the pending points.</summary>
    private void Append(ReadOnlySpan<SeriesPoint> points, int accepted, long now)
    {
        ReadOnlySpan<int> ids = _idBuffer.AsSpan(0, points.Length);
        _log!.Append(ids, points, accepted);
        lock (_pendingLock)
        {
            for (int i = 0; i < points.Length; i++)
            {
                if (ids[i] != 0)
                {
                    _pending.Add(ids[i], points[i].TimestampMs, points[i].Value);
                }
            }

            if (_pendingSinceMs < 0)
            {
                _pendingSinceMs = now;
            }
        }
    }

    private static bool IsValid(SeriesKey key) =>
        !string.IsNullOrEmpty(key.Site) && !string.IsNullOrEmpty(key.Metric) && key.Device is not null && key.Labels is not null;

    private async Task InsertSeriesAsync(List<SeriesKey> created, int firstId, CancellationToken cancellationToken)
    {
        await _database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand insert = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO ts_series (id, site, device, metric, labels) VALUES ($id, $site, $device, $metric, $labels);");
            SqliteParameter id = insert.Parameters.Add("$id", SqliteType.Integer);
            SqliteParameter site = insert.Parameters.Add("$site", SqliteType.Text);
            SqliteParameter device = insert.Parameters.Add("$device", SqliteType.Text);
            SqliteParameter metric = insert.Parameters.Add("$metric", SqliteType.Text);
            SqliteParameter labels = insert.Parameters.Add("$labels", SqliteType.Text);
            insert.Prepare();
            for (int i = 0; i < created.Count; i++)
            {
                id.Value = firstId + i;
                site.Value = created[i].Site;
                device.Value = created[i].Device;
                metric.Value = created[i].Metric;
                labels.Value = created[i].Labels;
                insert.ExecuteNonQuery();
            }

            return created.Count;
        }, cancellationToken).ConfigureAwait(false);

        lock (_catalogueLock)
        {
            for (int i = 0; i < created.Count; i++)
            {
                AddToCatalogue(firstId + i, created[i]);
            }
        }

        _metrics.SeriesAdded(created.Count);
    }

    // Under _catalogueLock (or before anyone reads).
    private void AddToCatalogue(int id, SeriesKey key)
    {
        while (_keys.Count < id)
        {
            _keys.Add(default);
        }

        _keys.Add(key);
        _ids[key] = id;
        if (!_bySiteMetric.TryGetValue((key.Site, key.Metric), out List<int>? list))
        {
            list = [];
            _bySiteMetric.Add((key.Site, key.Metric), list);
        }

        list.Add(id);
    }

    private async Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        var work = new List<(int Id, long Hour, PointBuffer Points)>();
        long duplicates = 0;
        int idBound = SeriesCount + 1;
        lock (_pendingLock)
        {
            // Grouped by series in ascending id (also the order of ts_hours' primary key), in arrays kept by the pool between
            // flushes; a series whose points came in order (the usual case) is cut into hours straight from them.
            int count = (int)_pending.Count;
            long[] timestamps = ArrayPool<long>.Shared.Rent(count);
            double[] values = ArrayPool<double>.Shared.Rent(count);
            foreach ((int id, int start, int length) in _pending.BySeries(idBound, timestamps, values))
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
        }

        _metrics.Dropped("duplicate_pending", duplicates);
        for (int start = 0; start < work.Count; start += SeriesHoursPerTransaction)
        {
            int end = Math.Min(work.Count, start + SeriesHoursPerTransaction);
            await _database.WriteAsync((connection, transaction) => MergeHours(connection, transaction, work, start, end), cancellationToken)
                .ConfigureAwait(false);
        }

        lock (_pendingLock)
        {
            _pending.Clear();
            _pendingSinceMs = -1;
        }

        // Every point the log held is in SQLite now.
        _log!.Truncate();
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

    private static void SplitByHour(int id, PointBuffer sorted, List<(int Id, long Hour, PointBuffer Points)> into) =>
        SplitByHour(id, sorted.Timestamps, sorted.Values, into);

    /// <summary>Sorted, unique points of one series cut into hours, each hour's points in a buffer of its own.</summary>
    private static void SplitByHour(int id, ReadOnlySpan<long> ts, ReadOnlySpan<double> values, List<(int Id, long Hour, PointBuffer Points)> into)
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
    private static int MergeHours(SqliteConnection connection, SqliteTransaction transaction, List<(int Id, long Hour, PointBuffer Points)> work, int start, int end)
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

    // A row, or one of its blobs, goes when its whole hour is older than the cutoff.
    private static long ExpireRaw(SqliteConnection connection, SqliteTransaction transaction, long cutoffMs)
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

    private static long ExpireMinutes(SqliteConnection connection, SqliteTransaction transaction, long cutoffMs)
    {
        using SqliteCommand command = SqliteDatabase.Command(connection, transaction,
            "UPDATE ts_hours SET minutes = NULL WHERE minutes IS NOT NULL AND hour_ms <= $last;");
        command.Parameters.AddWithValue("$last", cutoffMs - SeriesChunks.HourMs);
        return command.ExecuteNonQuery();
    }

    private static long DeleteHours(SqliteConnection connection, SqliteTransaction transaction, int series, long cutoffMs)
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

    private List<(int Id, SeriesKey Key)> Match(SeriesQuery query)
    {
        var matched = new List<(int Id, SeriesKey Key)>();
        lock (_catalogueLock)
        {
            if (!_bySiteMetric.TryGetValue((query.Site, query.Metric), out List<int>? ids))
            {
                return matched;
            }

            foreach (int id in ids)
            {
                SeriesKey key = _keys[id];
                if (query.Device is null || string.Equals(query.Device, key.Device, StringComparison.Ordinal))
                {
                    matched.Add((id, key));
                }
            }
        }

        if (query.Labels is { Count: > 0 } wanted)
        {
            matched.RemoveAll(m =>
            {
                IReadOnlyDictionary<string, string> labels = m.Key.LabelMap();
                return !wanted.All(w => labels.TryGetValue(w.Key, out string? v) && string.Equals(v, w.Value, StringComparison.Ordinal));
            });
        }

        matched.Sort(static (a, b) =>
        {
            int byDevice = string.CompareOrdinal(a.Key.Device, b.Key.Device);
            return byDevice != 0 ? byDevice : string.CompareOrdinal(a.Key.Labels, b.Key.Labels);
        });
        return matched;
    }

    private Dictionary<int, PointBuffer> PendingCopy(List<(int Id, SeriesKey Key)> series, long from, long to)
    {
        Dictionary<int, PointBuffer> copies;
        int[] ids = [.. series.Select(s => s.Id)];
        lock (_pendingLock)
        {
            copies = _pending.Copy(ids, from, to);
        }

        foreach (PointBuffer copy in copies.Values)
        {
            copy.SortUnique();
        }

        return copies;
    }

    private static List<SeriesData> ReadStored(
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
            SplitByHour(id, buffered, split);
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
