using Network.Snmp.Client;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;

namespace Network.Snmp.Tests.Client;

/// <summary>The manager's policy against the broken agents of the field, in memory.</summary>
public class ManagerPolicyTests
{
    private static readonly Oid s_ifTable = IfMib.IfTable;

    private static SnmpTarget Target => new(ScriptedAgent.Address) { Timeout = TimeSpan.FromMilliseconds(150), Retries = 1 };

    /// <summary>The concurrent manager (receive loop) or the blocking one (the field tool's): the same policy either way.</summary>
    private static SnmpClient Manager(ScriptedAgent agent, bool blocking) => blocking ? SnmpClient.CreateBlocking(agent) : new SnmpClient(agent);

    private static async Task<List<VarBind>> BulkWalk(ScriptedAgent agent, int maxRepetitions, bool blocking)
    {
        await using SnmpClient client = Manager(agent, blocking);
        var walked = new List<VarBind>();
        await foreach (VarBind b in client.BulkWalkAsync(Target, s_ifTable, maxRepetitions))
        {
            walked.Add(b);
        }

        return walked;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bulk_walk_halves_max_repetitions_on_tooBig_and_still_gets_every_row(bool blocking)
    {
        var honest = ScriptedAgent.Honest(ScriptedAgent.Interfaces(40));
        var agent = new ScriptedAgent(m => m.Pdu is Pdu { Type: SnmpType.GetBulkRequestPdu, MaxRepetitions: > 5 } p
            ? new Pdu(SnmpType.ResponsePdu, p.RequestId, ErrorStatus.TooBig, 0, [])
            : honest(m));

        List<VarBind> walked = await BulkWalk(agent, 40, blocking);

        Assert.Equal(80, walked.Count);
        Assert.Equal([40, 20, 10, 5], agent.Requests.Take(4).Select(r => r.MaxRepetitions));
        Assert.All(agent.Requests.Skip(4), r => Assert.Equal(5, r.MaxRepetitions));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bulk_walk_halves_on_a_timeout_for_devices_that_go_silent_instead_of_answering_tooBig(bool blocking)
    {
        var honest = ScriptedAgent.Honest(ScriptedAgent.Interfaces(12));
        var agent = new ScriptedAgent(m => m.Pdu is Pdu { Type: SnmpType.GetBulkRequestPdu, MaxRepetitions: > 3 } ? null : honest(m));

        List<VarBind> walked = await BulkWalk(agent, 16, blocking);

        Assert.Equal(24, walked.Count);
        Assert.Equal([16, 8, 4, 2], agent.Requests.Take(4).Select(r => r.MaxRepetitions));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bulk_walk_goes_one_by_one_when_even_one_repetition_is_too_big(bool blocking)
    {
        var honest = ScriptedAgent.Honest(ScriptedAgent.Interfaces(3));
        var agent = new ScriptedAgent(m => m.Pdu is Pdu { Type: SnmpType.GetBulkRequestPdu } p
            ? new Pdu(SnmpType.ResponsePdu, p.RequestId, ErrorStatus.TooBig, 0, [])
            : honest(m));

        List<VarBind> walked = await BulkWalk(agent, 8, blocking);

        Assert.Equal(6, walked.Count);
        Assert.Contains(agent.Requests, r => r.Type == SnmpType.GetNextRequestPdu);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bulk_walk_takes_what_a_truncating_agent_returns_and_asks_again_from_there(bool blocking)
    {
        var honest = ScriptedAgent.Honest(ScriptedAgent.Interfaces(30));
        var agent = new ScriptedAgent(m =>
        {
            Pdu? full = honest(m);
            return full is null ? null : new Pdu(SnmpType.ResponsePdu, full.RequestId, full.ErrorStatus, full.ErrorIndex, [.. full.VarBinds.Take(3)]);
        });

        List<VarBind> walked = await BulkWalk(agent, 25, blocking);

        Assert.Equal(60, walked.Count);
        Assert.Equal(walked.Select(b => b.Oid).Order(), walked.Select(b => b.Oid));
        Assert.Equal(21, agent.Requests.Count); // 20 of three rows each, and one that reaches past the table
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_walk_that_gets_an_OID_not_increasing_stops_with_an_error_instead_of_looping(bool blocking)
    {
        var honest = ScriptedAgent.Honest(ScriptedAgent.Interfaces(10));
        Oid loopBack = IfMib.IfDescr.Append(3);
        var agent = new ScriptedAgent(m =>
        {
            Pdu p = (Pdu)m.Pdu;
            // A device with the D-Link/Raisecom bug: after row 5 it answers with row 3 again, forever.
            return p.VarBinds[0].Oid == IfMib.IfDescr.Append(5)
                ? Pdu.Response(p.RequestId, ErrorStatus.NoError, 0, [new VarBind(loopBack, SnmpValue.OctetString("port3"))])
                : honest(m);
        });
        await using SnmpClient client = Manager(agent, blocking);

        var walked = new List<VarBind>();
        var error = await Assert.ThrowsAsync<SnmpWalkException>(async () =>
        {
            await foreach (VarBind b in client.WalkAsync(Target, s_ifTable))
            {
                walked.Add(b);
            }
        });

        Assert.Equal(5, walked.Count);
        Assert.Contains("OID not increasing", error.Message, StringComparison.Ordinal);
        Assert.True(agent.Requests.Count <= 7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reply_from_another_address_or_with_another_request_id_is_not_taken(bool blocking)
    {
        var honest = ScriptedAgent.Honest(ScriptedAgent.Interfaces(1));
        var agent = new ScriptedAgent(m =>
        {
            Pdu? real = honest(m);
            // Answer with a request-id the manager never used: a late or forged reply.
            return real is null ? null : new Pdu(SnmpType.ResponsePdu, real.RequestId ^ 0x5A5A, real.ErrorStatus, real.ErrorIndex, real.VarBinds);
        });
        await using SnmpClient client = Manager(agent, blocking);

        await Assert.ThrowsAsync<SnmpTimeoutException>(() => client.GetAsync(Target, [SnmpV2Mib.SysName.Append(0)]));

        Assert.Equal(2, agent.Requests.Count); // one try and one retry
        // The concurrent manager's receive loop may count the second forged reply just after the timeout, on a busy machine.
        SpinWait.SpinUntil(() => client.UnmatchedReplies >= 2, TimeSpan.FromSeconds(5));
        Assert.Equal(2, client.UnmatchedReplies);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_error_status_names_the_failing_binding(bool blocking)
    {
        var agent = new ScriptedAgent(m =>
        {
            Pdu p = (Pdu)m.Pdu;
            return Pdu.Response(p.RequestId, ErrorStatus.NoSuchName, 2, p.VarBinds);
        });
        await using SnmpClient client = Manager(agent, blocking);

        var error = await Assert.ThrowsAsync<SnmpErrorStatusException>(() =>
            client.GetAsync(Target with { Version = SnmpVersion.V1 }, [SnmpV2Mib.SysName.Append(0), SnmpV2Mib.System.Append(99, 0)]));

        Assert.Equal(ErrorStatus.NoSuchName, error.Status);
        Assert.Equal(SnmpV2Mib.System.Append(99, 0), error.FailedOid);
    }

    [Fact]
    public async Task The_blocking_manager_refuses_a_second_request_while_one_waits()
    {
        SnmpClient? client = null;
        Exception? nested = null;
        var honest = ScriptedAgent.Honest(ScriptedAgent.Interfaces(1));
        var agent = new ScriptedAgent(m =>
        {
            // Runs inside the manager's send, while its one request waits: a second caller at that moment.
            nested ??= Record.Exception(() => client!.GetAsync(Target, [SnmpV2Mib.SysName.Append(0)]).GetAwaiter().GetResult());
            return honest(m);
        });
        await using SnmpClient blocking = SnmpClient.CreateBlocking(agent);
        client = blocking;

        IReadOnlyList<VarBind> answer = await blocking.GetAsync(Target, [SnmpV2Mib.SysName.Append(0)]);

        Assert.IsType<InvalidOperationException>(nested);
        Assert.Equal("scripted", answer[0].Value.AsString());
        Assert.Single(agent.Requests); // the refused request never reached the wire
    }
}
