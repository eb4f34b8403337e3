namespace Network.TestSupport;

/// <summary>FreeRADIUS's radclient, the real gateway-side RADIUS client the RADIUS tests speak through.</summary>
public static class Radclient
{
    public static string Path => Peers.Require("radclient", "freeradius-utils");

    /// <summary>
    /// Sends the attribute list on stdin (<c>User-Name=alice,User-Password=pw</c>) as <paramref name="kind"/>
    /// (auth, acct, status, disconnect, coa) to <paramref name="server"/>.
    /// </summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> SendAsync(
        string attributes, string server, string kind, string secret, params string[] options) =>
        PeerProcess.RunAsync(Path, [.. options, server, kind, secret], stdin: attributes + "\n");
}
