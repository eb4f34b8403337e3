using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Cli;

/// <summary>
/// An snmpd with an SNMPv3 context: in context <c>ctx</c>, <c>1.3.6.1.4.1.99999.7</c> is snmpd's own system group
/// (a proxy to itself), and user <c>ctxuser</c> may read only that context. <c>-n ctx</c> must put the context name in
/// the scoped PDU for the answer to come back; without it snmpd refuses (authorizationError).
/// </summary>
public sealed class ContextSnmpd : IAsyncLifetime
{
    public const string Context = "ctx";
    public const string User = "ctxuser";
    public const string AuthPass = "ctxauth123";

    private readonly TempFolder _folder = new("snmpd-context");
    private PeerProcess? _process;

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        int port = Peers.FreeUdpPort();
        Endpoint = $"127.0.0.1:{port}";
        Directory.CreateDirectory(_folder.PathOf("persist"));
        await File.WriteAllLinesAsync(_folder.PathOf("snmpd.conf"),
        [
            $"agentaddress udp:{Endpoint}",
            "rocommunity public 127.0.0.1",
            "sysName context-fixture",
            $"createUser {User} SHA \"{AuthPass}\"",
            $"rouser -s usm {User} auth .1 {Context}",
            $"proxy -Cn {Context} -v 2c -c public {Endpoint} .1.3.6.1.4.1.99999.7 .1.3.6.1.2.1.1",
        ]);
        _process = PeerProcess.Start(Peers.Require("snmpd", "snmpd"),
            ["-f", "-Lo", "-C", "-c", _folder.PathOf("snmpd.conf"), "-p", _folder.PathOf("snmpd.pid"), $"--persistentDir={_folder.PathOf("persist")}"],
            new Dictionary<string, string> { ["MIBS"] = "" });
        await Peers.WaitUntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new PeerMissingException($"snmpd exited at start-up: {_process.Output}");
            }

            var (code, stdout, _) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", "public", "-On", "-t", "0.3", "-r", "0", Endpoint, "1.3.6.1.2.1.1.5.0");
            return code == 0 && stdout.Contains("context-fixture", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "snmpd answering on " + Endpoint);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _folder.Dispose();
    }
}

/// <summary><c>-n CONTEXT</c> against snmpd, next to net-snmp's own tools with the same flags.</summary>
public class ContextSnmpdTests(ContextSnmpd snmpd) : IClassFixture<ContextSnmpd>
{
    private static readonly string[] V3 = ["-v3", "-l", "authNoPriv", "-u", ContextSnmpd.User, "-a", "SHA", "-A", ContextSnmpd.AuthPass, "-On", "-t", "2", "-r", "0"];

    [Fact]
    public async Task A_get_in_a_named_context_reads_that_context()
    {
        var ours = await BothTools.AssertSameAsync("get", [.. V3, "-n", ContextSnmpd.Context, snmpd.Endpoint, "1.3.6.1.4.1.99999.7.5.0"]);

        Assert.Equal(".1.3.6.1.4.1.99999.7.5.0 = STRING: \"context-fixture\"\n", ours.Out);
    }

    [Fact]
    public async Task Without_the_context_the_same_get_is_refused_as_net_snmp_reports_it()
    {
        var ours = await BothTools.AssertSameAsync("get", [.. V3, snmpd.Endpoint, "1.3.6.1.4.1.99999.7.5.0"]);

        Assert.Equal(2, ours.Code);
        Assert.Contains("authorizationError", ours.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_walk_in_a_named_context_walks_that_context()
    {
        var (ours, theirs) = await BothTools.RunAsync("walk", [.. V3, "-n", ContextSnmpd.Context, snmpd.Endpoint, "1.3.6.1.4.1.99999.7.5"]);

        Assert.Equal(theirs, ours);
        Assert.Equal(".1.3.6.1.4.1.99999.7.5.0 = STRING: \"context-fixture\"\n", ours.Out);
    }
}
