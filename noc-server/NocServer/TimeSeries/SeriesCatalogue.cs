using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Network.Storage;

namespace Network.Noc.TimeSeries;

/// <summary>
/// The series catalogue of the embedded store: every series' id and key, in <c>ts_series</c> and in memory. Readers use
/// the lookup by site and metric; only the writer (one at a time, under the store's gate) resolves keys to ids.
/// </summary>
internal sealed class SeriesCatalogue
{
    // Readers and the writer share the lookup by site and metric and the id → key list.
    private readonly Lock _lock = new();
    private readonly List<SeriesKey> _keys = [default];
    private readonly Dictionary<(string Site, string Metric), List<int>> _bySiteMetric = [];

    // Only the writer uses the key → id map, and the map of one write's keys by identity.
    private readonly Dictionary<SeriesKey, int> _ids = [];
    private readonly Dictionary<SeriesKey, int> _idsThisWrite = new(SameStrings.Instance);

    /// <summary>Series in the catalogue.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count - 1;
            }
        }
    }

    /// <summary>The id the next new series gets (writer only).</summary>
    public int NextId => _keys.Count;

    /// <summary>Series the writer knows (writer only).</summary>
    public int WriterCount => _ids.Count;

    /// <summary>Whether <paramref name="id"/> names a series (for the point log's records).</summary>
    public bool Contains(int id) => id > 0 && id < _keys.Count;

    /// <summary>Every stored series, by id.</summary>
    public static List<(long Id, SeriesKey Key)> Read(SqliteConnection connection)
    {
        var list = new List<(long, SeriesKey)>();
        using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT id, site, device, metric, labels FROM ts_series ORDER BY id;");
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), new SeriesKey(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))));
        }

        return list;
    }

    /// <summary>The catalogue as stored (at open).</summary>
    public void Reset(List<(long Id, SeriesKey Key)> rows)
    {
        lock (_lock)
        {
            _keys.Clear();
            _keys.Add(default);
            _bySiteMetric.Clear();
            _ids.Clear();
            foreach ((long id, SeriesKey key) in rows)
            {
                Add((int)id, key);
            }
        }
    }

    /// <summary>
    /// The id of a known series (writer only). A batch read by the ingest's fast path names each site, device, metric and
    /// label set with one string instance: after the first point of a series in this write, its key is found by identity,
    /// without hashing four strings. Any other key (or a miss) goes to the map by value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(in SeriesKey key, out int id)
    {
        if (_idsThisWrite.TryGetValue(key, out id))
        {
            return true;
        }

        if (_ids.TryGetValue(key, out id))
        {
            _idsThisWrite.Add(key, id);
            return true;
        }

        return false;
    }

    /// <summary>Remembers a series created in this write by identity (writer only).</summary>
    public void RememberInWrite(in SeriesKey key, int id) => _idsThisWrite.Add(key, id);

    /// <summary>Ends a write: the identity map holds the batch's strings only for the length of the write.</summary>
    public void EndWrite() => _idsThisWrite.Clear();

    /// <summary>Stores new series numbered from <paramref name="firstId"/>, then adds them to the catalogue.</summary>
    public async Task InsertAsync(SqliteDatabase database, List<SeriesKey> created, int firstId, CancellationToken cancellationToken)
    {
        await database.WriteAsync((connection, transaction) =>
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

        lock (_lock)
        {
            for (int i = 0; i < created.Count; i++)
            {
                Add(firstId + i, created[i]);
            }
        }
    }

    /// <summary>The series a query names, by device then labels.</summary>
    public List<(int Id, SeriesKey Key)> Match(SeriesQuery query)
    {
        var matched = new List<(int Id, SeriesKey Key)>();
        lock (_lock)
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


    // Under _lock (or before anyone reads).
    private void Add(int id, SeriesKey key)
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

    /// <summary>Keys equal when their four strings are the same instances (never equal by accident; may miss equal values).</summary>
    private sealed class SameStrings : IEqualityComparer<SeriesKey>
    {
        public static readonly SameStrings Instance = new();

        public bool Equals(SeriesKey x, SeriesKey y) =>
            ReferenceEquals(x.Site, y.Site) && ReferenceEquals(x.Device, y.Device) && ReferenceEquals(x.Metric, y.Metric) && ReferenceEquals(x.Labels, y.Labels);

        public int GetHashCode(SeriesKey obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Site), RuntimeHelpers.GetHashCode(obj.Device), RuntimeHelpers.GetHashCode(obj.Metric), RuntimeHelpers.GetHashCode(obj.Labels));
    }
}
