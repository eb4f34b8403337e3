using Network.Snmp.Pdus;

namespace Network.Snmp.Responder;

/// <summary>
/// A MIB view built from registered object types: scalars (one instance, <c>.0</c>) and the columns
/// of conceptual tables (one instance per row). Values are computed when read.
/// </summary>
/// <remarks>
/// <para>
/// The object types sit in a sorted array searched by binary search. No object type may be a prefix of
/// another, so the one that owns an OID, if any, is the greatest one not after it. Instances are not
/// stored: a scalar has one, a column asks its <see cref="IMibTable"/>. With a device's few dozen
/// object types and a few thousand instances this is the simplest structure and as fast as a tree:
/// a GetNext is one binary search over the object types and one over the rows of a table.
/// </para>
/// <para>
/// Reads take no lock: registration copies the array and publishes the copy, so a read sees the view
/// before or after a registration, never half of one. Registrations are serialised by a lock.
/// </para>
/// </remarks>
public sealed class MibView : IMibView
{
    private readonly Lock _writeLock = new();
    private MibObject[] _objects = [];

    /// <summary>The number of registered object types (scalars and columns).</summary>
    public int ObjectTypeCount => Volatile.Read(ref _objects).Length;

    /// <summary>
    /// Registers the scalar object type <paramref name="objectType"/>; its one instance is
    /// <c>objectType.0</c> (RFC 2578 section 7.7). <paramref name="read"/> runs at every read; a value
    /// that is an exception (noSuchInstance...) means the instance is absent right now.
    /// </summary>
    public MibView AddScalar(Oid objectType, Func<SnmpValue> read)
    {
        ArgumentNullException.ThrowIfNull(objectType);
        ArgumentNullException.ThrowIfNull(read);
        CheckObjectType(objectType, 1);
        Register([new ScalarObject(objectType, read)]);
        return this;
    }

    /// <summary>Registers a scalar whose value never changes (sysDescr, sysObjectID...).</summary>
    public MibView AddScalar(Oid objectType, SnmpValue value)
    {
        return value.IsException
            ? throw new ArgumentException("a constant scalar cannot hold an exception value", nameof(value))
            : AddScalar(objectType, () => value);
    }

    /// <summary>
    /// Registers the columns <paramref name="columns"/> of the conceptual row <paramref name="entry"/>
    /// (ifEntry, for example): the object types <c>entry.column</c>, whose instances are
    /// <c>entry.column.index</c> for each row that <paramref name="table"/> lists.
    /// </summary>
    public MibView AddTable(Oid entry, IMibTable table, params ReadOnlySpan<uint> columns)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(table);
        if (columns.IsEmpty)
        {
            throw new ArgumentException("a table has at least one column", nameof(columns));
        }

        var added = new MibObject[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i] == 0)
            {
                throw new ArgumentException("column 0 does not exist (RFC 2578 section 7.10)", nameof(columns));
            }

            Oid column = entry.Append(columns[i]);
            CheckObjectType(column, 1);
            added[i] = new ColumnObject(column, columns[i], table);
        }

        Register(added);
        return this;
    }

    /// <inheritdoc/>
    public SnmpValue Get(Oid oid)
    {
        ArgumentNullException.ThrowIfNull(oid);
        MibObject[] objects = Volatile.Read(ref _objects);
        int floor = FloorIndex(objects, oid);
        if (floor < 0 || !oid.StartsWith(objects[floor].Oid))
        {
            // RFC 3416 section 4.2.1 (2): no object type at any prefix of the name.
            return SnmpValue.NoSuchObject;
        }

        // 4.2.1 (1) or (3): the object type exists; the instance may not.
        return objects[floor].TryGet(oid, out SnmpValue value) ? value : SnmpValue.NoSuchInstance;
    }

    /// <inheritdoc/>
    public VarBind GetNext(Oid oid)
    {
        ArgumentNullException.ThrowIfNull(oid);
        MibObject[] objects = Volatile.Read(ref _objects);

        // The object type that owns the name (if any) may still hold instances after it; every
        // object type after that one is wholly greater than the name.
        int start = FloorIndex(objects, oid);
        if (start < 0 || !oid.StartsWith(objects[start].Oid))
        {
            start++;
        }

        for (int i = start; i < objects.Length; i++)
        {
            if (objects[i].TryGetNext(oid, out VarBind next))
            {
                return next;
            }
        }

        // RFC 3416 section 4.2.2: the name of the request, with endOfMibView.
        return new VarBind(oid, SnmpValue.EndOfMibView);
    }

    private static void CheckObjectType(Oid objectType, int instanceArcs)
    {
        if (objectType.Length == 0 || objectType.Length + instanceArcs > Oid.MaxLength)
        {
            throw new ArgumentException($"'{objectType}' cannot name an object type", nameof(objectType));
        }
    }

    private void Register(MibObject[] added)
    {
        lock (_writeLock)
        {
            MibObject[] current = _objects;
            var merged = new MibObject[current.Length + added.Length];
            current.CopyTo(merged, 0);
            added.CopyTo(merged, current.Length);
            Array.Sort(merged, static (a, b) => a.Oid.CompareTo(b.Oid));

            // Sorted, an object type and one under it (or a duplicate) are neighbours.
            for (int i = 1; i < merged.Length; i++)
            {
                if (merged[i].Oid.StartsWith(merged[i - 1].Oid))
                {
                    throw new ArgumentException(
                        $"object type {merged[i].Oid} overlaps {merged[i - 1].Oid}: no object type may contain another");
                }
            }

            Volatile.Write(ref _objects, merged);
        }
    }

    /// <summary>The index of the greatest object type not after <paramref name="oid"/>, or -1.</summary>
    private static int FloorIndex(MibObject[] objects, Oid oid)
    {
        int low = 0;
        int high = objects.Length - 1;
        while (low <= high)
        {
            int mid = low + ((high - low) >> 1);
            int order = objects[mid].Oid.CompareTo(oid);
            if (order == 0)
            {
                return mid;
            }

            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return high;
    }

    private abstract class MibObject(Oid oid)
    {
        public Oid Oid { get; } = oid;

        /// <summary>The value of <paramref name="instance"/>, which starts with <see cref="Oid"/>.</summary>
        public abstract bool TryGet(Oid instance, out SnmpValue value);

        /// <summary>The first instance of this object type strictly after <paramref name="after"/>.</summary>
        public abstract bool TryGetNext(Oid after, out VarBind next);
    }

    private sealed class ScalarObject(Oid oid, Func<SnmpValue> read) : MibObject(oid)
    {
        private readonly Oid _instance = oid.Append(0);

        public override bool TryGet(Oid instance, out SnmpValue value)
        {
            if (instance.Length == _instance.Length && instance[^1] == 0)
            {
                value = read();
                return !value.IsException;
            }

            value = default;
            return false;
        }

        public override bool TryGetNext(Oid after, out VarBind next)
        {
            if (_instance > after)
            {
                SnmpValue value = read();
                if (!value.IsException)
                {
                    next = new VarBind(_instance, value);
                    return true;
                }
            }

            next = default;
            return false;
        }
    }

    private sealed class ColumnObject(Oid oid, uint column, IMibTable table) : MibObject(oid)
    {
        public override bool TryGet(Oid instance, out SnmpValue value)
        {
            if (instance.Length > Oid.Length
                && table.TryGetCell(new Oid(instance.Arcs[Oid.Length..]), column, out value)
                && !value.IsException)
            {
                return true;
            }

            value = default;
            return false;
        }

        public override bool TryGetNext(Oid after, out VarBind next)
        {
            IReadOnlyList<Oid> rows = table.GetRows();

            // Rows at or before the index part of `after` are skipped; when `after` is before this
            // column altogether, every row qualifies.
            int first = 0;
            if (after.StartsWith(Oid))
            {
                first = FirstRowAfter(rows, after.Arcs[Oid.Length..]);
            }

            for (int i = first; i < rows.Count; i++)
            {
                Oid row = rows[i];
                if (row.Length == 0 || Oid.Length + row.Length > Oid.MaxLength)
                {
                    continue;
                }

                Oid instance = Oid.Append(row.Arcs);

                // The provider promises order; checking it keeps every walk strictly increasing.
                if (instance > after && table.TryGetCell(row, column, out SnmpValue value) && !value.IsException)
                {
                    next = new VarBind(instance, value);
                    return true;
                }
            }

            next = default;
            return false;
        }

        private static int FirstRowAfter(IReadOnlyList<Oid> rows, ReadOnlySpan<uint> index)
        {
            int low = 0;
            int high = rows.Count;
            while (low < high)
            {
                int mid = low + ((high - low) >> 1);
                if (rows[mid].Arcs.SequenceCompareTo(index) <= 0)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            return low;
        }
    }
}
