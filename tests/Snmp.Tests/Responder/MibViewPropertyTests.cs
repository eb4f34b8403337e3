using CsCheck;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;

namespace Network.Snmp.Tests.Responder;

/// <summary>
/// Invariants against an oracle: for any set of scalars and columns, Get and GetNext answer what a
/// linear scan of the sorted list of every instance answers.
/// </summary>
public sealed class MibViewPropertyTests
{
    // Small arcs make overlaps, shared prefixes and neighbours likely.
    private static readonly Gen<uint[]> s_arcs = Gen.UInt[0, 3].Array[1, 4];

    private static readonly Gen<Spec[]> s_specs = Gen.Select(s_arcs, Gen.Bool, Gen.UInt[0, 3].Array[1, 2].Array[0, 5])
        .Select((arcs, scalar, rows) => new Spec([1, 3, .. arcs[..^1], arcs[^1] + 1], scalar, rows))
        .Array[0, 12];

    private static readonly Gen<Oid> s_query = Gen.OneOf(
        Gen.UInt[0, 4].Array[0, 8].Select(arcs => new Oid(arcs)),
        Gen.UInt[0, 4].Array[0, 6].Select(arcs => new Oid([1, 3, .. arcs])));

    [Fact]
    public void Get_and_GetNext_agree_with_a_linear_scan_of_every_instance()
    {
        Gen.Select(s_specs, s_query.Array[1, 20]).Sample((specs, queries) =>
        {
            (MibView view, List<Oid> objectTypes, SortedDictionary<Oid, SnmpValue> instances) = Build(specs);

            // The instances themselves are the interesting queries too.
            foreach (Oid query in queries.Concat(instances.Keys).Concat(objectTypes))
            {
                SnmpValue expectedGet = instances.TryGetValue(query, out SnmpValue v) ? v
                    : objectTypes.Any(query.StartsWith) ? SnmpValue.NoSuchInstance
                    : SnmpValue.NoSuchObject;
                Assert.Equal(expectedGet, view.Get(query));

                KeyValuePair<Oid, SnmpValue>? after = instances.Where(kv => kv.Key > query).Cast<KeyValuePair<Oid, SnmpValue>?>().FirstOrDefault();
                VarBind expectedNext = after is { } kv2 ? new VarBind(kv2.Key, kv2.Value) : new VarBind(query, SnmpValue.EndOfMibView);
                Assert.Equal(expectedNext, view.GetNext(query));
            }
        }, iter: 300);
    }

    [Fact]
    public void A_walk_visits_every_instance_once_in_strictly_increasing_order()
    {
        s_specs.Sample(specs =>
        {
            (MibView view, _, SortedDictionary<Oid, SnmpValue> instances) = Build(specs);

            Assert.Equal(instances.Keys, view.Walk().Select(vb => vb.Oid));
        }, iter: 300);
    }

    private static (MibView View, List<Oid> ObjectTypes, SortedDictionary<Oid, SnmpValue> Instances) Build(Spec[] specs)
    {
        var view = new MibView();
        var objectTypes = new List<Oid>();
        var instances = new SortedDictionary<Oid, SnmpValue>();
        foreach (Spec spec in specs)
        {
            var oid = new Oid(spec.Arcs);
            if (objectTypes.Any(o => o.StartsWith(oid) || oid.StartsWith(o)))
            {
                Assert.Throws<ArgumentException>(() => view.AddScalar(oid, SnmpValue.Null));
                continue;
            }

            objectTypes.Add(oid);
            if (spec.Scalar)
            {
                view.AddScalar(oid, SnmpValue.OctetString(oid.ToString()));
                instances.Add(oid.Append(0), SnmpValue.OctetString(oid.ToString()));
            }
            else
            {
                Oid[] rows = [.. spec.Rows.Select(r => new Oid(r)).Distinct().Order()];
                view.AddTable(new Oid(spec.Arcs.AsSpan(..^1)), new RowsTable(rows), spec.Arcs[^1]);
                foreach (Oid row in rows)
                {
                    instances.Add(oid.Append(row.Arcs), SnmpValue.OctetString($"{spec.Arcs[^1]}:{row}"));
                }
            }
        }

        return (view, objectTypes, instances);
    }

    private sealed record Spec(uint[] Arcs, bool Scalar, uint[][] Rows);

    private sealed class RowsTable(Oid[] rows) : IMibTable
    {
        public IReadOnlyList<Oid> GetRows() => rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            bool present = rows.Contains(row);
            value = present ? SnmpValue.OctetString($"{column}:{row}") : default;
            return present;
        }
    }
}
