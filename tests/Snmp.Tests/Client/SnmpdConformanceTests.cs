using System.Net;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Text;
using Network.TestSupport;

namespace Network.Snmp.Tests.Client;

/// <summary>Our manager against net-snmp's snmpd, checked against what net-snmp's own manager reads from the same agent.</summary>
public class SnmpdConformanceTests(SnmpdFixture snmpd) : IClassFixture<SnmpdFixture>, IAsyncLifetime
{
    private readonly SnmpClient _client = SnmpClient.CreateUdp();
    private readonly SnmpClient _blocking = SnmpClient.CreateBlockingUdp(); // the field tool's manager


    private SnmpTarget V2c => new(new IPEndPoint(IPAddress.Loopback, snmpd.Port)) { Community = SnmpdFixture.Community, Timeout = TimeSpan.FromSeconds(2), Retries = 2 };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _blocking.DisposeAsync();
    }

    [Fact]
    public async Task Get_of_several_scalars_prints_what_snmpget_prints()
    {
        string[] oids = ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0", "1.3.6.1.2.1.1.99.0", "1.3.6.1.2.1.2.2.1.2.1"];

        IReadOnlyList<VarBind> ours = await _client.GetAsync(V2c, [.. oids.Select(Oid.Parse)]);
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", ["-v2c", "-c", SnmpdFixture.Community, "-On", snmpd.Endpoint, .. oids]);

        Assert.True(code == 0, stderr);
        Assert.Equal(NetSnmpOutput.Parse(stdout), ours.Select(b => (b.Oid.ToString(), NetSnmpText.FormatValue(b.Value))).ToList());
        Assert.Equal(SnmpType.NoSuchObject, ours[4].Value.Type);
    }

    [Fact]
    public async Task Walk_of_the_system_group_equals_snmpwalk()
    {
        var ours = new List<(string, string)>();
        await foreach (VarBind b in _client.WalkAsync(V2c, Oid.Parse("1.3.6.1.2.1.1")))
        {
            ours.Add((b.Oid.ToString(), NetSnmpOutput.Stable(NetSnmpText.FormatValue(b.Value))));
        }

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpwalk", "-v2c", "-c", SnmpdFixture.Community, "-On", snmpd.Endpoint, "1.3.6.1.2.1.1");

        Assert.True(code == 0, stderr);
        Assert.Equal(NetSnmpOutput.Parse(stdout).Select(e => (e.Oid, NetSnmpOutput.Stable(e.Text))).ToList(), ours);
        Assert.Contains(ours, e => e.Item2 == $"STRING: \"{SnmpdFixture.Location}\"");
    }

    [Theory]
    [InlineData(50, false)]
    [InlineData(7, false)]
    [InlineData(50, true)]
    [InlineData(7, true)]
    public async Task Bulk_walk_of_the_whole_tree_gives_exactly_the_OIDs_and_values_of_snmpbulkwalk(int maxRepetitions, bool blocking)
    {
        var ours = new List<(string Oid, string Text)>();
        await foreach (VarBind b in (blocking ? _blocking : _client).BulkWalkAsync(V2c, Oid.Parse("1.3.6.1"), maxRepetitions))
        {
            ours.Add((b.Oid.ToString(), NetSnmpText.FormatValue(b.Value)));
        }

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpbulkwalk", "-v2c", "-c", SnmpdFixture.Community, "-On", $"-Cr{maxRepetitions}", snmpd.Endpoint, "1.3.6.1");
        Assert.True(code == 0, stderr);
        var theirs = NetSnmpOutput.Parse(stdout)
            .Where(e => !e.Text.StartsWith("No more variables", StringComparison.Ordinal)) // snmpbulkwalk prints the endOfMibView
            .ToList();

        static List<(string, string)> Comparable(IEnumerable<(string Oid, string Text)> walk) =>
            [.. walk.Where(e => !NetSnmpOutput.IsVolatile(e.Oid)).Select(e => (e.Oid, NetSnmpOutput.Stable(e.Text)))];

        Assert.True(theirs.Count > 1000, $"snmpbulkwalk returned only {theirs.Count} bindings");
        Assert.Equal(Comparable(theirs), Comparable(ours));
        Assert.Equal(ours.Select(e => Oid.Parse(e.Oid)).Order().Select(o => o.ToString()), ours.Select(e => e.Oid)); // strictly in order
        Assert.Equal(ours.Count, ours.Select(e => e.Oid).Distinct().Count());
    }

    [Fact]
    public async Task Walk_of_a_scalar_returns_the_scalar_itself_as_snmpwalk_does()
    {
        var ours = new List<VarBind>();
        await foreach (VarBind b in _client.WalkAsync(V2c, Oid.Parse("1.3.6.1.2.1.1.5.0")))
        {
            ours.Add(b);
        }

        VarBind single = Assert.Single(ours);
        Assert.Equal("snmpd-fixture", single.Value.AsString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_wrong_community_times_out_and_returns_no_data(bool blocking)
    {
        var target = V2c with { Community = "not-the-community", Timeout = TimeSpan.FromMilliseconds(300), Retries = 1 };
        long started = Environment.TickCount64;

        await Assert.ThrowsAsync<SnmpTimeoutException>(() => (blocking ? _blocking : _client).GetAsync(target, [Oid.Parse("1.3.6.1.2.1.1.5.0")]));

        long waited = Environment.TickCount64 - started;
        Assert.True(waited >= 550, $"gave up after {waited} ms: two attempts of 300 ms each were due");
    }

    [Fact]
    public async Task Many_requests_in_flight_over_one_socket_each_get_their_own_answer()
    {
        Oid[] oids = [Oid.Parse("1.3.6.1.2.1.1.5.0"), Oid.Parse("1.3.6.1.2.1.1.6.0"), Oid.Parse("1.3.6.1.2.1.1.4.0")];

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => _client.GetAsync(V2c, [oids[i % 3]])));

        for (int i = 0; i < answers.Length; i++)
        {
            Assert.Equal(oids[i % 3], Assert.Single(answers[i]).Oid);
        }

        Assert.Equal("noc@urbizone.example", answers[2][0].Value.AsString());
    }

    [Fact]
    public async Task A_dead_device_does_not_delay_a_live_one()
    {
        var dead = new SnmpTarget(new IPEndPoint(IPAddress.Loopback, Peers.FreeUdpPort())) { Timeout = TimeSpan.FromSeconds(3), Retries = 1 };
        Task<IReadOnlyList<VarBind>> waiting = _client.GetAsync(dead, [Oid.Parse("1.3.6.1.2.1.1.5.0")]);

        IReadOnlyList<VarBind> live = await _client.GetAsync(V2c, [Oid.Parse("1.3.6.1.2.1.1.5.0")]);

        Assert.False(waiting.IsCompleted, "the live device's answer came only after the dead one gave up");
        Assert.Equal("snmpd-fixture", live[0].Value.AsString());
        await Assert.ThrowsAsync<SnmpTimeoutException>(() => waiting);
    }
}
