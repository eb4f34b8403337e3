using System.Buffers.Binary;

namespace Network.Noc.TimeSeries;

/// <summary>Points of one series, timestamps (Unix ms) and values side by side; grows like a list.</summary>
internal sealed class PointBuffer
{
    private long[] _ts;
    private double[] _values;

    public PointBuffer(int capacity = 4)
    {
        _ts = new long[Math.Max(capacity, 1)];
        _values = new double[Math.Max(capacity, 1)];
    }

    /// <summary>Takes <paramref name="timestamps"/> and <paramref name="values"/> (the first <paramref name="count"/> of each) as its points, without a copy.</summary>
    public PointBuffer(long[] timestamps, double[] values, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Math.Min(timestamps.Length, values.Length));
        _ts = timestamps;
        _values = values;
        Count = count;
        for (int i = 1; i < count && Ordered; i++)
        {
            Ordered = timestamps[i] > timestamps[i - 1];
        }
    }

    public int Count { get; private set; }

    /// <summary>True while every point was added after a strictly older one (nothing to sort or deduplicate).</summary>
    public bool Ordered { get; private set; } = true;

    public ReadOnlySpan<long> Timestamps => _ts.AsSpan(0, Count);

    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    public void Add(long ts, double value)
    {
        if (Count == _ts.Length)
        {
            Array.Resize(ref _ts, _ts.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
        }

        if (Count > 0 && ts <= _ts[Count - 1])
        {
            Ordered = false;
        }

        _ts[Count] = ts;
        _values[Count] = value;
        Count++;
    }

    public void Clear()
    {
        Count = 0;
        Ordered = true;
    }

    /// <summary>
    /// Sorts by timestamp and keeps one point per timestamp: the one added first (a replayed point never replaces
    /// the original). Returns how many duplicates went.
    /// </summary>
    public int SortUnique()
    {
        if (Ordered)
        {
            return 0;
        }

        var order = new (long Ts, int Index)[Count];
        for (int i = 0; i < Count; i++)
        {
            order[i] = (_ts[i], i);
        }

        Array.Sort(order);
        double[] values = new double[_values.Length];
        long[] ts = new long[_ts.Length];
        int n = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (n > 0 && ts[n - 1] == order[i].Ts)
            {
                continue;
            }

            ts[n] = order[i].Ts;
            values[n] = _values[order[i].Index];
            n++;
        }

        int duplicates = Count - n;
        _ts = ts;
        _values = values;
        Count = n;
        Ordered = true;
        return duplicates;
    }

    /// <summary>
    /// Both sorted and unique; where a timestamp is in both, <paramref name="first"/>'s point is kept (it was stored earlier).
    /// </summary>
    public static PointBuffer Merge(PointBuffer first, PointBuffer second)
    {
        var merged = new PointBuffer(first.Count + second.Count);
        int i = 0;
        int j = 0;
        while (i < first.Count || j < second.Count)
        {
            if (j == second.Count || (i < first.Count && first._ts[i] <= second._ts[j]))
            {
                if (j < second.Count && first._ts[i] == second._ts[j])
                {
                    j++;
                }

                merged.Add(first._ts[i], first._values[i]);
                i++;
            }
            else
            {
                merged.Add(second._ts[j], second._values[j]);
                j++;
            }
        }

        return merged;
    }
}

/// <summary>count, sum, min, max and last of the points in one bucket.</summary>
internal readonly record struct Rollup(long StartMs, long Count, double Sum, double Min, double Max, double Last)
{
    public SeriesBucket ToBucket() => new(StartMs, Sum / Count, Min, Max, Last, Count);

    /// <summary>This bucket with points that came after it added (their last value is the bucket's last).</summary>
    public Rollup Add(Rollup later) =>
        new(StartMs, Count + later.Count, Sum + later.Sum, Math.Min(Min, later.Min), Math.Max(Max, later.Max), later.Last);
}

/// <summary>
/// The stored forms of one series-hour: its raw points and its minute buckets as blobs, and the rollups computed from
/// the raw points. Every rollup of an hour is recomputed from all of that hour's points, so it does not matter in
/// which order, how late, or how many times they arrived.
/// </summary>
internal static class SeriesChunks
{
    public const long MinuteMs = 60_000;
    public const long HourMs = 3_600_000;

    // A raw point: int32 milliseconds since the hour, float64 value (little-endian).
    private const int PointBytes = 12;

    // A minute bucket: int32 minute of the hour, int32 count, float64 sum, min, max, last.
    private const int BucketBytes = 40;

    public static long HourOf(long ms) => ms - Mod(ms, HourMs);

    public static long MinuteOf(long ms) => ms - Mod(ms, MinuteMs);

    public static byte[] EncodePoints(PointBuffer points, long hourMs)
    {
        byte[] blob = new byte[points.Count * PointBytes];
        ReadOnlySpan<long> ts = points.Timestamps;
        ReadOnlySpan<double> values = points.Values;
        for (int i = 0; i < ts.Length; i++)
        {
            Span<byte> slot = blob.AsSpan(i * PointBytes, PointBytes);
            BinaryPrimitives.WriteInt32LittleEndian(slot, checked((int)(ts[i] - hourMs)));
            BinaryPrimitives.WriteDoubleLittleEndian(slot[4..], values[i]);
        }

        return blob;
    }

    public static PointBuffer DecodePoints(ReadOnlySpan<byte> blob, long hourMs)
    {
        if (blob.Length % PointBytes != 0)
        {
            throw new InvalidDataException($"raw chunk of {blob.Length} bytes is not a whole number of points");
        }

        var points = new PointBuffer(Math.Max(blob.Length / PointBytes, 1));
        for (int offset = 0; offset < blob.Length; offset += PointBytes)
        {
            points.Add(hourMs + BinaryPrimitives.ReadInt32LittleEndian(blob[offset..]), BinaryPrimitives.ReadDoubleLittleEndian(blob[(offset + 4)..]));
        }

        return points;
    }

    /// <summary>The minute buckets of one hour's sorted, unique points, oldest first.</summary>
    public static List<Rollup> Minutes(PointBuffer points)
    {
        var buckets = new List<Rollup>();
        ReadOnlySpan<long> ts = points.Timestamps;
        ReadOnlySpan<double> values = points.Values;
        int start = 0;
        while (start < ts.Length)
        {
            long minute = MinuteOf(ts[start]);
            int end = start;
            while (end < ts.Length && ts[end] < minute + MinuteMs)
            {
                end++;
            }

            buckets.Add(Aggregate(minute, ts[start..end], values[start..end]));
            start = end;
        }

        return buckets;
    }

    /// <summary>
    /// Minute buckets of one hour, oldest first, with the buckets of points that came later added: a minute in both is
    /// their sum (the later points' last value is its last), a minute in one of them is kept as it is.
    /// </summary>
    public static List<Rollup> AddMinutes(List<Rollup> stored, List<Rollup> later)
    {
        var sum = new List<Rollup>(stored.Count + later.Count);
        int s = 0, l = 0;
        while (s < stored.Count || l < later.Count)
        {
            if (l == later.Count || (s < stored.Count && stored[s].StartMs < later[l].StartMs))
            {
                sum.Add(stored[s++]);
            }
            else if (s == stored.Count || later[l].StartMs < stored[s].StartMs)
            {
                sum.Add(later[l++]);
            }
            else
            {
                sum.Add(stored[s++].Add(later[l++]));
            }
        }

        return sum;
    }

    /// <summary>The hour bucket of one hour's sorted, unique points (at least one).</summary>
    public static Rollup Hour(PointBuffer points, long hourMs) => Aggregate(hourMs, points.Timestamps, points.Values);

    public static byte[] EncodeMinutes(List<Rollup> buckets, long hourMs)
    {
        byte[] blob = new byte[buckets.Count * BucketBytes];
        for (int i = 0; i < buckets.Count; i++)
        {
            Rollup b = buckets[i];
            Span<byte> slot = blob.AsSpan(i * BucketBytes, BucketBytes);
            BinaryPrimitives.WriteInt32LittleEndian(slot, (int)((b.StartMs - hourMs) / MinuteMs));
            BinaryPrimitives.WriteInt32LittleEndian(slot[4..], checked((int)b.Count));
            BinaryPrimitives.WriteDoubleLittleEndian(slot[8..], b.Sum);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[16..], b.Min);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[24..], b.Max);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[32..], b.Last);
        }

        return blob;
    }

    public static void DecodeMinutes(ReadOnlySpan<byte> blob, long hourMs, List<Rollup> into)
    {
        if (blob.Length % BucketBytes != 0)
        {
            throw new InvalidDataException($"minute chunk of {blob.Length} bytes is not a whole number of buckets");
        }

        for (int offset = 0; offset < blob.Length; offset += BucketBytes)
        {
            ReadOnlySpan<byte> slot = blob.Slice(offset, BucketBytes);
            into.Add(new Rollup(
                hourMs + (BinaryPrimitives.ReadInt32LittleEndian(slot) * MinuteMs),
                BinaryPrimitives.ReadInt32LittleEndian(slot[4..]),
                BinaryPrimitives.ReadDoubleLittleEndian(slot[8..]),
                BinaryPrimitives.ReadDoubleLittleEndian(slot[16..]),
                BinaryPrimitives.ReadDoubleLittleEndian(slot[24..]),
                BinaryPrimitives.ReadDoubleLittleEndian(slot[32..])));
        }
    }

    private static Rollup Aggregate(long startMs, ReadOnlySpan<long> ts, ReadOnlySpan<double> values)
    {
        double sum = 0;
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return new Rollup(startMs, ts.Length, sum, min, max, values[^1]);
    }

    private static long Mod(long value, long divisor)
    {
        long r = value % divisor;
        return r < 0 ? r + divisor : r;
    }
}
