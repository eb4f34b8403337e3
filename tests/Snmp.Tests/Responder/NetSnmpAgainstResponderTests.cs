using System.Net;
using System.Net.Sockets;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.Snmp.Security;
using Network.Snmp.Transport;
using Network.TestSupport;

namespace Network.Snmp.Tests.Responder;

/// <summary>net-snmp's own manager (snmpget, snmpwalk, snmpbulkwalk) against our responder on loopback.</summary>
public sealed class NetSnmpAgainstResponderTests : IAsyncLifetime
{
    private static readonly UsmUser s_user = UsmUser.AuthPriv("opsUser", AuthProtocol.HmacSha256, "authpass256", PrivProtocol.Aes256, "privpass256");
    private static readonly UsmUser s_big = UsmUser.AuthPriv("bigUser", AuthProtocol.HmacSha256, "authpassbig", PrivProtocol.Aes128, "privpassbig");
    private static readonly UsmUser s_md5 = UsmUser.AuthPriv("oldUser", AuthProtocol.HmacMd5, "authpassmd5", PrivProtocol.Des, "privpassdes");
    private readonly CancellationTokenSource _stop = new();
    private UdpSnmpTransport? _transport;
    private Task? _loop;
    private SnmpResponder? _responder;
    private string _endpoint = "";

    /// <summary>A small device: system group scalars, a two-row table with a Counter64 column.</summary>
    private static MibView BuildView()
    {
        var view = new MibView()
            .AddScalar(Oid.Parse("1.3.6.1.2.1.1.1"), SnmpValue.OctetString("Urbizone test agent"))
            .AddScalar(Oid.Parse("1.3.6.1.2.1.1.2"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10")))
            .AddScalar(Oid.Parse("1.3.6.1.2.1.1.3"), SnmpValue.TimeTicks(8_640_012))
            .AddScalar(Oid.Parse("1.3.6.1.2.1.1.5"), SnmpValue.OctetString("hs-flageyplein"))
            .AddScalar(Oid.Parse("1.3.6.1.2.1.1.6"), SnmpValue.OctetString("Flageyplein, Elsene"));
        view.AddTable(Oid.Parse("1.3.6.1.2.1.31.1.1.1"), new TwoInterfaces(), 1, 6, 15);
        return view;
    }

    private sealed class TwoInterfaces : IMibTable
    {
        public IReadOnlyList<Oid> GetRows() => [new Oid(1), new Oid(2)];

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            value = column switch
            {
                1 => SnmpValue.OctetString(row[0] == 1 ? "ether1" : "wlan1"),
                6 => SnmpValue.Counter64(row[0] == 1 ? 12_345_678_901_234UL : 42UL),
                15 => SnmpValue.Gauge32(row[0] == 1 ? 1000u : 300u),
                _ => default,
            };
            return column is 1 or 6 or 15;
        }
    }

    /// <summary>A router with 20,000 interfaces: a GetBulk that asks for everything must stop at the message size.</summary>
    private sealed class ManyInterfaces : IMibTable
    {
        private readonly Oid[] _rows = [.. Enumerable.Range(1, 20_000).Select(i => new Oid((uint)i))];

        public IReadOnlyList<Oid> GetRows() => _rows;

        public bool TryGetCell(Oid row, uint column, out SnmpValue value)
        {
            value = column == 2 ? SnmpValue.OctetString(Description((int)row[0])) : SnmpValue.Counter32(row[0] * 1000);
            return column is 2 or 10;
        }

        public static string Description(int row) => $"port-{row} " + new string('x', 200);
    }

    public Task InitializeAsync()
    {
        var options = new SnmpResponderOptions();
        MibView view = BuildView();
        options.Communities["public"] = view;
        MibView big = new MibView().AddTable(Oid.Parse("1.3.6.1.2.1.2.2.1"), new ManyInterfaces(), 2, 10);
        options.Communities["big"] = big;
        options.Users.Add((s_big, big));
        options.Users.Add((s_user, view));
        options.Users.Add((s_md5, view));
        _responder = new SnmpResponder(options);
        _transport = UdpSnmpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpoint = $"127.0.0.1:{((IPEndPoint)_transport.LocalEndPoint).Port}";
        _loop = Task.Run(() => _responder.RunAsync(_transport, _stop.Token));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _transport!.DisposeAsync();
        await _loop!.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Snmpget_v2c_reads_values_and_exceptions_as_net_snmp_prints_them()
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", "public", "-On", _endpoint,
            "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.9.0", "1.3.6.1.2.1.1.5.1", "1.3.6.1.2.1.31.1.1.1.6.1");

        Assert.True(code == 0, stderr);
        Assert.Equal(
        [
            ("1.3.6.1.2.1.1.5.0", "STRING: \"hs-flageyplein\""),
            ("1.3.6.1.2.1.1.3.0", "Timeticks: (8640012) 1 day, 0:00:00.12"),
            ("1.3.6.1.2.1.1.9.0", "No Such Object available on this agent at this OID"),
            ("1.3.6.1.2.1.1.5.1", "No Such Instance currently exists at this OID"),
            ("1.3.6.1.2.1.31.1.1.1.6.1", "Counter64: 12345678901234"),
        ], NetSnmpOutput.Parse(stdout));
    }

    [Fact]
    public async Task Snmpbulkwalk_v2c_returns_the_whole_view_in_order()
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Cr3", _endpoint, "1.3.6.1");

        Assert.True(code == 0, stderr);
        List<string> oids = [.. NetSnmpOutput.Parse(stdout).Where(e => !e.Text.StartsWith("No more variables", StringComparison.Ordinal)).Select(e => e.Oid)];
        Assert.Equal(
        [
            "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0",
            "1.3.6.1.2.1.31.1.1.1.1.1", "1.3.6.1.2.1.31.1.1.1.1.2", "1.3.6.1.2.1.31.1.1.1.6.1", "1.3.6.1.2.1.31.1.1.1.6.2",
            "1.3.6.1.2.1.31.1.1.1.15.1", "1.3.6.1.2.1.31.1.1.1.15.2",
        ], oids);
    }

    [Fact]
    public async Task Snmpwalk_v1_ends_with_noSuchName_and_never_shows_Counter64()
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpwalk", "-v1", "-c", "public", "-On", _endpoint, "1.3.6.1.2.1.31");

        Assert.True(code == 0, stderr);
        var entries = NetSnmpOutput.Parse(stdout);
        Assert.Equal(4, entries.Count);
        Assert.DoesNotContain(entries, e => e.Text.StartsWith("Counter64", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("opsUser", "SHA-256", "authpass256", "AES256", "privpass256")]
    [InlineData("oldUser", "MD5", "authpassmd5", "DES", "privpassdes")]
    public async Task Snmpwalk_v3_authPriv_reads_the_view(string user, string auth, string authPass, string priv, string privPass)
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpwalk", "-v3", "-l", "authPriv", "-u", user, "-a", auth, "-A", authPass,
            "-x", priv, "-X", privPass, "-On", _endpoint, "1.3.6.1.2.1.1");

        Assert.True(code == 0, stderr);
        Assert.Contains(("1.3.6.1.2.1.1.6.0", "STRING: \"Flageyplein, Elsene\""), NetSnmpOutput.Parse(stdout));
    }

    [Fact]
    public async Task Snmpget_v3_with_a_wrong_pass_phrase_gets_an_authentication_failure_and_no_data()
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v3", "-l", "authPriv", "-u", "opsUser", "-a", "SHA-256",
            "-A", "wrongpass256", "-x", "AES256", "-X", "privpass256", "-On", "-t", "1", "-r", "0", _endpoint, "1.3.6.1.2.1.1.5.0");

        Assert.NotEqual(0, code);
        Assert.Empty(stdout.Trim());
        Assert.Contains("Authentication failure", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_community_is_not_answered()
    {
        var (code, _, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", "private", "-On", "-t", "0.5", "-r", "0", _endpoint, "1.3.6.1.2.1.1.5.0");

        Assert.NotEqual(0, code);
        Assert.Contains("Timeout", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_responder_still_answers_after_a_burst_of_malformed_datagrams()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var random = new Random(20261129);
        long before = _responder!.Dropped;
        for (int i = 0; i < 2000; i++)
        {
            byte[] junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            if (i % 3 == 0 && junk.Length > 2)
            {
                junk[0] = 0x30; // looks like a SEQUENCE
            }

            await socket.SendToAsync(junk, IPEndPoint.Parse(_endpoint));
        }

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", "public", "-On", _endpoint, "1.3.6.1.2.1.1.5.0");

        Assert.True(code == 0, stderr);
        Assert.Contains("hs-flageyplein", stdout, StringComparison.Ordinal);
        Assert.True(_responder.Dropped - before >= 1000, $"only {_responder.Dropped - before} counted as dropped");
    }

    /// <summary>net-snmp's options for v2c with <paramref name="community"/>, or v3 authPriv (SHA-256) as <paramref name="user"/>.</summary>
    private static string[] Credentials(string version, string community, string user, string authPass, string priv, string privPass) =>
        version == "v3" ? ["-v3", "-l", "authPriv", "-u", user, "-a", "SHA-256", "-A", authPass, "-x", priv, "-X", privPass] : ["-v2c", "-c", community];

    /// <summary>
    /// One GetBulk with max-repetitions 2147483647 and two repeaters, or a non-repeater and one repeater (n + m * r
    /// overflows an int), once ended the receive loop for good. It is answered, and a Get after it too.
    /// </summary>
    [Theory]
    [InlineData("0", "v2c")]
    [InlineData("1", "v2c")]
    [InlineData("0", "v3")]
    [InlineData("1", "v3")]
    public async Task A_GetBulk_with_max_repetitions_2147483647_is_answered_and_the_responder_answers_on(string nonRepeaters, string version)
    {
        string[] security = Credentials(version, "public", "opsUser", "authpass256", "AES256", "privpass256");

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpbulkget",
            [.. security, "-On", $"-Cn{nonRepeaters}", "-Cr2147483647", "-t", "5", "-r", "0", _endpoint, "1.3.6.1.2.1.1", "1.3.6.1.2.1.31"]);

        Assert.True(code == 0, stderr);
        var entries = NetSnmpOutput.Parse(stdout);
        Assert.Contains(("1.3.6.1.2.1.1.1.0", "STRING: \"Urbizone test agent\""), entries);
        Assert.Contains(entries, e => e.Oid == "1.3.6.1.2.1.31.1.1.1.15.2");

        var (getCode, getOut, getErr) = await SnmpdFixture.RunToolAsync("snmpget", [.. security, "-On", "-t", "5", "-r", "0", _endpoint, "1.3.6.1.2.1.1.5.0"]);
        Assert.True(getCode == 0, getErr);
        Assert.Contains("hs-flageyplein", getOut, StringComparison.Ordinal);
    }

    /// <summary>
    /// Over a view far larger than one message, a GetBulk asking for 2147483647 repetitions gets fewer (RFC 3416 section
    /// 4.2.3): as many as fit, in order, in a response net-snmp accepts.
    /// </summary>
    [Theory]
    [InlineData("v2c")]
    [InlineData("v3")]
    public async Task A_GetBulk_for_2147483647_repetitions_of_a_huge_table_gets_a_bounded_well_formed_response(string version)
    {
        string[] security = Credentials(version, "big", "bigUser", "authpassbig", "AES", "privpassbig");

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpbulkget",
            [.. security, "-On", "-Cn0", "-Cr2147483647", "-t", "5", "-r", "0", _endpoint, "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.10"]);

        Assert.True(code == 0, stderr);
        var entries = NetSnmpOutput.Parse(stdout);

        // About 230 octets a round: the message size (65,507) stops it, well before the cap of 1,024 bindings.
        Assert.InRange(entries.Count, 200, 1000);
        for (int i = 0; i < entries.Count; i++)
        {
            int row = (i / 2) + 1;
            Assert.Equal(i % 2 == 0 ? $"1.3.6.1.2.1.2.2.1.2.{row}" : $"1.3.6.1.2.1.2.2.1.10.{row}", entries[i].Oid);
            Assert.Equal(i % 2 == 0 ? $"STRING: \"{ManyInterfaces.Description(row)}\"" : $"Counter32: {row * 1000}", entries[i].Text);
        }
    }
}
