using System.Text;
using Network.Radius.Client;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Client;

/// <summary>
/// <see cref="RadiusRequester.AccessRequestAsync"/> against FreeRADIUS 3.2, a server we did not write: it unhides our
/// User-Password with our Request Authenticator, checks our Message-Authenticator (the client must send one) and answers;
/// we verify its Response Authenticator and Message-Authenticator.
/// </summary>
public sealed class FreeRadiusAccessRequestTests(FreeRadiusServer server) : IClassFixture<FreeRadiusServer>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task The_right_password_gets_Access_Accept_with_the_users_reply_items()
    {
        await using var requester = new RadiusRequester();

        AccessResult result = await requester.AccessRequestAsync(server.EndPoint, Encoding.UTF8.GetBytes(FreeRadiusServer.Secret),
            Attributes("marie"), Encoding.UTF8.GetBytes(FreeRadiusServer.MariePassword), s_timeout, 2);

        Assert.True(result.Accepted, server.Log);
        Assert.Equal(RadiusCode.AccessAccept, result.Response.Code);
        Assert.Equal("Welkom marie", result.ReplyMessage);
        Assert.True(result.Response.TryGetInteger(RadiusAttributes.SessionTimeout, out uint timeout));
        Assert.Equal(3600u, timeout);
    }

    [Fact]
    public async Task A_wrong_password_gets_Access_Reject()
    {
        await using var requester = new RadiusRequester();

        AccessResult result = await requester.AccessRequestAsync(server.EndPoint, Encoding.UTF8.GetBytes(FreeRadiusServer.Secret),
            Attributes("marie"), Encoding.UTF8.GetBytes("correct horse 8"), s_timeout, 2);

        Assert.False(result.Accepted);
        Assert.Equal(RadiusCode.AccessReject, result.Response.Code);
    }

    [Fact]
    public async Task A_password_of_two_blocks_in_UTF_8_is_hidden_block_by_block()
    {
        await using var requester = new RadiusRequester();
        byte[] password = Encoding.UTF8.GetBytes(FreeRadiusServer.PaulPassword + " and some more to pass 16");
        Assert.True(password.Length > 32);

        AccessResult wrong = await requester.AccessRequestAsync(server.EndPoint, Encoding.UTF8.GetBytes(FreeRadiusServer.Secret),
            Attributes("paul"), password, s_timeout, 2, requireMessageAuthenticator: false);
        AccessResult right = await requester.AccessRequestAsync(server.EndPoint, Encoding.UTF8.GetBytes(FreeRadiusServer.Secret),
            Attributes("paul"), Encoding.UTF8.GetBytes(FreeRadiusServer.PaulPassword), s_timeout, 2, requireMessageAuthenticator: false);

        Assert.Equal(RadiusCode.AccessReject, wrong.Response.Code);
        Assert.True(right.Accepted, server.Log);
        Assert.Equal("Welcome paul", right.ReplyMessage);
    }

    [Fact]
    public async Task An_unsigned_reply_from_a_server_without_the_BlastRADIUS_fix_is_ignored_unless_the_caller_allows_it()
    {
        await using var requester = new RadiusRequester();

        await Assert.ThrowsAsync<RadiusTimeoutException>(() => requester.AccessRequestAsync(server.EndPoint,
            Encoding.UTF8.GetBytes(FreeRadiusServer.Secret), Attributes("paul"), Encoding.UTF8.GetBytes(FreeRadiusServer.PaulPassword),
            TimeSpan.FromMilliseconds(500), 1));
        AccessResult allowed = await requester.AccessRequestAsync(server.EndPoint, Encoding.UTF8.GetBytes(FreeRadiusServer.Secret),
            Attributes("paul"), Encoding.UTF8.GetBytes(FreeRadiusServer.PaulPassword), s_timeout, 2, requireMessageAuthenticator: false);

        Assert.True(allowed.Accepted, server.Log);
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_gets_no_answer()
    {
        await using var requester = new RadiusRequester();

        await Assert.ThrowsAsync<RadiusTimeoutException>(() => requester.AccessRequestAsync(server.EndPoint, "not-the-secret"u8.ToArray(),
            Attributes("marie"), Encoding.UTF8.GetBytes(FreeRadiusServer.MariePassword), TimeSpan.FromMilliseconds(500), 1));
    }

    private static RadiusAttribute[] Attributes(string user) =>
    [
        new(RadiusAttributes.UserName.Type, Encoding.UTF8.GetBytes(user)),
        new(RadiusAttributes.NasIdentifier.Type, "hs-flageyplein"u8),
        new(RadiusAttributes.CallingStationId.Type, "00-16-3E-12-34-56"u8),
    ];
}
