using System.Runtime.InteropServices;

namespace Network.Noc.TimeSeries;

/// <summary>
/// The embedded store's points that are written (in the point log) and not merged into SQLite yet, in arrival order,
/// column by column (series id, timestamp, value) in fixed-size chunks. A write appends; nothing grows, nothing is copied,
/// nothing is sorted until the flush groups the points by series. The chunks are native memory, out of the collector's
/// reach: minutes of points neither grow its heap, nor get promoted, nor make it collect; after a flush they are kept for
/// the next points (as many as the last flush used, so a burst does not hold its memory for ever) and freed on
/// <see cref="Dispose"/>. Not thread-safe: the store locks.
/// </summary>
internal sealed class PendingPoints : IDisposable
{
    /// <summary>Points per chunk: 320 KB a chunk (4 + 8 + 8 bytes a point).</summary>
    public const int ChunkPoints = 16 * 1024;

    private readonly List<Chunk> _chunks = [];
    private readonly Stack<Chunk> _free = new();
    private int _used = ChunkPoints;
    private bool _disposed;

    /// <summary>Points held.</summary>
    public long Count { get; private set; }

    /// <summary>Chunks held, in use and kept for reuse (for tests and metrics).</summary>
    public int ChunksAllocated => _chunks.Count + _free.Count;

    public void Add(int id, long timestampMs, double value)
    {
        if (_used == ChunkPoints)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _chunks.Add(_free.Count > 0 ? _free.Pop() : new Chunk());
            _used = 0;
        }

        Chunk chunk = _chunks[^1];
        chunk.Ids[_used] = id;
        chunk.Timestamps[_used] = timestampMs;
        chunk.Values[_used] = value;
        _used++;
        Count++;
    }

    /// <summary>
    /// The points grouped by series into <paramref name="timestamps"/> and <paramref name="values"/> (at least <see cref="Count"/>
    /// long): each series' points side by side in arrival order (so a sort that keeps the first of equal timestamps keeps the
    /// one written first), the series in ascending id. Returns where each series starts and how many points it has.
    /// <paramref name="seriesCount"/> bounds the ids (ids are below it).
    /// </summary>
    public List<(int Id, int Start, int Count)> BySeries(int seriesCount, Span<long> timestamps, Span<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(timestamps.Length, values.Length), Count);

        // A counting sort by series id: count, give each series its place, then put every point there, chunk by chunk.
        int[] next = new int[seriesCount];
        for (int c = 0; c < _chunks.Count; c++)
        {
            foreach (int id in Ids(c))
            {
                next[id]++;
            }
        }

        var series = new List<(int Id, int Start, int Count)>();
        int start = 0;
        for (int id = 0; id < seriesCount; id++)
        {
            if (next[id] > 0)
            {
                series.Add((id, start, next[id]));
                (next[id], start) = (start, start + next[id]);
            }
        }

        for (int c = 0; c < _chunks.Count; c++)
        {
            ReadOnlySpan<int> ids = Ids(c);
            ReadOnlySpan<long> ts = _chunks[c].Timestamps[..ids.Length];
            ReadOnlySpan<double> vs = _chunks[c].Values[..ids.Length];
            for (int i = 0; i < ids.Length; i++)
            {
                int at = next[ids[i]]++;
                timestamps[at] = ts[i];
                values[at] = vs[i];
            }
        }

        return series;
    }

    /// <summary>Copies of the points of the wanted series with timestamps in [from, to), in arrival order (series without any are left out).</summary>
    public Dictionary<int, PointBuffer> Copy(IReadOnlyCollection<int> wanted, long from, long to)
    {
        var copies = new Dictionary<int, PointBuffer>();
        if (wanted.Count == 0 || Count == 0)
        {
            return copies;
        }

        // A mask over the wanted ids' range: the series of one site and metric were mostly created together, so it is short.
        int low = wanted.Min();
        bool[] mask = new bool[wanted.Max() - low + 1];
        foreach (int id in wanted)
        {
            mask[id - low] = true;
        }

        for (int c = 0; c < _chunks.Count; c++)
        {
            ReadOnlySpan<int> ids = Ids(c);
            ReadOnlySpan<long> ts = _chunks[c].Timestamps[..ids.Length];
            ReadOnlySpan<double> values = _chunks[c].Values[..ids.Length];
            for (int i = 0; i < ids.Length; i++)
            {
                uint at = (uint)(ids[i] - low);
                if (at < (uint)mask.Length && mask[at] && ts[i] >= from && ts[i] < to)
                {
                    if (!copies.TryGetValue(ids[i], out PointBuffer? copy))
                    {
                        copies.Add(ids[i], copy = new PointBuffer());
                    }

                    copy.Add(ts[i], values[i]);
                }
            }
        }

        return copies;
    }

    /// <summary>Forgets every point; keeps the chunks that were in use (and only those) for the next points.</summary>
    public void Clear()
    {
        while (_free.TryPop(out Chunk? unused))
        {
            unused.Dispose();
        }

        foreach (Chunk chunk in _chunks)
        {
            _free.Push(chunk);
        }

        _chunks.Clear();
        _used = ChunkPoints;
        Count = 0;
    }

    /// <summary>Frees every chunk; the points are gone (they are in the point log).</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (Chunk chunk in _chunks.Concat(_free))
        {
            chunk.Dispose();
        }

        _chunks.Clear();
        _free.Clear();
        _used = ChunkPoints;
        Count = 0;
    }

    /// <summary>The series ids of chunk <paramref name="c"/>, as far as it is filled.</summary>
    private ReadOnlySpan<int> Ids(int c) => _chunks[c].Ids[..(c == _chunks.Count - 1 ? _used : ChunkPoints)];

    /// <summary>One block of native memory: the timestamps, the values, then the series ids of <see cref="ChunkPoints"/> points.</summary>
    private sealed unsafe class Chunk : IDisposable
    {
        private byte* _memory = (byte*)NativeMemory.Alloc(ChunkPoints * (nuint)(sizeof(long) + sizeof(double) + sizeof(int)));

        public Span<long> Timestamps => new(Memory, ChunkPoints);

        public Span<double> Values => new(Memory + (ChunkPoints * sizeof(long)), ChunkPoints);

        public Span<int> Ids => new(Memory + (ChunkPoints * (sizeof(long) + sizeof(double))), ChunkPoints);

        private byte* Memory => _memory is not null ? _memory : throw new ObjectDisposedException(nameof(Chunk));

        public void Dispose()
        {
            NativeMemory.Free(_memory);
            _memory = null;
        }
    }
}
