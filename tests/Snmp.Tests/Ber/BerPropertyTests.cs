using CsCheck;
using Network.Snmp.Ber;
using Network.Snmp.Pdus;
using Network.Snmp.Tests.Pdus;

namespace Network.Snmp.Tests.Ber;

/// <summary>Read(Write(x)) == x for every value type; what is written is read back to the last byte.</summary>
public sealed class BerPropertyTests
{
    [Fact]
    public void Every_value_round_trips()
    {
        SnmpGen.ForAll(SnmpGen.Value, 20_000, seed: 2578, value =>
        {
            var writer = new BerWriter();
            writer.WriteValue(value);
            var reader = new BerReader(writer.ToArray());
            Assert.Equal(value, reader.ReadValue());
            reader.ThrowIfNotEnd("the value");
        });
    }

    [Fact]
    public void Every_varbind_round_trips_inside_nested_sequences()
    {
        SnmpGen.ForAll(SnmpGen.VarBind.Array[0, 20], 2_000, seed: 1905, varBinds =>
        {
            var writer = new BerWriter();
            writer.Push(SnmpType.Sequence);
            foreach (VarBind varBind in varBinds)
            {
                writer.Push(SnmpType.Sequence);
                writer.WriteOid(varBind.Oid);
                writer.WriteValue(varBind.Value);
                writer.Pop();
            }

            writer.Pop();

            var outer = new BerReader(writer.ToArray());
            BerReader list = outer.ReadSequence();
            outer.ThrowIfNotEnd("the list");
            foreach (VarBind varBind in varBinds)
            {
                BerReader one = list.ReadSequence();
                Assert.Equal(varBind.Oid, one.ReadOid());
                Assert.Equal(varBind.Value, one.ReadValue());
                one.ThrowIfNotEnd("the binding");
            }

            list.ThrowIfNotEnd("the list");
        });
    }
}
