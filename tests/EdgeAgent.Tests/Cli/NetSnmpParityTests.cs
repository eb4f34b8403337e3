using System.Buffers.Binary;
using Network.Snmp.Pdus;
using Network.Snmp.Responder;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Cli;

/// <summary>
/// <c>edge-agent snmp ...</c> against net-snmp 5.9's tools on the same agent: stdout, stderr and exit code are the
/// same, for what an agent answers beyond plain values (error-statuses, the end of a walk, opaque special types, no
/// answer) and for the command lines net-snmp takes (<c>.1</c>, no OID, values that start with '-').
/// </summary>
public class NetSnmpParityTests(SnmpdFixture snmpd) : IClassFixture<SnmpdFixture>
{
    private static readonly Oid s_subtree = Oid.Parse("1.3.6.1.4.1.99");

    private static string[] Flags(string version = "2c") => [$"-v{version}", "-c", "public", "-On", "-t", "2", "-r", "0"];

    [Theory]
    [MemberData(nameof(EveryErrorStatus))]
    public async Task Every_error_status_is_worded_as_net_snmp_words_it(int status)
    {
        await using var agent = new ScriptedUdpAgent(request => ScriptedUdpAgent.Error(request, (ErrorStatus)status, 1));

        var ours = await BothTools.AssertSameAsync("get", [.. Flags(), agent.Endpoint, "1.3.6.1.2.1.1.5.0"]);
        await BothTools.AssertSameAsync("set", [.. Flags(), agent.Endpoint, "1.3.6.1.2.1.1.5.0", "s", "x"]);

        Assert.Equal(2, ours.Code);
        Assert.StartsWith("Error in packet\nReason: ", ours.Err, StringComparison.Ordinal);
    }

    public static TheoryData<int> EveryErrorStatus() => [.. Enumerable.Range(1, 19)]; // 19: beyond RFC 3416, "Unknown Error"

    [Theory]
    [InlineData("get", 5, 2)] // genError on the second: the first and third are printed after a retry
    [InlineData("getnext", 2, 2)]
    [InlineData("get", 2, 1)] // noSuchName on each in turn: two reports, nothing printed
    [InlineData("get", 5, 0)] // no index: no retry, no "Failed object"
    [InlineData("get", 5, 7)] // an index past the bindings: an empty "Failed object"
    public async Task A_multi_oid_get_with_a_failed_binding_is_retried_without_it_as_net_snmp_does(string command, int status, int index)
    {
        // With three names the agent refuses the one at the index; asked again with fewer, it answers (or refuses the first again).
        await using var agent = new ScriptedUdpAgent(request => request.VarBinds.Count == 3 || index == 1
            ? ScriptedUdpAgent.Error(request, (ErrorStatus)status, index)
            : ScriptedUdpAgent.Answer(request, request.VarBinds.Select(b => new VarBind(b.Oid, SnmpValue.OctetString("ok")))));

        var ours = await BothTools.AssertSameAsync(command, [.. Flags(), agent.Endpoint, "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0", "1.3.6.1.2.1.1.7.0"]);

        Assert.Equal(2, ours.Code);
    }

    [Fact]
    public async Task A_v1_get_of_a_missing_object_from_snmpd_prints_the_rest_and_the_failed_object()
    {
        var ours = await BothTools.AssertSameAsync("get", [.. Flags("1"), snmpd.Endpoint, "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.99.0", "1.3.6.1.2.1.1.6.0"]);

        Assert.Contains("Failed object: .1.3.6.1.2.1.1.99.0\n", ours.Err, StringComparison.Ordinal);
        Assert.Contains("snmpd-fixture", ours.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("walk", "1", 2)] // noSuchName: "End of MIB", exit 0
    [InlineData("walk", "2c", 2)]
    [InlineData("bulkwalk", "2c", 2)]
    [InlineData("walk", "2c", 5)] // any other error: "Error in packet.", exit 2
    [InlineData("bulkwalk", "2c", 13)]
    public async Task An_error_status_in_the_middle_of_a_walk_ends_it_as_net_snmp_ends_it(string command, string version, int status)
    {
        await using var agent = new ScriptedUdpAgent(request => TwoObjectsThen(request, next => ScriptedUdpAgent.Error(request, (ErrorStatus)status, 1)));

        var ours = await BothTools.AssertSameAsync(command, [.. Flags(version), agent.Endpoint, s_subtree.ToString()]);

        Assert.StartsWith($".{s_subtree}.1 = STRING: \"one\"\n.{s_subtree}.2 = STRING: \"two\"\n", ours.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("walk", "1")]
    [InlineData("walk", "2c")]
    [InlineData("bulkwalk", "2c")]
    public async Task EndOfMibView_inside_the_subtree_is_printed_as_net_snmp_prints_it(string command, string version)
    {
        await using var agent = new ScriptedUdpAgent(request => TwoObjectsThen(request, last => ScriptedUdpAgent.Answer(request, new VarBind(last, SnmpValue.EndOfMibView))));

        var ours = await BothTools.AssertSameAsync(command, [.. Flags(version), agent.Endpoint, s_subtree.ToString()]);

        Assert.EndsWith($".{s_subtree}.2 = No more variables left in this MIB View (It is past the end of the MIB tree)\n", ours.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("walk", "1")] // v1: snmpd answers noSuchName past the last object: "End of MIB"
    [InlineData("walk", "2c")] // v2c: the endOfMibView binding is printed
    [InlineData("bulkwalk", "2c")]
    public async Task A_walk_to_the_end_of_snmpds_mib_ends_as_net_snmps(string command, string version)
    {
        // vacmViewTreeFamilyTable: the last objects snmpd has, and the same from one run to the next.
        var ours = await BothTools.AssertSameAsync(command, [.. Flags(version), snmpd.Endpoint, "1.3.6.1.6.3.16.1.5"]);

        Assert.Matches(version == "1" ? "\nEnd of MIB\n$" : " = No more variables left in this MIB View \\(It is past the end of the MIB tree\\)\n$", ours.Out);
    }

    [Theory]
    [InlineData("walk", "1")] // v1: the Get is refused with noSuchName, nothing printed
    [InlineData("walk", "2c")]
    [InlineData("bulkwalk", "2c")]
    public async Task A_walk_of_an_empty_subtree_prints_what_the_final_get_of_net_snmp_prints(string command, string version)
    {
        var ours = await BothTools.AssertSameAsync(command, [.. Flags(version), snmpd.Endpoint, "1.3.6.1.4.1.99998"]);

        Assert.Equal(version == "1" ? "" : ".1.3.6.1.4.1.99998 = No Such Object available on this agent at this OID\n", ours.Out);
    }

    [Fact]
    public async Task Opaque_special_types_print_as_net_snmp_prints_them()
    {
        byte[][] values =
        [
            Special(0x78, Single(1.5f)), // Opaque: Float: 1.500000
            Special(0x79, Double(-2.25)), // a double: labelled Float too
            Special(0x78, Single(1e30f)), // every digit, as C's %f
            Special(0x79, Double(1e300)), // cut at 127 characters, net-snmp's buffer
            Special(0x79, Double(double.NaN)),
            Special(0x78, Single(float.NegativeInfinity)),
            Special(0x7A, [0x80]), // Int64: -128
            Special(0x7A, [0x00, 0x80]),
            Special(0x7A, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            Special(0x7A, []),
            Special(0x7A, [0x00, 0x80, 0, 0, 0, 0, 0, 0, 0]), // nine octets: the low 64 bits, as a signed number
            Special(0x7B, [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), // UInt64: 18446744073709551615
            Special(0x7B, [0x80]), // unsigned: 128
            Special(0x76, [0x00, 0x80]), // Counter64: 128
            [0x9F, 0x7A, 0x81, 0x01, 0x01], // a long-form length
            [0x9F, 0x7F, 0x01, 0x01], // a tag net-snmp does not know: hex
            [0x9F, 0x78], // cut short: hex
            [0x01, 0x02],
            [],
        ];
        var view = new MibView();
        for (int i = 0; i < values.Length; i++)
        {
            view.AddScalar(s_subtree.Append((uint)i + 1), SnmpValue.Opaque(values[i])); // instance .0
        }

        await using var agent = ScriptedUdpAgent.Serving(view);

        var ours = await BothTools.AssertSameAsync("get", [.. Flags(), agent.Endpoint, .. Enumerable.Range(1, values.Length).Select(i => $"{s_subtree}.{i}.0")]);

        Assert.Contains($".{s_subtree}.1.0 = Opaque: Float: 1.500000\n", ours.Out, StringComparison.Ordinal);
        Assert.Contains($".{s_subtree}.7.0 = Opaque: Int64: -128\n", ours.Out, StringComparison.Ordinal);
        Assert.Contains($".{s_subtree}.14.0 = Opaque: Counter64: 128\n", ours.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get")] // snmpget and snmpgetnext end the line with a full stop
    [InlineData("getnext")]
    [InlineData("walk")]
    [InlineData("bulkwalk")]
    [InlineData("set")]
    public async Task No_answer_is_the_timeout_line_of_net_snmp_naming_the_agent_as_typed(string command)
    {
        string agent = $"udp:localhost:{Peers.FreeUdpPort()}";
        string[] request = command == "set" ? ["1.3.6.1.2.1.1.5.0", "s", "x"] : ["1.3.6.1.2.1.1.5.0"];

        var ours = await BothTools.AssertSameAsync(command, ["-v2c", "-c", "public", "-On", "-t", "0.3", "-r", "0", agent, .. request]);

        Assert.Equal(1, ours.Code);
        Assert.StartsWith($"Timeout: No Response from {agent}", ours.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("walk")]
    public async Task No_answer_to_v3_discovery_is_net_snmps_program_colon_timeout_line(string command)
    {
        string agent = $"127.0.0.1:{Peers.FreeUdpPort()}";

        var (ours, theirs) = await BothTools.RunAsync(command, ["-v3", "-l", "authNoPriv", "-u", "fleet", "-a", "SHA", "-A", "fleetauth123", "-On", "-t", "0.3", "-r", "0", agent, "1.3.6.1.2.1.1.5.0"]);

        Assert.Equal($"snmp{command}: Timeout\n", theirs.Err);
        Assert.Equal("edge-agent snmp: Timeout\n", ours.Err); // net-snmp names the program that printed it; so do we
        Assert.Equal((1, ""), (theirs.Code, theirs.Out));
        Assert.Equal((1, ""), (ours.Code, ours.Out));
    }

    [Theory]
    [InlineData(".1")] // the whole tree: asked for as .1.0, as net-snmp does
    [InlineData(null)] // no OID: mib-2
    public async Task A_walk_of_dot_one_or_of_no_oid_walks_what_snmpwalk_walks(string? root)
    {
        var view = new MibView()
            .AddScalar(Oid.Parse("1.3.6.1.2.1.1.5"), SnmpValue.OctetString("inside mib-2"))
            .AddScalar(Oid.Parse("1.3.6.1.2.1.2.1"), SnmpValue.Integer(3))
            .AddScalar(Oid.Parse("1.3.6.1.4.1.99.1"), SnmpValue.OctetString("past mib-2"));
        await using var agent = ScriptedUdpAgent.Serving(view);

        var ours = await BothTools.AssertSameAsync("walk", [.. Flags(), agent.Endpoint, .. root is null ? Array.Empty<string>() : [root]]);

        Assert.Contains("inside mib-2", ours.Out, StringComparison.Ordinal);
        Assert.Equal(root is not null, ours.Out.Contains("past mib-2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("i", "-42")]
    [InlineData("s", "-v1")] // after the AGENT, snmpset reads no options
    public async Task Set_values_that_start_with_a_dash_are_values(string type, string value)
    {
        var seen = new List<VarBind>();
        await using var agent = new ScriptedUdpAgent(request =>
        {
            lock (seen)
            {
                seen.AddRange(request.VarBinds);
            }

            return ScriptedUdpAgent.Answer(request, request.VarBinds);
        });

        var ours = await BothTools.AssertSameAsync("set", [.. Flags(), "--", agent.Endpoint, "1.3.6.1.2.1.1.5.0", type, value]);

        Assert.Equal(0, ours.Code);
        lock (seen)
        {
            Assert.Equal(2, seen.Count); // ours and net-snmp's, the same value
            Assert.Equal(seen[0], seen[1]);
            Assert.Equal(type == "i" ? SnmpValue.Integer(-42) : SnmpValue.OctetString(value), seen[0].Value);
        }
    }

    /// <summary>
    /// A subtree of two objects (<c>s_subtree.1</c> "one", <c>.2</c> "two") served by GetNext and GetBulk; a request
    /// that reaches past <c>.2</c> gets what <paramref name="end"/> makes of the last name, a Get gets "got".
    /// </summary>
    private static Pdu TwoObjectsThen(Pdu request, Func<Oid, Pdu> end)
    {
        Oid[] objects = [s_subtree.Append(1), s_subtree.Append(2)];
        Oid from = request.VarBinds[0].Oid;
        if (request.Type == SnmpType.GetRequestPdu)
        {
            return ScriptedUdpAgent.Answer(request, new VarBind(from, SnmpValue.OctetString("got")));
        }

        int max = request.Type == SnmpType.GetBulkRequestPdu ? request.MaxRepetitions : 1;
        VarBind[] next = [.. objects.Where(o => o.CompareTo(from) > 0).Take(max).Select(o => new VarBind(o, SnmpValue.OctetString(o[^1] == 1 ? "one" : "two")))];
        return next.Length > 0 ? ScriptedUdpAgent.Answer(request, next) : end(from);
    }

    private static byte[] Special(byte tag, byte[] content) => [0x9F, tag, (byte)content.Length, .. content];

    private static byte[] Single(float value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Double(double value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return bytes;
    }
}
