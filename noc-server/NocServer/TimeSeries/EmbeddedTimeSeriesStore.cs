using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Network.Storage;

namespace Network.Noc.TimeSeries;

/// <summary>
/// The embedded time-series store (sink <c>embedded</c>, and the reader of every dashboard and report), on the NOC's SQLite file
/// and a folder next to it.
/// This class is the write path and the one writer (writes, flushes and retention passes take turns); the jobs it hands out:
/// the series catalogue (<see cref="SeriesCatalogue"/>), flush and merge (<see cref="HourMerge"/>), retention
/// (<see cref="SeriesRetention"/>) and queries (<see cref="SeriesReads"/>).
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
    private static readonly long s_maxFutureMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private readonly SqliteDatabase _database;
    private readonly TimeSeriesOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeSeriesMetrics _metrics;
    private readonly ILogger _logger;

    // One writer at a time: writes, flushes and retention passes.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly SeriesCatalogue _catalogue = new();

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
    public int SeriesCount => _catalogue.Count;

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

        SeriesResolution resolution = SeriesReads.Resolve(query, _time.GetUtcNow(), _options);
        long from = query.From.ToUnixTimeMilliseconds();
        long to = query.To.ToUnixTimeMilliseconds();
        List<(int Id, SeriesKey Key)> series = _catalogue.Match(query);
        if (series.Count == 0)
        {
            return [];
        }

        // The buffered points first, the stored ones second: a flush that commits in between shows a point twice
        // (and the merge keeps one), never not at all.
        Dictionary<int, PointBuffer> pending = PendingCopy(series, resolution == SeriesResolution.Raw ? from : SeriesChunks.HourOf(from), to);
        return await _database.ReadAsync(
            connection => SeriesReads.ReadStored(connection, series, pending, resolution, from, to, query.MaxSeries), cancellationToken).ConfigureAwait(false);
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
            RetentionResult result = await _database.WriteAsync(
                (connection, transaction) => SeriesRetention.Run(connection, transaction, now, _options, series), cancellationToken).ConfigureAwait(false);
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
            List<(long Id, SeriesKey Key)> rows = await _database.ReadAsync(SeriesCatalogue.Read, CancellationToken.None).ConfigureAwait(false);

            _catalogue.Reset(rows);

            _metrics.SeriesAdded(rows.Count);
            _log?.Dispose();
            _log = new PointLog(LogFolder, _options.SyncWrites);
            long recovered;
            lock (_pendingLock)
            {
                recovered = _log.Recover((id, ts, value) =>
                {
                    if (_catalogue.Contains(id))
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
        int firstNewId = _catalogue.NextId;
        (int accepted, List<SeriesKey>? created) = ResolveIds(SeriesPointLists.AsSpan(points), now, firstNewId);
        if (accepted == 0)
        {
            return;
        }

        if (created is not null)
        {
            await _catalogue.InsertAsync(_database, created, firstNewId, cancellationToken).ConfigureAwait(false);
            _metrics.SeriesAdded(created.Count);
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

            if (!_catalogue.TryFind(point.Key, out int id))
            {
                created ??= [];
                createdIds ??= [];
                if (!createdIds.TryGetValue(point.Key, out id))
                {
                    if (_catalogue.WriterCount + created.Count >= _options.MaxSeries)
                    {
                        overLimit++;
                        continue;
                    }

                    id = firstNewId + created.Count;
                    created.Add(point.Key);
                    createdIds.Add(point.Key, id);
                }

                _catalogue.RememberInWrite(point.Key, id);
            }

            ids[i] = id;
            accepted++;
        }

        _catalogue.EndWrite();
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

    private async Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        var work = new List<(int Id, long Hour, PointBuffer Points)>();
        long duplicates;
        int idBound = SeriesCount + 1;
        lock (_pendingLock)
        {
            duplicates = HourMerge.Cut(_pending, idBound, work);
        }

        _metrics.Dropped("duplicate_pending", duplicates);
        for (int start = 0; start < work.Count; start += HourMerge.SeriesHoursPerTransaction)
        {
            int end = Math.Min(work.Count, start + HourMerge.SeriesHoursPerTransaction);
            await _database.WriteAsync((connection, transaction) => HourMerge.MergeHours(connection, transaction, work, start, end), cancellationToken)
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

}
