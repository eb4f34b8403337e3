namespace Network.Metrics;

/// <summary>
/// A measurement's tags as a dictionary key: up to three name/value pairs held inline, a longer list as a copy. Values
/// compare with <see cref="object.Equals(object?, object?)"/> (a boxed enum equals the next box of the same value), names
/// ordinally. The hash covers the count and the values only (tag names are nearly always the same literals, and equal
/// keys still compare every name), and of a string value only its length and five of its characters: hashing whole
/// strings was most of the cost of a measurement (about 100 ns for a 17-character client name on the benchmark machine).
/// A collision costs one more comparison, and an instrument holds at most its series limit of keys.
/// </summary>
internal readonly struct TagKey : IEquatable<TagKey>
{
    private readonly int _count;
    private readonly int _hash;
    private readonly KeyValuePair<string, object?> _t0, _t1, _t2;
    private readonly KeyValuePair<string, object?>[]? _more;

    public TagKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        _count = tags.Length;
        int hash = tags.Length;
        if (tags.Length > 3)
        {
            _more = tags.ToArray();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                hash = Mix(hash, tag.Value);
            }
        }
        else
        {
            if (tags.Length > 0)
            {
                _t0 = tags[0];
                hash = Mix(hash, _t0.Value);
            }

            if (tags.Length > 1)
            {
                _t1 = tags[1];
                hash = Mix(hash, _t1.Value);
            }

            if (tags.Length > 2)
            {
                _t2 = tags[2];
                hash = Mix(hash, _t2.Value);
            }
        }

        _hash = hash;
    }

    /// <summary>The tags, in the order the measurement gave them.</summary>
    public KeyValuePair<string, object?>[] ToArray() => _more ?? _count switch
    {
        0 => [],
        1 => [_t0],
        2 => [_t0, _t1],
        _ => [_t0, _t1, _t2],
    };

    public bool Equals(TagKey other)
    {
        if (_hash != other._hash || _count != other._count)
        {
            return false;
        }

        if (_more is not null)
        {
            for (int i = 0; i < _more.Length; i++)
            {
                if (!Same(_more[i], other._more![i]))
                {
                    return false;
                }
            }

            return true;
        }

        return Same(_t0, other._t0) && Same(_t1, other._t1) && Same(_t2, other._t2);
    }

    public override bool Equals(object? obj) => obj is TagKey other && Equals(other);

    public override int GetHashCode() => _hash;

    private static int Mix(int hash, object? value) => (hash * 31) + value switch
    {
        null => 0,
        string s => Sample(s),
        _ => value.GetHashCode(),
    };

    /// <summary>A string's length and its first two, middle and last two characters.</summary>
    private static int Sample(string s)
    {
        int n = s.Length;
        if (n == 0)
        {
            return 0;
        }

        int hash = (n * 31) + s[0];
        hash = (hash * 31) + s[n / 2];
        hash = (hash * 31) + s[n - 1];
        return n < 4 ? hash : (((hash * 31) + s[1]) * 31) + s[n - 2];
    }

    private static bool Same(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b) =>
        (ReferenceEquals(a.Key, b.Key) || string.Equals(a.Key, b.Key, StringComparison.Ordinal))
        && (ReferenceEquals(a.Value, b.Value) || Equals(a.Value, b.Value));
}
