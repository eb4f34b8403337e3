using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The portal and the NOC as processes, the portal reporting to the NOC as its virtual agent; FreeRADIUS's radclient is
/// the gateway of two hotspots. The NOC's monthly report shows what was sent: sessions, distinct users (one person at
/// both hotspots counted once for the network), logins, octets, the users online at once; the board shows the users
/// online the portal last reported; and no site got a device for it.
/// </summary>
public sealed class HotspotUsageTests : IDisposable
{
    private const string Secret = "e2e-gateway-secret-1";
    private const string Planner = "planner";
    private const string PlannerPassword = "the planner's own password";
    private readonly TempFolder _portalData = new("e2e-portal");

    public void Dispose() => _portalData.Dispose();

    [Fact]
    public async Task The_monthly_report_shows_the_accounting_sent_with_radclient_for_two_hotspots()
    {
        await using NocInstance noc = await NocInstance.StartAsync([(Planner, "planner", PlannerPassword)]);
        int acctPort = Peers.FreeUdpPort();
        await using PeerProcess portal = ServiceProcess.Start("captive-portal/CaptivePortal", "Network.CaptivePortal",
            ["--urls", $"http://127.0.0.1:{Peers.FreeTcpPort()}"], new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = _portalData.FullPath,
                ["Radius__BindAddress"] = "127.0.0.1",
                ["Radius__AuthPort"] = Peers.FreeUdpPort().ToString(CultureInfo.InvariantCulture),
                ["Radius__AcctPort"] = acctPort.ToString(CultureInfo.InvariantCulture),
                ["Radius__Clients__0__Name"] = "loopback-gateways",
                ["Radius__Clients__0__Address"] = "127.0.0.0/8",
                ["Radius__Clients__0__Secret"] = Secret,
                ["Noc__Url"] = noc.BaseUrl + "/",
                ["Noc__Token"] = noc.AgentToken,
                ["Noc__AgentId"] = NocInstance.AgentId,
                ["Noc__IntervalSeconds"] = "5",
            });

        // Beursplein: marie's session ends, then jan's starts and stays open (one user online at a time there); Flagey: marie again.
        string[] accounting =
        [
            "User-Name=marie.dubois,Acct-Session-Id=E2E-1,NAS-Identifier=hs-beursplein,Calling-Station-Id=02-00-00-00-00-01,Acct-Status-Type=Start",
            "User-Name=marie.dubois,Acct-Session-Id=E2E-1,NAS-Identifier=hs-beursplein,Calling-Station-Id=02-00-00-00-00-01,Acct-Status-Type=Stop,Acct-Session-Time=60,Acct-Input-Octets=1000,Acct-Output-Octets=2000",
            "User-Name=jan.peeters,Acct-Session-Id=E2E-2,NAS-Identifier=hs-beursplein,Calling-Station-Id=02-00-00-00-00-02,Acct-Status-Type=Start",
            "User-Name=jan.peeters,Acct-Session-Id=E2E-2,NAS-Identifier=hs-beursplein,Calling-Station-Id=02-00-00-00-00-02,Acct-Status-Type=Interim-Update,Acct-Session-Time=60,Acct-Input-Octets=3000,Acct-Output-Octets=4000",
            "User-Name=Marie.Dubois,Acct-Session-Id=E2E-3,NAS-Identifier=hs-flageyplein,Calling-Station-Id=02-00-00-00-00-03,Acct-Status-Type=Start",
            "User-Name=Marie.Dubois,Acct-Session-Id=E2E-3,NAS-Identifier=hs-flageyplein,Calling-Station-Id=02-00-00-00-00-03,Acct-Status-Type=Stop,Acct-Session-Time=30,Acct-Input-Octets=500,Acct-Output-Octets=700",
        ];
        foreach (string attributes in accounting)
        {
            await Peers.WaitUntilAsync(async () =>
            {
                Assert.False(portal.HasExited, portal.Output);
                var (code, stdout, _) = await Radclient.SendAsync(attributes, $"127.0.0.1:{acctPort}", "acct", Secret, "-x", "-t", "2", "-r", "1");
                return code == 0 && stdout.Contains("Received Accounting-Response", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(60), "the portal answering accounting");
        }

        using HttpClient planner = await noc.SignInAsync(Planner, PlannerPassword);
        JsonElement hotspots = default;
        await Peers.WaitUntilAsync(async () =>
        {
            Assert.False(portal.HasExited, portal.Output);
            JsonElement report = await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/reports/monthly", UriKind.Relative));
            hotspots = report.GetProperty("hotspots");
            JsonElement network = hotspots.GetProperty("network");
            return network.GetProperty("sessions").GetInt64() == 3 && network.GetProperty("octets").GetInt64() == 11_200
                && network.GetProperty("peakUsers").GetInt64() >= 1;
        }, TimeSpan.FromSeconds(90), "the portal's figures in the NOC's monthly report");

        JsonElement Hotspot(string id) => hotspots.GetProperty("hotspots").EnumerateArray().Single(h => h.GetProperty("site").GetString() == id).GetProperty("figures");
        (long, long, long, long, long) Figures(JsonElement f) => (f.GetProperty("sessions").GetInt64(), f.GetProperty("users").GetInt64(),
            f.GetProperty("logins").GetInt64(), f.GetProperty("octets").GetInt64(), f.GetProperty("peakUsers").GetInt64());
        Assert.Equal((2L, 2L, 2L, 10_000L, 1L), Figures(Hotspot("hs-beursplein")));
        Assert.Equal((1L, 1L, 1L, 1_200L), Figures(Hotspot("hs-flageyplein")) is var (s, u, l, o, _) ? (s, u, l, o) : default);
        // marie at both hotspots is one user of the network.
        Assert.Equal((3L, 2L, 3L, 11_200L), Figures(hotspots.GetProperty("network")) is var (ns, nu, nl, no, _) ? (ns, nu, nl, no) : default);
        Assert.Equal("hs-beursplein", hotspots.GetProperty("top")[0].GetProperty("site").GetString());

        // The board shows the users online the portal last reported: jan is online at Beursplein, and nobody at Flagey
        // any more (the portal says 0 once its last session ended, not nothing).
        static string Figure(string site, int users) =>
            $"<tr data-site=\"{site}\">\\s*<th[^>]*>.*?</th>\\s*<td><span class=\"users-online\" data-users=\"{users}\">{users}</span>";
        await Peers.WaitUntilAsync(async () =>
        {
            string board = await planner.GetStringAsync(new Uri("/?lang=en", UriKind.Relative));
            return Regex.IsMatch(board, Figure("hs-beursplein", 1)) && Regex.IsMatch(board, Figure("hs-flageyplein", 0));
        }, TimeSpan.FromSeconds(60), "1 user online at Beursplein and 0 at Flagey on the board");

        JsonElement sites = await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/inventory/sites", UriKind.Relative));
        string[] devices = [.. sites.EnumerateArray().SelectMany(site => site.GetProperty("devices").EnumerateArray()).Select(d => d.GetProperty("name").GetString()!)];
        Assert.DoesNotContain("captive-portal", devices);
        Assert.DoesNotContain("hotspot", devices);
    }
}
