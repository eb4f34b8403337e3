using System.Buffers;
using System.Collections;
using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>
/// The points of one batch (or of one group write) in an array rented from the shared pool, so ingest does not leave a
/// large-object-heap array behind every request (10,000 points are 480 KB). <see cref="Dispose"/> gives the array back;
/// nothing may read the points after that.
/// </summary>
public sealed class PointBatch : IReadOnlyList<SeriesPoint>, ISeriesPointSpan, IDisposable
{
    private SeriesPoint[] _items;

    public PointBatch(int capacity)
    {
        _items = capacity > 0 ? ArrayPool<SeriesPoint>.Shared.Rent(capacity) : [];
    }

    public int Count { get; private set; }

    /// <summary>The points, for loops that should not go through the list interface.</summary>
    public ReadOnlySpan<SeriesPoint> Span => _items.AsSpan(0, Count);

    public SeriesPoint this[int index] => (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Add(in SeriesPoint point)
    {
        if (Count == _items.Length)
        {
            Grow(Count + 1);
        }

        _items[Count++] = point;
    }

    public void AddRange(ReadOnlySpan<SeriesPoint> points)
    {
        if (Count + points.Length > _items.Length)
        {
            Grow(Count + points.Length);
        }

        points.CopyTo(_items.AsSpan(Count));
        Count += points.Length;
    }

    public void Clear()
    {
        _items.AsSpan(0, Count).Clear();
        Count = 0;
    }

    /// <summary>A copy that owns its own array (for a consumer that keeps the points, such as a mirror's queue).</summary>
    public SeriesPoint[] ToArray() => Span.ToArray();

    public IEnumerator<SeriesPoint> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        SeriesPoint[] items = _items;
        _items = [];
        if (items.Length > 0)
        {
            // Cleared: the pool must not keep the batch's strings alive.
            ArrayPool<SeriesPoint>.Shared.Return(items, clearArray: true);
        }

        Count = 0;
    }

    private void Grow(int needed)
    {
        SeriesPoint[] larger = ArrayPool<SeriesPoint>.Shared.Rent(Math.Max(needed, Math.Max(16, _items.Length * 2)));
        Span.CopyTo(larger);
        SeriesPoint[] old = _items;
        _items = larger;
        if (old.Length > 0)
        {
            ArrayPool<SeriesPoint>.Shared.Return(old, clearArray: true);
        }
    }
}
