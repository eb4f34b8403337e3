using System.Globalization;
using System.Text;

namespace Network.Snmp.Pdus;

/// <summary>
/// An OBJECT IDENTIFIER: at least two and at most 128 sub-identifiers, each 0 to 2^32-1 (RFC 2578 section 7.1.3).
/// Immutable; ordered lexicographically, which is the order GetNext walks (RFC 3416 section 4.2.2).
/// </summary>
public sealed class Oid : IEquatable<Oid>, IComparable<Oid>
{
    /// <summary>RFC 2578 section 3.5: at most 128 sub-identifiers.</summary>
    public const int MaxLength = 128;

    private readonly uint[] _arcs;

    public Oid(params ReadOnlySpan<uint> arcs)
    {
        if (arcs.Length > MaxLength)
        {
            throw new ArgumentException($"an OID has at most {MaxLength} sub-identifiers, not {arcs.Length}", nameof(arcs));
        }

        _arcs = arcs.ToArray();
    }

    private Oid(uint[] arcs, bool _) => _arcs = arcs;

    public ReadOnlySpan<uint> Arcs => _arcs;

    public int Length => _arcs.Length;

    public uint this[int index] => _arcs[index];

    /// <summary>Parses <c>1.3.6.1.2.1</c> or <c>.1.3.6.1.2.1</c>.</summary>
    public static Oid Parse(string text)
    {
        return TryParse(text, out Oid? oid)
            ? oid
            : throw new FormatException($"'{text}' is not a numeric OID (such as 1.3.6.1.2.1.1.3.0)");
    }

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Oid? oid)
    {
        oid = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.StartsWith('.'))
        {
            span = span[1..];
        }

        if (span.IsEmpty)
        {
            return false;
        }

        var arcs = new List<uint>(16);
        foreach (Range range in span.Split('.'))
        {
            if (!uint.TryParse(span[range], NumberStyles.None, CultureInfo.InvariantCulture, out uint arc) || arcs.Count == MaxLength)
            {
                return false;
            }

            arcs.Add(arc);
        }

        oid = new Oid(arcs.ToArray(), true);
        return true;
    }

    /// <summary>This OID followed by <paramref name="suffix"/> (a table index, <c>.0</c> for a scalar).</summary>
    public Oid Append(params ReadOnlySpan<uint> suffix)
    {
        var arcs = new uint[_arcs.Length + suffix.Length];
        _arcs.CopyTo(arcs, 0);
        suffix.CopyTo(arcs.AsSpan(_arcs.Length));
        return new Oid(arcs);
    }

    /// <summary>True when <paramref name="prefix"/> is this OID or one of its ancestors.</summary>
    public bool StartsWith(Oid prefix) => Arcs.StartsWith(prefix.Arcs);

    public int CompareTo(Oid? other)
    {
        if (other is null)
        {
            return 1;
        }

        return Arcs.SequenceCompareTo(other.Arcs);
    }

    public bool Equals(Oid? other) => other is not null && Arcs.SequenceEqual(other.Arcs);

    public override bool Equals(object? obj) => Equals(obj as Oid);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Arcs));
        return hash.ToHashCode();
    }

    /// <summary>Dotted form without a leading dot: <c>1.3.6.1.2.1.1.3.0</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(_arcs.Length * 4);
        for (int i = 0; i < _arcs.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('.');
            }

            sb.Append(_arcs[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public static bool operator ==(Oid? left, Oid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Oid? left, Oid? right) => !(left == right);

    public static bool operator <(Oid left, Oid right) => left.CompareTo(right) < 0;

    public static bool operator >(Oid left, Oid right) => left.CompareTo(right) > 0;

    public static bool operator <=(Oid left, Oid right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Oid left, Oid right) => left.CompareTo(right) >= 0;
}
