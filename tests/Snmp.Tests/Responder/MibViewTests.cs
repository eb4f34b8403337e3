using Network.Snmp.Mibs;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;

namespace Network.Snmp.Tests.Responder;

/// <summary>RFC 3416 sections 4.2.1 and 4.2.2 on a small view: the system group and an ifTable.</summary>
public sealed class MibViewTests
{
    private static readonly Oid s_system = SnmpV2Mib.System;
    private static readonly Oid s_sysDescr = SnmpV2Mib.SysDescr;
    private static readonly Oid s_sysServices = SnmpV2Mib.SysServices;
    private static readonly Oid s_ifNumber = IfMib.IfNumber;
    private static readonly Oid s_ifEntry = IfMib.IfEntry;
    private static readonly Oid s_ifDescr = IfMib.IfDescr;
    private static readonly Oid s_ifType = IfMib.IfType;

    private readonly FakeTable _interfaces = new(1, 3);
    private readonly MibView _view = new();

    public MibViewTests()
    {
        _view.AddScalar(s_sysDescr, SnmpValue.OctetString("test agent"))
            .AddScalar(s_sysServices, SnmpValue.Integer(78))
            .AddScalar(s_ifNumber, () => SnmpValue.Integer(_interfaces.GetRows().Count))
            .AddTable(s_ifEntry, _interfaces, 2, 3);
    }

    [Fact]
    public void Get_returns_the_value_of_a_scalar_instance()
    {
        Assert.Equal(SnmpValue.OctetString("test agent"), _view.Get(s_sysDescr.Append(0)));
        Assert.Equal(SnmpValue.Integer(2), _view.Get(s_ifNumber.Append(0)));
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1.1", "the object type itself, without .0")]
    [InlineData("1.3.6.1.2.1.1.1.1", "an instance other than .0")]
    [InlineData("1.3.6.1.2.1.1.1.0.0", "below the instance")]
    [InlineData("1.3.6.1.2.1.2.2.1.2", "a column without an index")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.2", "a row that does not exist")]
    [InlineData("1.3.6.1.2.1.2.2.1.3.1.5", "an index longer than the table's")]
    public void Get_answers_noSuchInstance_when_the_object_type_exists_but_not_the_instance(string oid, string why)
    {
        Assert.True(_view.Get(Oid.Parse(oid)).Type == SnmpType.NoSuchInstance, why);
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1", "a group that holds object types")]
    [InlineData("1.3.6.1.2.1.1.2.0", "an object type that is not registered")]
    [InlineData("1.3.6.1.2.1.2.2.1.4.1", "a column that is not registered")]
    [InlineData("1.3.6.1.4.1.9.9.9.0", "another subtree")]
    [InlineData("1.3", "a prefix of everything")]
    [InlineData("2", "after everything")]
    public void Get_answers_noSuchObject_when_no_object_type_is_at_a_prefix(string oid, string why)
    {
        Assert.True(_view.Get(Oid.Parse(oid)).Type == SnmpType.NoSuchObject, why);
    }

    [Fact]
    public void Get_follows_rows_that_come_and_go()
    {
        Oid ifDescr2 = s_ifDescr.Append(2);
        Assert.Equal(SnmpType.NoSuchInstance, _view.Get(ifDescr2).Type);

        _interfaces.SetRows(1, 2, 3);
        Assert.Equal(SnmpValue.OctetString("2.2"), _view.Get(ifDescr2));

        _interfaces.SetRows(1);
        Assert.Equal(SnmpType.NoSuchInstance, _view.Get(ifDescr2).Type);
        Assert.Equal(SnmpType.NoSuchInstance, _view.Get(s_ifDescr.Append(3)).Type);
    }

    [Theory]
    [InlineData("", "1.3.6.1.2.1.1.1.0", "the empty name, before everything")]
    [InlineData("0.0", "1.3.6.1.2.1.1.1.0", "zeroDotZero")]
    [InlineData("1.3", "1.3.6.1.2.1.1.1.0", "a prefix of the first object type")]
    [InlineData("1.3.6.1.2.1.1", "1.3.6.1.2.1.1.1.0", "the system group, a prefix of sysDescr")]
    [InlineData("1.3.6.1.2.1.1.1", "1.3.6.1.2.1.1.1.0", "a scalar's object type")]
    [InlineData("1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.7.0", "a scalar's instance")]
    [InlineData("1.3.6.1.2.1.1.3.5.7", "1.3.6.1.2.1.1.7.0", "the middle of nowhere between two scalars")]
    [InlineData("1.3.6.1.2.1.1.1.0.4", "1.3.6.1.2.1.1.7.0", "below a scalar's instance")]
    [InlineData("1.3.6.1.2.1.1.7.0", "1.3.6.1.2.1.2.1.0", "the last scalar of a group")]
    [InlineData("1.3.6.1.2.1.2.2", "1.3.6.1.2.1.2.2.1.2.1", "the ifTable, a prefix of its first column")]
    [InlineData("1.3.6.1.2.1.2.2.1.1.9", "1.3.6.1.2.1.2.2.1.2.1", "an unregistered column before the first")]
    [InlineData("1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.2.1", "a column's object type")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1.2.3", "a row, skipping the missing row 2")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.2", "1.3.6.1.2.1.2.2.1.2.3", "a missing row")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.1.7", "1.3.6.1.2.1.2.2.1.2.3", "below a row")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.3", "1.3.6.1.2.1.2.2.1.3.1", "the last row of a column: on to the next column")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.4294967295", "1.3.6.1.2.1.2.2.1.3.1", "past the last row of a column")]
    public void GetNext_answers_the_first_instance_strictly_after_the_name(string from, string expected, string why)
    {
        VarBind next = _view.GetNext(from.Length == 0 ? new Oid() : Oid.Parse(from));

        Assert.True(Oid.Parse(expected) == next.Oid, $"{why}: got {next.Oid}");
        Assert.False(next.Value.IsException, why);
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.2.2.1.3.3", "the last instance")]
    [InlineData("1.3.6.1.2.1.2.2.1.3.3.0", "below the last instance")]
    [InlineData("1.3.6.1.2.1.2.2.1.4", "after the last column")]
    [InlineData("1.3.6.1.4.1", "far past the end")]
    [InlineData("4294967295", "the greatest one-arc name")]
    public void GetNext_past_the_end_answers_endOfMibView_with_the_requested_name(string from, string why)
    {
        Oid name = Oid.Parse(from);

        VarBind next = _view.GetNext(name);

        Assert.Equal(SnmpType.EndOfMibView, next.Value.Type);
        Assert.True(name == next.Oid, why);
    }

    [Fact]
    public void A_walk_goes_column_by_column_all_ifDescr_rows_before_any_ifType_row()
    {
        _interfaces.SetRows(1, 2, 10);

        string[] walked = [.. _view.Walk(s_ifEntry).Select(vb => $"{vb.Oid}={vb.Value.AsString()}")];

        Assert.Equal(
            [
                "1.3.6.1.2.1.2.2.1.2.1=2.1", "1.3.6.1.2.1.2.2.1.2.2=2.2", "1.3.6.1.2.1.2.2.1.2.10=2.10",
                "1.3.6.1.2.1.2.2.1.3.1=3.1", "1.3.6.1.2.1.2.2.1.3.2=3.2", "1.3.6.1.2.1.2.2.1.3.10=3.10",
            ],
            walked);
    }

    [Fact]
    public void A_walk_of_the_whole_view_is_every_instance_in_order()
    {
        Oid[] walked = [.. _view.Walk().Select(vb => vb.Oid)];

        Assert.Equal(
            new[] { "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.7.0", "1.3.6.1.2.1.2.1.0", "1.3.6.1.2.1.2.2.1.2.1", "1.3.6.1.2.1.2.2.1.2.3", "1.3.6.1.2.1.2.2.1.3.1", "1.3.6.1.2.1.2.2.1.3.3" },
            walked.Select(o => o.ToString()));
        Assert.Equal(s_system, new Oid(walked[0].Arcs[..7]));
    }

    [Fact]
    public void An_empty_table_is_skipped_and_an_empty_view_is_at_its_end()
    {
        _interfaces.SetRows();

        Assert.Equal(s_ifNumber.Append(0), _view.GetNext(s_sysServices.Append(0)).Oid);
        Assert.Equal(SnmpType.EndOfMibView, _view.GetNext(s_ifNumber.Append(0)).Value.Type);
        Assert.Equal(SnmpType.EndOfMibView, new MibView().GetNext(new Oid()).Value.Type);
        Assert.Equal(SnmpType.NoSuchObject, new MibView().Get(s_sysDescr.Append(0)).Type);
    }

    [Fact]
    public void A_cell_the_table_does_not_have_is_absent_and_skipped()
    {
        _interfaces.SetRows(1, 2, 3);
        _interfaces.Hide(column: 2, row: 2);

        Assert.Equal(SnmpType.NoSuchInstance, _view.Get(s_ifDescr.Append(2)).Type);
        Assert.Equal(s_ifDescr.Append(3), _view.GetNext(s_ifDescr.Append(1)).Oid);
        Assert.Equal(SnmpValue.OctetString("3.2"), _view.Get(s_ifType.Append(2)));
    }

    [Fact]
    public void A_scalar_that_reads_an_exception_is_absent_and_skipped()
    {
        var view = new MibView()
            .AddScalar(SnmpV2Mib.SysDescr, () => SnmpValue.NoSuchInstance)
            .AddScalar(SnmpV2Mib.SysObjectID, () => SnmpValue.Integer(2));

        Assert.Equal(SnmpType.NoSuchInstance, view.Get(SnmpV2Mib.SysDescr.Append(0)).Type);
        Assert.Equal(SnmpV2Mib.SysObjectID.Append(0), view.GetNext(SnmpV2Mib.System).Oid);
    }

    [Theory]
    [InlineData("1.3.6.1.2.1.1.1", "the same object type twice")]
    [InlineData("1.3.6.1.2.1.1", "a group above a registered object type")]
    [InlineData("1.3.6.1.2.1.1.1.0.5", "an object type below a registered one")]
    [InlineData("1.3.6.1.2.1.2.2.1.2.7", "an object type inside a registered column")]
    public void Registering_an_object_type_that_overlaps_another_fails_and_changes_nothing(string oid, string why)
    {
        int before = _view.ObjectTypeCount;

        Assert.Throws<ArgumentException>(() => _view.AddScalar(Oid.Parse(oid), SnmpValue.Integer(1)));
        Assert.True(before == _view.ObjectTypeCount, why);
    }

    [Fact]
    public void Registering_a_column_zero_or_no_column_fails()
    {
        Assert.Throws<ArgumentException>(() => new MibView().AddTable(s_ifEntry, _interfaces, 0));
        Assert.Throws<ArgumentException>(() => new MibView().AddTable(s_ifEntry, _interfaces));
    }

    [Fact]
    public void Concurrent_walks_while_rows_change_and_object_types_are_added_stay_strictly_increasing_and_end()
    {
        var churn = new ChurningTable();
        var view = new MibView().AddTable(s_ifEntry, churn, 1, 2, 3);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 64, i =>
        {
            if (i % 16 == 0)
            {
                view.AddScalar(SnmpV2Mib.System.Append((uint)(i + 1)), SnmpValue.Integer(i));
            }

            Oid previous = new();
            int count = 0;
            foreach (VarBind vb in view.Walk())
            {
                if (vb.Oid <= previous)
                {
                    failures.Add($"{vb.Oid} after {previous}");
                }

                previous = vb.Oid;
                count++;
            }

            if (count > (3 * ChurningTable.MaxRows) + 4)
            {
                failures.Add($"walk of {count} instances");
            }
        });

        Assert.Empty(failures);
        Assert.Equal(7, view.ObjectTypeCount);
    }

    /// <summary>A table whose rows are the given indexes; the cell of (row, column) is "column.row".</summary>
    private sealed class FakeTable(params uint[] rows) : IMibTable
    {
        private readonly HashSet<(uint Column, uint Row)> _hidden = [];
        private Oid[] _rows = [.. rows.Select(r => new Oid(r))];

        public void SetRows(params uint[] rows) => _rows = [.. rows.Select(r => new Oid(r))];

        public void Hide(uint column, uint row) => _hidden.Add((column, row));

        public IReadOnlyList<Oid> GetRows() => _rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            if (row.Length == 1 && _rows.Contains(row) && !_hidden.Contains((column, row[0])))
            {
                value = SnmpValue.OctetString($"{column}.{row}");
                return true;
            }

            value = default;
            return false;
        }
    }

    /// <summary>Rows that change at every read: a table seen by many requests at once.</summary>
    private sealed class ChurningTable : IMibTable
    {
        public const int MaxRows = 8;
        private int _reads;

        public IReadOnlyList<Oid> GetRows()
        {
            int n = Interlocked.Increment(ref _reads);
            return [.. Enumerable.Range(1, MaxRows).Where(i => (i + n) % 3 != 0).Select(i => new Oid((uint)i))];
        }

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            bool present = (row[0] + (uint)Volatile.Read(ref _reads)) % 5 != 0;
            value = present ? SnmpValue.Gauge32(row[0]) : default;
            return present;
        }
    }
}
