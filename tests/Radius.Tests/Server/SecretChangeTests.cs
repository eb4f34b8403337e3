using System.Net;
using System.Text;
using Network.Radius.Crypto;
using Network.Radius.Packets;
using Network.Radius.Server;
using Network.Radius.Transport;
using Network.TestSupport;

namespace Network.Radius.Tests.Server;

/// <summary>
/// A gateway's secret changing without a lost login: while the client has a next secret, radclient with either secret
/// is answered, and the answer is signed with the secret the request was made with (radclient checks it).
/// </summary>
public sealed class SecretChangeTests : IAsyncLifetime
{
    private const string OldSecret = "old-secret-2026";
    private const string NewSecret = "new-secret-2027";
    private RadiusClientTable _clients = null!;
    private RadiusServer _server = null!;
    private string _auth = "";
    private string _acct = "";

    private sealed class Handler : IRadiusHandler
    {
        public bool TryHandleInline(RadiusRequest request, out ValueTask<RadiusPacket?> response)
        {
            response = default;
            return false;
        }

        public ValueTask<RadiusPacket?> HandleAsync(RadiusRequest request, CancellationToken cancellationToken)
        {
            RadiusPacket p = request.Packet;
            return ValueTask.FromResult<RadiusPacket?>(p.Code switch
            {
                RadiusCode.AccessRequest => new RadiusPacket(
                    UserPassword.TryGet(p, request.Secret, out byte[] password) && Encoding.UTF8.GetString(password) == "pw-alice"
                        ? RadiusCode.AccessAccept : RadiusCode.AccessReject, p.Identifier),
                RadiusCode.AccountingRequest => new RadiusPacket(RadiusCode.AccountingResponse, p.Identifier),
                _ => null,
            });
        }
    }

    public Task InitializeAsync()
    {
        _clients = new RadiusClientTable([new RadiusClient("gateway", "127.0.0.0/8", OldSecret, MessageAuthenticatorPolicy.True, NewSecret)]);
        _server = new RadiusServer(_clients, new Handler());
        _server.Start([(RadiusPort.Authentication, Loopback()), (RadiusPort.Accounting, Loopback())]);
        _auth = _server.EndPoints[0].EndPoint.ToString();
        _acct = _server.EndPoints[1].EndPoint.ToString();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static IRadiusTransport Loopback() => UdpRadiusTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), batchSystemCalls: true);

    private const string Login = "User-Name=alice,User-Password=pw-alice,Message-Authenticator=0x00";

    [Theory]
    [InlineData(OldSecret)]
    [InlineData(NewSecret)]
    public async Task A_login_with_either_secret_is_accepted_and_the_reply_is_signed_with_that_secret(string secret)
    {
        var (code, stdout, stderr) = await Radclient.SendAsync(Login, _auth, "auth", secret, "-x", "-t", "5", "-r", "1");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Received Access-Accept", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OldSecret)]
    [InlineData(NewSecret)]
    public async Task Accounting_with_either_secret_is_answered(string secret)
    {
        var (code, stdout, stderr) = await Radclient.SendAsync(
            "Acct-Status-Type=Start,Acct-Session-Id=s1,User-Name=alice", _acct, "acct", secret, "-x", "-t", "5", "-r", "1");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Received Accounting-Response", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_third_secret_is_not_answered()
    {
        var (_, stdout, _) = await Radclient.SendAsync(Login, _auth, "auth", "neither-of-them", "-x", "-t", "1", "-r", "1");

        Assert.DoesNotContain("Received", stdout, StringComparison.Ordinal);
        Assert.Equal(1, _server.Dropped[DropReasons.BadMessageAuthenticator]);
    }

    [Fact]
    public async Task Once_the_new_secret_is_the_only_one_the_old_one_is_not_answered()
    {
        _clients.Replace([new RadiusClient("gateway", "127.0.0.0/8", NewSecret, MessageAuthenticatorPolicy.True)]);

        var (_, old, _) = await Radclient.SendAsync(Login, _auth, "auth", OldSecret, "-x", "-t", "1", "-r", "1");
        var (code, fresh, stderr) = await Radclient.SendAsync(Login, _auth, "auth", NewSecret, "-x", "-t", "5", "-r", "1");

        Assert.DoesNotContain("Received", old, StringComparison.Ordinal);
        Assert.True(code == 0, fresh + stderr);
        Assert.Contains("Received Access-Accept", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_a_client_last_proved_is_the_one_to_send_it_a_disconnect_with_and_survives_a_reload()
    {
        RadiusClient before = _clients.Clients[0];
        Assert.Equal(Encoding.UTF8.GetBytes(OldSecret), before.SecretInUse);

        var (code, stdout, stderr) = await Radclient.SendAsync(Login, _auth, "auth", NewSecret, "-x", "-t", "5", "-r", "1");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(Encoding.UTF8.GetBytes(NewSecret), before.SecretInUse);
        Assert.True(before.HasSentMessageAuthenticator);

        // The same client again from a reloaded configuration: what was learned of it carries over.
        _clients.Replace([new RadiusClient("gateway", "127.0.0.0/8", OldSecret, MessageAuthenticatorPolicy.Auto, NewSecret)]);
        RadiusClient after = _clients.Clients[0];
        Assert.NotSame(before, after);
        Assert.Equal(Encoding.UTF8.GetBytes(NewSecret), after.SecretInUse);
        Assert.True(after.MustSendMessageAuthenticator);
    }
}
