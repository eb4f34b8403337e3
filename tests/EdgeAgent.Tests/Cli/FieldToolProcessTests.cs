using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Cli;

/// <summary>
/// The field tool as the built executable, run by a shell with its output redirected to a file, next to net-snmp's
/// snmpget run the same way: what the file holds must be the same.
/// </summary>
public class FieldToolProcessTests(SnmpdFixture snmpd) : IClassFixture<SnmpdFixture>
{
    [Theory]
    [InlineData("-v2c", "1.3.6.1.2.1.1.5.0", "")] // stdout after the shell's own line, before the next
    [InlineData("-v1", "1.3.6.1.2.1.1.5.0 1.3.6.1.2.1.1.99.0", "2>&1")] // stderr and stdout in one file, neither over the other
    public async Task Output_redirected_to_a_file_goes_at_the_shared_offset_as_snmpgets_does(string version, string oids, string stderr)
    {
        using var folder = new TempFolder("field-tool");
        string ours = $"dotnet '{ServiceProcess.AssemblyPath("edge-agent/EdgeAgent", "edge-agent")}' snmp get";
        string theirs = Peers.Require("snmpget", "snmp");
        string Line(string tool, string file) =>
            $"( echo header; {tool} {version} -c public -On -t 2 -r 0 {snmpd.Endpoint} {oids}; echo footer ) > '{folder.PathOf(file)}' {stderr}";

        var (code, _, error) = await PeerProcess.RunAsync("/bin/sh", ["-c", $"{Line(ours, "ours")}; {Line(theirs, "theirs")}"],
            environment: new Dictionary<string, string> { ["MIBS"] = "" });

        Assert.True(code == 0, error);
        string expected = await File.ReadAllTextAsync(folder.PathOf("theirs"));
        Assert.Equal(expected, await File.ReadAllTextAsync(folder.PathOf("ours")));
        Assert.StartsWith("header\n", expected, StringComparison.Ordinal);
        Assert.EndsWith(".1.3.6.1.2.1.1.5.0 = STRING: \"snmpd-fixture\"\nfooter\n", expected, StringComparison.Ordinal);
    }
}
