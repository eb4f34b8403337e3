using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Sessions;
using Network.Radius;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Radius;

/// <summary>The whole portal (accounts, sessions, RADIUS host) with FreeRADIUS's radclient as the hotspot gateway.</summary>
public sealed class PortalRadiusTests : IAsyncLifetime
{
    private const string Secret = "gateway-secret-1";
    private readonly ServiceFactory<Program> _portal = new ServiceFactory<Program>()
        .With("Radius:BindAddress", "127.0.0.1")
        .With("Radius:AuthPort", "0")
        .With("Radius:AcctPort", "0")
        .With("Radius:Clients:0:Name", "loopback-gateways")
        .With("Radius:Clients:0:Address", "127.0.0.0/8")
        .With("Radius:Clients:0:Secret", Secret)
        .With("Accounts:MaxFailuresPerUser", "3")
        .With("Accounts:LockoutPeriod", "00:25:00");

    private string _auth = "";
    private string _acct = "";

    public async Task InitializeAsync()
    {
        _ = _portal.Server; // start the host
        RadiusHost host = _portal.Services.GetRequiredService<RadiusHost>();
        _auth = host.EndPoints.Single(e => e.Port == RadiusPort.Authentication).EndPoint.ToString();
        _acct = host.EndPoints.Single(e => e.Port == RadiusPort.Accounting).EndPoint.ToString();
        AccountService accounts = _portal.Services.GetRequiredService<AccountService>();
        Assert.Equal(AccountChangeResult.Done, await accounts.CreateAsync("marie.dubois", "Flagey-2026-wifi"));
        Assert.Equal(AccountChangeResult.Done, await accounts.CreateAsync("jan.peeters", "Beursplein-42a"));
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private static Task<(int ExitCode, string Stdout, string Stderr)> Send(string attributes, string server, string kind, params string[] options) =>
        Radclient.SendAsync(attributes, server, kind, Secret, ["-x", "-t", "3", "-r", "1", .. options]);

    [Fact]
    public async Task A_registered_user_is_accepted_with_the_session_limits_and_bandwidth_of_the_policy()
    {
        var (code, stdout, stderr) = await Send("User-Name=marie.dubois,User-Password=Flagey-2026-wifi,Message-Authenticator=0x00,Calling-Station-Id=02-11-22-33-44-55", _auth, "auth");

        Assert.True(code == 0, stdout + stderr);
        string reply = stdout[stdout.IndexOf("Received", StringComparison.Ordinal)..];
        Assert.Contains("Access-Accept", reply, StringComparison.Ordinal);
        Assert.Contains("Session-Timeout = 14400", reply, StringComparison.Ordinal);
        Assert.Contains("Acct-Interim-Interval = 300", reply, StringComparison.Ordinal);
        Assert.Contains("WISPr-Bandwidth-Max-Down = 20000000", reply, StringComparison.Ordinal);
        Assert.Contains("ChilliSpot-Bandwidth-Max-Down = 20000", reply, StringComparison.Ordinal);
    }

    /// <summary>
    /// RFC 2865 section 5.33 on every path of the portal: a first login (a worker hashes), a returning user's login (from
    /// memory, on the receive thread), a reject, and accounting (answered when its batch commits) all give the gateway's
    /// Proxy-States back, in order.
    /// </summary>
    [Fact]
    public async Task Every_reply_carries_the_requests_Proxy_States_in_order()
    {
        const string States = "Proxy-State=0x70726f78792d31,Proxy-State=0x0102";
        string[] requests =
        [
            $"User-Name=jan.peeters,User-Password=Beursplein-42a,Message-Authenticator=0x00,{States}",
            $"User-Name=jan.peeters,User-Password=Beursplein-42a,Message-Authenticator=0x00,{States}",
            $"User-Name=jan.peeters,User-Password=wrong-password-1,Message-Authenticator=0x00,{States}",
            $"User-Name=jan.peeters,Acct-Session-Id=5F0A-0077,Acct-Status-Type=Start,NAS-Identifier=hs-flageyplein,{States}",
        ];
        string[] expected = ["Access-Accept", "Access-Accept", "Access-Reject", "Accounting-Response"];

        for (int i = 0; i < requests.Length; i++)
        {
            var (_, stdout, stderr) = await Send(requests[i], i == 3 ? _acct : _auth, i == 3 ? "acct" : "auth");

            Assert.True(stdout.Contains("Received " + expected[i], StringComparison.Ordinal), stdout + stderr);
            string reply = stdout[stdout.IndexOf("Received", StringComparison.Ordinal)..];
            Assert.Equal(["Proxy-State = 0x70726f78792d31", "Proxy-State = 0x0102"],
                reply.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("Proxy-State = ", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_reject()
    {
        var (_, wrong, _) = await Send("User-Name=jan.peeters,User-Password=not-his-password,Message-Authenticator=0x00", _auth, "auth");
        var (_, unknown, _) = await Send("User-Name=nobody.here,User-Password=not-his-password,Message-Authenticator=0x00", _auth, "auth");

        Assert.Contains("Received Access-Reject", wrong, StringComparison.Ordinal);
        Assert.Contains("Received Access-Reject", unknown, StringComparison.Ordinal);
        Assert.Contains("Reply-Message = \"Wrong user name or password.\"", wrong, StringComparison.Ordinal);
        Assert.Contains("Reply-Message = \"Wrong user name or password.\"", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password()
    {
        AccountService accounts = _portal.Services.GetRequiredService<AccountService>();
        Assert.Equal(AccountChangeResult.Done, await accounts.CreateAsync("lock.me", "Colignon-2026!"));
        for (int i = 0; i < 3; i++)
        {
            await Send("User-Name=lock.me,User-Password=guess-number-x,Message-Authenticator=0x00", _auth, "auth");
        }

        var (_, stdout, _) = await Send("User-Name=lock.me,User-Password=Colignon-2026!,Message-Authenticator=0x00", _auth, "auth");

        Assert.Contains("Received Access-Reject", stdout, StringComparison.Ordinal);
        Assert.Contains("Reply-Message = \"Too many failed attempts: try again in 25 minutes.\"", stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// A first login leaves the receive thread's fast path for a worker with what was read there (user, station, the
    /// unhidden password): the worker goes on from it. Here the User-Password is taken out of the packet in between, so
    /// a worker that unhid it again would answer "No User-Password".
    /// </summary>
    [Fact]
    public async Task An_Access_Request_left_to_a_worker_is_not_read_again()
    {
        PortalRadiusHandler handler = _portal.Services.GetRequiredService<PortalRadiusHandler>();
        RadiusClient client = _portal.Services.GetRequiredService<RadiusClientTable>().Find(IPAddress.Loopback)!;
        var packet = new RadiusPacket(RadiusCode.AccessRequest, 1, RequestAuthenticator.CreateRandom(), []);
        packet.SetString(RadiusAttributes.UserName, "marie.dubois");
        UserPassword.Set(packet, "Flagey-2026-wifi"u8, client.Secret);
        var request = new RadiusRequest(RadiusCodec.Decode(PacketSigner.EncodeRequest(packet, client.Secret)), client, new IPEndPoint(IPAddress.Loopback, 40000), RadiusPort.Authentication);

        Assert.False(handler.TryHandleInline(request, out _)); // a first login: the password hash is a worker's
        Assert.NotNull(request.InlineState);
        request.Packet.RemoveAttributes(RadiusAttributes.UserPassword.Type);
        RadiusPacket? answer = await handler.HandleAsync(request, CancellationToken.None);

        Assert.Equal(RadiusCode.AccessAccept, answer?.Code);
    }

    [Fact]
    public async Task Chap_is_answered_with_a_reject_that_says_why()
    {
        var (_, stdout, _) = await Send("User-Name=marie.dubois,CHAP-Password=Flagey-2026-wifi,Message-Authenticator=0x00", _auth, "auth");

        Assert.Contains("Received Access-Reject", stdout, StringComparison.Ordinal);
        Assert.Contains("CHAP and MS-CHAP are not offered", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ms_chap_is_answered_with_the_same_reject()
    {
        var (_, stdout, _) = await Send("User-Name=marie.dubois,MS-CHAP-Challenge=0x00112233445566778899aabbccddeeff,Message-Authenticator=0x00", _auth, "auth");

        Assert.Contains("Received Access-Reject", stdout, StringComparison.Ordinal);
        Assert.Contains("CHAP and MS-CHAP are not offered", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounting_start_interim_retransmitted_stop_counts_once_and_shows_users_online()
    {
        const string Common = "User-Name=marie.dubois,Acct-Session-Id=5F0A-0001,NAS-Identifier=hs-flageyplein,NAS-IP-Address=127.0.0.1,Calling-Station-Id=02-11-22-33-44-55";
        await Send($"{Common},Acct-Status-Type=Start", _acct, "acct");
        await Send($"{Common},Acct-Status-Type=Interim-Update,Acct-Session-Time=300,Acct-Input-Octets=1000000,Acct-Output-Octets=5000000", _acct, "acct");
        // The same interim again: a gateway that did not see our answer.
        await Send($"{Common},Acct-Status-Type=Interim-Update,Acct-Session-Time=300,Acct-Input-Octets=1000000,Acct-Output-Octets=5000000", _acct, "acct");
        SessionStore sessions = _portal.Services.GetRequiredService<SessionStore>();

        HotspotOnline online = Assert.Single(await sessions.OnlineByHotspotAsync(), h => h.Hotspot == "hs-flageyplein");
        Assert.Equal(1, online.Users);

        var (code, stdout, stderr) = await Send($"{Common},Acct-Status-Type=Stop,Acct-Session-Time=600,Acct-Input-Octets=2000000,Acct-Output-Octets=1,Acct-Output-Gigawords=1,Acct-Terminate-Cause=User-Request", _acct, "acct");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Received Accounting-Response", stdout, StringComparison.Ordinal);
        SessionInfo? session = await sessions.FindAsync("5F0A-0001");
        Assert.NotNull(session);
        Assert.Equal(SessionState.Closed, session.State);
        Assert.Equal(2_000_000, session.InputBytes);
        Assert.Equal((1L << 32) + 1, session.OutputBytes);
        Assert.DoesNotContain(await sessions.OnlineByHotspotAsync(), h => h.Hotspot == "hs-flageyplein" && h.Users > 0);
    }

    [Fact]
    public async Task The_radius_meters_reach_the_portals_Prometheus_endpoint()
    {
        var (_, answer, _) = await Send("User-Name=jan.peeters,User-Password=Beursplein-42a,Message-Authenticator=0x00", _auth, "auth");
        Assert.Contains("Received Access-Accept", answer, StringComparison.Ordinal);
        using HttpClient http = _portal.CreateClient();

        string metrics = "";
        await Peers.WaitUntilAsync(async () =>
        {
            metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            return metrics.Contains("radius_requests_total", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "the RADIUS meters in /metrics");

        string radius = string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("radius", StringComparison.Ordinal)));
        Assert.True(radius.Contains("radius_requests_total{code=\"AccessAccept\",client=\"loopback-gateways\"}", StringComparison.Ordinal), radius);
        Assert.Contains("radius_authentications", metrics, StringComparison.Ordinal);

        // Each measurement adds to its own series (the same tag set reaches the same child; another code another child). The
        // registry is the process's, shared with the tests running beside this one: at least one more of each.
        const string Accepts = "radius_requests_total{code=\"AccessAccept\",client=\"loopback-gateways\"}";
        const string Rejects = "radius_requests_total{code=\"AccessReject\",client=\"loopback-gateways\"}";
        double acceptsBefore = Value(metrics, Accepts), rejectsBefore = Value(metrics, Rejects);
        Assert.Contains("Received Access-Accept", (await Send("User-Name=jan.peeters,User-Password=Beursplein-42a,Message-Authenticator=0x00", _auth, "auth")).Stdout, StringComparison.Ordinal);
        Assert.Contains("Received Access-Reject", (await Send("User-Name=jan.peeters,User-Password=wrong-password-1,Message-Authenticator=0x00", _auth, "auth")).Stdout, StringComparison.Ordinal);
        await Peers.WaitUntilAsync(async () =>
        {
            metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            return Value(metrics, Accepts) >= acceptsBefore + 1 && Value(metrics, Rejects) >= rejectsBefore + 1; // other tests of this process may count too
        }, TimeSpan.FromSeconds(15), "one more accept and one more reject in /metrics");
    }

    /// <summary>The value of the exposition line that starts with <paramref name="series"/>, or 0 when there is none.</summary>
    private static double Value(string metrics, string series) =>
        metrics.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
}
