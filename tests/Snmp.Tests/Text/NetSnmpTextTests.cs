using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Text;
using Network.Snmp.Transport;
using Network.TestSupport;

namespace Network.Snmp.Tests.Text;

/// <summary>
/// The field tool's output, byte for byte against net-snmp's: our responder serves one value of every SMI type (and
/// the awkward cases of each: hex past 16 bytes, quotes and backslashes, days of uptime, UCD opaque floats), net-snmp's
/// <c>snmpwalk -On</c> prints them, and <see cref="NetSnmpText.WriteLine(in VarBind, IBufferWriter{byte})"/> must print the same bytes.
/// </summary>
public sealed class NetSnmpTextTests : IAsyncLifetime
{
    private static readonly Oid s_root = Oid.Parse("1.3.6.1.4.1.57264.1");
    private readonly CancellationTokenSource _stop = new();
    private readonly MibView _view = BuildView();
    private UdpSnmpTransport? _transport;
    private Task? _loop;
    private string _endpoint = "";

    private static MibView BuildView()
    {
        byte[] single = new byte[7];
        single[0] = 0x9F;
        single[1] = 0x78;
        single[2] = 4;
        BinaryPrimitives.WriteSingleBigEndian(single.AsSpan(3), 3.25f);
        byte[] dbl = new byte[11];
        dbl[0] = 0x9F;
        dbl[1] = 0x79;
        dbl[2] = 8;
        BinaryPrimitives.WriteDoubleBigEndian(dbl.AsSpan(3), -1234.5678);

        SnmpValue[] values =
        [
            SnmpValue.Integer(0),
            SnmpValue.Integer(int.MinValue),
            SnmpValue.Integer(int.MaxValue),
            SnmpValue.OctetString(""),
            SnmpValue.OctetString("Flageyplein, Elsene"),
            SnmpValue.OctetString("say \"hi\" \\ back\tthen"),
            SnmpValue.OctetString([0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E]),
            SnmpValue.OctetString([.. Enumerable.Range(0, 40).Select(i => (byte)(i * 7))]),
            SnmpValue.OctetString([.. Enumerable.Range(0, 16).Select(i => (byte)(0xF0 + i))]),
            SnmpValue.OctetString("caf\u00e9"),
            SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10")),
            SnmpValue.ObjectIdentifier(Oid.Parse("0.0")),
            SnmpValue.IpAddress(IPAddress.Parse("192.168.10.254")),
            SnmpValue.Counter32(0),
            SnmpValue.Counter32(uint.MaxValue),
            SnmpValue.Gauge32(1_000_000_000),
            SnmpValue.TimeTicks(0),
            SnmpValue.TimeTicks(99),
            SnmpValue.TimeTicks(360_000 * 23 + 6_000 * 59 + 100 * 59 + 99),
            SnmpValue.TimeTicks(8_640_012),
            SnmpValue.TimeTicks(uint.MaxValue),
            SnmpValue.Counter64(0),
            SnmpValue.Counter64(ulong.MaxValue),
            SnmpValue.Opaque(single),
            SnmpValue.Opaque(dbl),
            SnmpValue.Opaque([0x04, 0x02, 0xAB, 0xCD]),
        ];

        var view = new MibView();
        for (int i = 0; i < values.Length; i++)
        {
            view.AddScalar(s_root.Append((uint)i + 1), values[i]);
        }

        // Past the subtree, so snmpwalk ends by leaving it rather than at endOfMibView (which it would print).
        view.AddScalar(Oid.Parse("1.3.6.1.4.1.57264.3"), SnmpValue.Integer(1));

        return view;
    }

    public Task InitializeAsync()
    {
        var options = new SnmpResponderOptions();
        options.Communities["public"] = _view;
        var responder = new SnmpResponder(options);
        _transport = UdpSnmpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpoint = $"127.0.0.1:{((IPEndPoint)_transport.LocalEndPoint).Port}";
        _loop = Task.Run(() => responder.RunAsync(_transport, _stop.Token));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _transport!.DisposeAsync();
        await _loop!.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    [Fact]
    public async Task Every_type_prints_the_bytes_snmpwalk_prints()
    {
        var ours = new ArrayBufferWriter<byte>();
        foreach (VarBind binding in _view.Walk(s_root))
        {
            NetSnmpText.WriteLine(binding, ours);
        }

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpwalk", "-v2c", "-c", "public", "-On", _endpoint, s_root.ToString());

        Assert.True(code == 0, stderr);
        Assert.Equal(26, _view.Walk(s_root).Count());
        Assert.Equal(stdout.Split('\n'), Encoding.ASCII.GetString(ours.WrittenSpan).Split('\n')); // line by line: a failure names the line
    }

    [Fact]
    public async Task The_exceptions_print_what_snmpget_prints()
    {
        Oid missingObject = Oid.Parse("1.3.6.1.4.1.57264.2.0");
        Oid missingInstance = s_root.Append(1, 7);
        var ours = new ArrayBufferWriter<byte>();
        NetSnmpText.WriteLine(new VarBind(missingObject, _view.Get(missingObject)), ours);
        NetSnmpText.WriteLine(new VarBind(missingInstance, _view.Get(missingInstance)), ours);

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", "public", "-On", _endpoint, missingObject.ToString(), missingInstance.ToString());

        Assert.True(code == 0, stderr);
        Assert.Equal(stdout, Encoding.ASCII.GetString(ours.WrittenSpan));
        Assert.Contains("No Such", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_string_form_of_a_value_is_the_same_text_as_the_bytes()
    {
        foreach (VarBind binding in _view.Walk(s_root))
        {
            var bytes = new ArrayBufferWriter<byte>();
            NetSnmpText.WriteLine(binding, bytes);

            string line = Encoding.ASCII.GetString(bytes.WrittenSpan);
            Assert.EndsWith(" = " + NetSnmpText.FormatValue(binding.Value) + "\n", line, StringComparison.Ordinal);
            Assert.All(bytes.WrittenSpan.ToArray(), b => Assert.InRange(b, (byte)0x09, (byte)0x7E));
        }
    }
}
