using System.Text.Json;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Radius;

/// <summary>
/// Changing a gateway's secret on a running portal, as the operator does it: the settings file gets the next secret,
/// the process gets SIGHUP (what <c>systemctl reload</c> sends), and both secrets are answered, with no restart.
/// </summary>
public sealed class SecretReloadTests : IDisposable
{
    private const string OldSecret = "old-secret-2026";
    private const string NewSecret = "new-secret-2027";
    private readonly TempFolder _folder = new("portal-secret");

    public void Dispose() => _folder.Dispose();

    private void WriteSettings(int auth, int acct, string? nextSecret) =>
        File.WriteAllText(_folder.PathOf("portal.json"), JsonSerializer.Serialize(new
        {
            Radius = new
            {
                BindAddress = "127.0.0.1",
                AuthPort = auth,
                AcctPort = acct,
                Clients = new[] { new { Name = "gateway", Address = "127.0.0.1", Secret = OldSecret, NextSecret = nextSecret ?? "" } },
            },
        }));

    private static async Task<bool> AnsweredAsync(int auth, string secret)
    {
        var (_, stdout, _) = await Radclient.SendAsync("Message-Authenticator=0x00", $"127.0.0.1:{auth}", "status", secret, "-x", "-t", "2", "-r", "1");
        return stdout.Contains("Received Access-Accept", StringComparison.Ordinal);
    }

    private static async Task HangupAsync(PeerProcess portal, string expected, int seen)
    {
        var (code, _, stderr) = await PeerProcess.RunAsync("kill", ["-HUP", portal.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(code == 0, stderr);
        await Peers.WaitUntilAsync(() => Task.FromResult(Count(portal.Output, expected) > seen), TimeSpan.FromSeconds(30), $"the portal logging '{expected}'");
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    [Fact]
    public async Task A_next_secret_given_by_a_reload_is_answered_alongside_the_old_one_and_a_broken_file_changes_nothing()
    {
        int auth = Peers.FreeUdpPort(), acct = Peers.FreeUdpPort();
        WriteSettings(auth, acct, nextSecret: null);
        await using PeerProcess portal = ServiceProcess.Start("captive-portal/CaptivePortal", "Network.CaptivePortal",
            ["--config", _folder.PathOf("portal.json"), "--urls", $"http://127.0.0.1:{Peers.FreeTcpPort()}"],
            new Dictionary<string, string> { ["Storage__DataDirectory"] = _folder.PathOf("data") });
        await Peers.WaitUntilAsync(async () =>
        {
            Assert.False(portal.HasExited, portal.Output);
            return await AnsweredAsync(auth, OldSecret);
        }, TimeSpan.FromSeconds(60), "the portal answering RADIUS");
        Assert.False(await AnsweredAsync(auth, NewSecret));

        WriteSettings(auth, acct, NewSecret);
        await HangupAsync(portal, "RADIUS clients reloaded: 1 clients, 1 changing their secret", 0);

        Assert.True(await AnsweredAsync(auth, NewSecret), portal.Output);
        Assert.True(await AnsweredAsync(auth, OldSecret), portal.Output);

        File.WriteAllText(_folder.PathOf("portal.json"), "{ \"Radius\": { \"Clients\": [ ");
        await HangupAsync(portal, "configuration not reloaded", 0);

        Assert.False(portal.HasExited);
        Assert.True(await AnsweredAsync(auth, NewSecret), portal.Output);
        Assert.DoesNotContain(NewSecret, portal.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(OldSecret, portal.Output, StringComparison.Ordinal);
    }
}
