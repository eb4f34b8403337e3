using Network.EdgeAgent.Cli;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Cli;

/// <summary><c>edge-agent snmp ...</c> prints what net-snmp's tools print against the same snmpd.</summary>
public class SnmpCommandTests(SnmpdFixture snmpd) : IClassFixture<SnmpdFixture>
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SnmpCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("bulkwalk", "snmpbulkwalk", "-v2c", "-c", "public", "-Cr7")]
    [InlineData("walk", "snmpwalk", "-v", "1", "-c", "public")]
    [InlineData("walk", "snmpwalk", "-v3", "-l", "authPriv", "-u", "sha256User", "-a", "SHA-256", "-A", "authpass256", "-x", "AES", "-X", "privpass256")]
    public async Task Walk_output_matches_net_snmp_line_for_line(string ours, string theirs, params string[] flags)
    {
        var (code, stdout, stderr) = await RunAsync([ours, .. flags, "-On", snmpd.Endpoint, "1.3.6.1.2.1.1"]);
        var (peerCode, peerOut, peerErr) = await SnmpdFixture.RunToolAsync(theirs, [.. flags, "-On", snmpd.Endpoint, "1.3.6.1.2.1.1"]);

        Assert.True(code == 0, stderr);
        Assert.True(peerCode == 0, peerErr);
        // sysUpTime moves between the two runs: compare it by type, everything else to the byte.
        Assert.Equal(
            NetSnmpOutput.Parse(peerOut).Select(e => (e.Oid, NetSnmpOutput.Stable(e.Text))),
            NetSnmpOutput.Parse(stdout).Select(e => (e.Oid, NetSnmpOutput.Stable(e.Text))));
        Assert.Contains($"STRING: \"{SnmpdFixture.Location}\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_prints_one_net_snmp_line_per_binding()
    {
        var (code, stdout, _) = await RunAsync("get", "-v2c", "-c", "public", snmpd.Endpoint, "1.3.6.1.2.1.1.5.0", ".1.3.6.1.2.1.1.6.0");

        Assert.Equal(0, code);
        Assert.Equal($".1.3.6.1.2.1.1.5.0 = STRING: \"snmpd-fixture\"\n.1.3.6.1.2.1.1.6.0 = STRING: \"{SnmpdFixture.Location}\"\n", stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_set_on_a_read_only_community_is_an_error_on_stderr_with_a_non_zero_exit()
    {
        var (code, stdout, stderr) = await RunAsync("set", "-v2c", "-c", "public", "-t", "1", "-r", "0", snmpd.Endpoint, "1.3.6.1.2.1.1.6.0", "s", "elsewhere");

        Assert.NotEqual(0, code);
        Assert.Empty(stdout);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task A_wrong_v3_pass_phrase_is_an_error_naming_the_cause()
    {
        var (code, stdout, stderr) = await RunAsync("get", "-v3", "-l", "authNoPriv", "-u", "authOnlyUser", "-a", "SHA", "-A", "notthepass1", snmpd.Endpoint, "1.3.6.1.2.1.1.5.0");

        Assert.Equal(SnmpCommand.ExitError, code);
        Assert.Empty(stdout);
        Assert.Contains("authentication failure", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate 127.0.0.1 1.3.6.1")]
    [InlineData("get -v 4 127.0.0.1 1.3.6.1")]
    [InlineData("get 127.0.0.1")]
    [InlineData("get -v3 -l authPriv -u someone -a SHA -A short -x AES -X longenough1 127.0.0.1 1.3.6.1")]
    [InlineData("get 127.0.0.1 sysName.0")]
    public async Task Bad_command_lines_exit_64_with_usage(string line)
    {
        var (code, stdout, stderr) = await RunAsync(line.Split(' '));

        Assert.Equal(SnmpCommand.ExitUsage, code);
        Assert.Empty(stdout);
        Assert.Contains("usage: edge-agent snmp", stderr, StringComparison.Ordinal);
    }
}
