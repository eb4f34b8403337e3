namespace Network.TestSupport;

/// <summary>Prometheus's own reader of the text format: <c>promtool check metrics</c> (Debian package <c>prometheus</c>).</summary>
public static class Promtool
{
    /// <summary>Has promtool read <paramref name="text"/> (a scrape) and fails with what it says unless it found nothing wrong.</summary>
    public static async Task AssertValidAsync(string text)
    {
        var (code, stdout, stderr) = await PeerProcess.RunAsync(Peers.Require("promtool", "prometheus"), ["check", "metrics"], stdin: text);
        Assert.True(code == 0 && stdout.Length == 0 && stderr.Length == 0, $"promtool check metrics: exit {code}\n{stdout}{stderr}\n--- the text ---\n{text}");
    }
}
