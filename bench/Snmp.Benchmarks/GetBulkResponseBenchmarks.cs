using BenchmarkDotNet.Attributes;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;

namespace Network.Snmp.Benchmarks;

/// <summary>
/// Encode and decode of a v2c GetBulk Response with 50 variable bindings: ten rows of five ifTable/ifXTable
/// columns, the mix a poller sees (names, Gauge32 speeds, Counter32 and Counter64 octets, INTEGER status).
/// </summary>
[MemoryDiagnoser]
public class GetBulkResponseBenchmarks
{
    private CommunityMessage _message = null!;
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        var varBinds = new List<VarBind>(50);
        for (uint row = 1; row <= 10; row++)
        {
            varBinds.Add(new VarBind(IfMib.IfDescr.Append(row), SnmpValue.OctetString($"GigabitEthernet0/{row}")));
            varBinds.Add(new VarBind(IfMib.IfSpeed.Append(row), SnmpValue.Gauge32(1_000_000_000)));
            varBinds.Add(new VarBind(IfMib.IfOperStatus.Append(row), SnmpValue.Integer(row % 3 == 0 ? 2 : 1)));
            varBinds.Add(new VarBind(IfMib.IfInOctets.Append(row), SnmpValue.Counter32(3_000_000_000u + (row * 7919))));
            varBinds.Add(new VarBind(IfMib.IfHCInOctets.Append(row), SnmpValue.Counter64(1_234_567_890_123UL * row)));
        }

        _message = new CommunityMessage(SnmpVersion.V2c, "public", Pdu.Response(0x1234_5678, ErrorStatus.NoError, 0, varBinds));
        _encoded = SnmpMessageCodec.Encode(_message);
    }

    [Benchmark]
    public byte[] Encode() => SnmpMessageCodec.Encode(_message);

    [Benchmark]
    public SnmpMessage Decode() => SnmpMessageCodec.Decode(_encoded);
}
