using Network.TestSupport;

namespace Network.Radius.Tests.Fixtures;

/// <summary>FreeRADIUS's radclient, the real gateway the RADIUS tests will speak through, is installed and runs.</summary>
public class RadclientTests
{
    [Fact]
    public async Task Radclient_is_installed_and_reports_its_FreeRADIUS_version()
    {
        var (code, stdout, stderr) = await PeerProcess.RunAsync(Radclient.Path, ["-v"]);

        Assert.Equal(0, code);
        Assert.Matches(@"radclient version 3\.\d+\.\d+", stdout + stderr);
    }

    [Fact]
    public async Task Radclient_reports_no_reply_from_a_port_where_nobody_listens()
    {
        int port = Peers.FreeUdpPort();

        var (_, stdout, stderr) = await Radclient.SendAsync(
            "User-Name=alice,User-Password=secret,Message-Authenticator=0x00", $"127.0.0.1:{port}", "auth", "testing123",
            "-x", "-t", "1", "-r", "1");

        Assert.Contains("Sent Access-Request", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("No reply from server", stdout + stderr, StringComparison.Ordinal);
    }
}
