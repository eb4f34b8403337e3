using System.Net;
using System.Net.Sockets;
using System.Text;
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

namespace Network.CaptivePortal.Tests.Sessions;

/// <summary>
/// The session policy end to end: the whole portal, FreeRADIUS's radclient as the gateway sending logins and accounting,
/// and a small NAS built on our own RADIUS library taking the Disconnect-Request when a quota runs out.
/// </summary>
public sealed class SessionPolicyTests : IAsyncLifetime
{
    private const string Secret = "gateway-secret-7";
    private const string Password = "Sint-Gorik-2026";
    private readonly Socket _nas = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private ServiceFactory<Program> _portal = null!;
    private string _auth = "";
    private string _acct = "";

    public async Task InitializeAsync()
    {
        _nas.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _portal = new ServiceFactory<Program>()
            .With("Radius:BindAddress", "127.0.0.1")
            .With("Radius:AuthPort", "0")
            .With("Radius:AcctPort", "0")
            .With("Radius:DynamicAuthorizationPort", ((IPEndPoint)_nas.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Radius:Clients:0:Name", "loopback-gateways")
            .With("Radius:Clients:0:Address", "127.0.0.0/8")
            .With("Radius:Clients:0:Secret", Secret)
            .With("Sessions:Policy:TimeQuota", "01:00:00")
            .With("Sessions:Policy:DataQuotaMegabytes", "100")
            .With("Sessions:Policy:MaxSessions", "1");
        _ = _portal.Server;
        RadiusHost host = _portal.Services.GetRequiredService<RadiusHost>();
        _auth = host.EndPoints.Single(e => e.Port == RadiusPort.Authentication).EndPoint.ToString();
        _acct = host.EndPoints.Single(e => e.Port == RadiusPort.Accounting).EndPoint.ToString();
        AccountService accounts = _portal.Services.GetRequiredService<AccountService>();
        Assert.Equal(AccountChangeResult.Done, await accounts.CreateAsync("lotte", Password));
        Assert.Equal(AccountChangeResult.Done, await accounts.CreateAsync("bram", Password));
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        _nas.Dispose();
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Login(string user, string device) =>
        Radclient.SendAsync($"User-Name={user},User-Password={Password},Message-Authenticator=0x00,Calling-Station-Id={device}", _auth, "auth", Secret, "-x", "-t", "3", "-r", "1");

    private async Task Account(string user, string session, string device, string status, long seconds = 0, long octets = 0)
    {
        var (code, stdout, stderr) = await Radclient.SendAsync(
            $"User-Name={user},Acct-Session-Id={session},Acct-Status-Type={status},NAS-IP-Address=127.0.0.1,NAS-Identifier=hs-sint-goriks,"
            + $"Calling-Station-Id={device},Acct-Session-Time={seconds},Acct-Input-Octets={octets % (1L << 32)},Acct-Input-Gigawords={octets >> 32}",
            _acct, "acct", Secret, "-x", "-t", "3", "-r", "1");
        Assert.True(code == 0 && stdout.Contains("Accounting-Response", StringComparison.Ordinal), stdout + stderr);
    }

    [Fact]
    public async Task The_accept_grants_the_time_and_data_left_and_a_second_device_is_refused()
    {
        var (_, first, _) = await Login("lotte", "02-AA-00-00-00-01");
        string reply = first[first.IndexOf("Received", StringComparison.Ordinal)..];
        Assert.Contains("Access-Accept", reply, StringComparison.Ordinal);
        Assert.Contains("Session-Timeout = 3600", reply, StringComparison.Ordinal); // min(4 h policy, 1 h quota)
        Assert.Contains("ChilliSpot-Max-Total-Octets = 100000000", reply, StringComparison.Ordinal);

        await Account("lotte", "lotte-1", "02-AA-00-00-00-01", "Start");
        await Account("lotte", "lotte-1", "02-AA-00-00-00-01", "Interim-Update", seconds: 600, octets: 40_000_000);

        var (_, second, _) = await Login("lotte", "02-AA-00-00-00-02");
        Assert.Contains("Received Access-Reject", second, StringComparison.Ordinal);
        Assert.Contains("already online on 1 devices", second, StringComparison.Ordinal);

        // The same device logging in again is not a second device; it gets what is left across the user's sessions.
        var (_, again, _) = await Login("lotte", "02-AA-00-00-00-01");
        Assert.Contains("Received Access-Accept", again, StringComparison.Ordinal);
        // 3,600 s less the 600 reported and the moments since the interim update.
        Assert.InRange(int.Parse(System.Text.RegularExpressions.Regex.Match(again, @"Session-Timeout = (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 2990, 3000);
        Assert.Contains("ChilliSpot-Max-Total-Octets = 60000000", again, StringComparison.Ordinal);

        UserAllowance left = await _portal.Services.GetRequiredService<SessionPolicy>().GetAllowanceAsync("LOTTE");
        Assert.Equal(60_000_000, left.BytesLeft);
        Assert.Equal(1, left.OpenSessions);
        Assert.Equal(1, left.MaxSessions);
        Assert.InRange(left.TimeLeft!.Value, TimeSpan.FromMinutes(49), TimeSpan.FromMinutes(50));
    }

    [Fact]
    public async Task Crossing_the_data_quota_sends_a_Disconnect_Request_to_the_NAS_and_later_logins_are_refused()
    {
        Task<(string? Session, string? User, bool Authentic)> nas = ReceiveOneDisconnectAsync();
        await Account("bram", "bram-1", "02-BB-00-00-00-01", "Start");
        await Account("bram", "bram-1", "02-BB-00-00-00-01", "Interim-Update", seconds: 300, octets: 99_000_000);
        Assert.False(nas.IsCompleted);

        await Account("bram", "bram-1", "02-BB-00-00-00-01", "Interim-Update", seconds: 600, octets: 100_000_001);

        (string? session, string? user, bool authentic) = await nas.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(authentic);
        Assert.Equal("bram-1", session);
        Assert.Equal("bram", user);
        await Account("bram", "bram-1", "02-BB-00-00-00-01", "Stop", seconds: 610, octets: 100_000_001);
        var (_, stdout, _) = await Login("bram", "02-BB-00-00-00-01");
        Assert.Contains("Received Access-Reject", stdout, StringComparison.Ordinal);
        Assert.Contains("Your data for this period is used up", stdout, StringComparison.Ordinal);
        Assert.True((await _portal.Services.GetRequiredService<SessionPolicy>().GetAllowanceAsync("bram")).Exhausted);
    }

    // The gateway's side of RFC 5176: check the request with the shared secret, answer Disconnect-ACK.
    private async Task<(string? Session, string? User, bool Authentic)> ReceiveOneDisconnectAsync()
    {
        byte[] secret = Encoding.UTF8.GetBytes(Secret);
        byte[] buffer = new byte[4096];
        SocketReceiveFromResult received = await _nas.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
        byte[] raw = buffer[..received.ReceivedBytes];
        RadiusPacket request = RadiusCodec.Decode(raw);
        bool authentic = request.Code == RadiusCode.DisconnectRequest && RequestAuthenticator.Verify(raw, secret);
        var ack = new RadiusPacket(authentic ? RadiusCode.DisconnectAck : RadiusCode.DisconnectNak, request.Identifier);
        await _nas.SendToAsync(PacketSigner.EncodeResponse(ack, request.Authenticator.Span, secret, addMessageAuthenticator: false), SocketFlags.None, received.RemoteEndPoint);
        return (request.GetString(RadiusAttributes.AcctSessionId), request.GetString(RadiusAttributes.UserName), authentic);
    }
}
