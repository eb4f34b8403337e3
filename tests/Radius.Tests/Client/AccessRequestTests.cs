using System.Net;
using System.Net.Sockets;
using System.Text;
using Network.Radius.Client;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Client;

/// <summary>
/// What <see cref="RadiusRequester.AccessRequestAsync"/> puts on the wire and which replies it believes, with a UDP
/// socket on loopback as a scripted server that checks the request with the codec's own verifiers.
/// </summary>
public sealed class AccessRequestTests
{
    private static readonly byte[] s_secret = "xyzzy5461"u8.ToArray();
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task The_User_Password_is_hidden_with_the_Request_Authenticator_the_packet_carries_and_Message_Authenticator_comes_first()
    {
        byte[]? seen = null;
        await using var server = new ScriptedServer(request =>
        {
            seen = request;
            return [Accept(request)];
        });
        await using var requester = new RadiusRequester();

        AccessResult result = await requester.AccessRequestAsync(server.EndPoint, s_secret,
            [new(RadiusAttributes.UserName.Type, "marie"u8), new(UserPassword.AttributeType, "ignored"u8), new(MessageAuthenticator.AttributeType, new byte[16])],
            "correct horse 7"u8.ToArray(), s_timeout, 0);

        Assert.True(result.Accepted);
        RadiusPacket request = RadiusCodec.Decode(seen!);
        Assert.Equal(RadiusCode.AccessRequest, request.Code);
        Assert.Equal(MessageAuthenticator.AttributeType, request.Attributes[0].Type);
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(seen, s_secret));
        Assert.Equal(1, request.CountAttributes(UserPassword.AttributeType));
        Assert.Equal(1, request.CountAttributes(MessageAuthenticator.AttributeType));
        Assert.True(UserPassword.TryGet(request, s_secret, out byte[] password));
        Assert.Equal("correct horse 7", Encoding.UTF8.GetString(password));
        Assert.Equal("marie", request.GetString(RadiusAttributes.UserName));
    }

    [Fact]
    public async Task Two_requests_draw_different_Request_Authenticators()
    {
        var seen = new List<byte[]>();
        await using var server = new ScriptedServer(request =>
        {
            seen.Add(request);
            return [Accept(request)];
        });
        await using var requester = new RadiusRequester();

        await requester.AccessRequestAsync(server.EndPoint, s_secret, [], "pw"u8.ToArray(), s_timeout, 0);
        await requester.AccessRequestAsync(server.EndPoint, s_secret, [], "pw"u8.ToArray(), s_timeout, 0);

        Assert.Equal(2, seen.Count);
        Assert.False(seen[0].AsSpan(4, 16).SequenceEqual(seen[1].AsSpan(4, 16)));
    }

    [Fact]
    public async Task A_retry_sends_the_same_packet_again()
    {
        var seen = new List<byte[]>();
        await using var server = new ScriptedServer(request =>
        {
            seen.Add(request);
            return seen.Count == 1 ? [] : [Accept(request)];
        });
        await using var requester = new RadiusRequester();

        AccessResult result = await requester.AccessRequestAsync(server.EndPoint, s_secret, [], "pw"u8.ToArray(), TimeSpan.FromMilliseconds(300), 2);

        Assert.True(result.Accepted);
        Assert.Equal(2, seen.Count);
        Assert.Equal(seen[0], seen[1]);
    }

    public static TheoryData<string, Func<byte[], byte[]>> Forgeries => new()
    {
        { "Response Authenticator under another secret", request => Sign(Reply(request, RadiusCode.AccessAccept), request, "wrong"u8.ToArray(), true) },
        { "no Message-Authenticator", request => Sign(Reply(request, RadiusCode.AccessAccept), request, s_secret, false) },
        { "a reply of the wrong kind (Accounting-Response)", request => Sign(Reply(request, RadiusCode.AccountingResponse), request, s_secret, true) },
        { "another Identifier", request => Sign(new RadiusPacket(RadiusCode.AccessAccept, (byte)(request[1] + 1)), request, s_secret, true) },
        { "a Message-Authenticator that does not match", request =>
            {
                byte[] reply = Sign(Reply(request, RadiusCode.AccessAccept), request, s_secret, true);
                reply[RadiusPacket.HeaderLength + 2] ^= 1;
                ResponseAuthenticator.Sign(reply, request.AsSpan(4, 16), s_secret);
                return reply;
            }
        },
        { "a truncated datagram", request => Sign(Reply(request, RadiusCode.AccessAccept), request, s_secret, true)[..19] },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_unsigned_Accept_is_ignored_and_the_real_Reject_behind_it_is_the_answer(string forgery, Func<byte[], byte[]> forge)
    {
        await using var server = new ScriptedServer(request => [forge(request), Sign(Reply(request, RadiusCode.AccessReject), request, s_secret, true)]);
        await using var requester = new RadiusRequester();

        AccessResult result = await requester.AccessRequestAsync(server.EndPoint, s_secret, [], "pw"u8.ToArray(), s_timeout, 0);

        Assert.True(result.Response.Code == RadiusCode.AccessReject, forgery);
        Assert.False(result.Accepted);
    }

    [Fact]
    public async Task Only_forgeries_end_in_a_timeout()
    {
        await using var server = new ScriptedServer(request => [Sign(Reply(request, RadiusCode.AccessAccept), request, "wrong"u8.ToArray(), true)]);
        await using var requester = new RadiusRequester();

        await Assert.ThrowsAsync<RadiusTimeoutException>(() =>
            requester.AccessRequestAsync(server.EndPoint, s_secret, [], "pw"u8.ToArray(), TimeSpan.FromMilliseconds(200), 1));
        Assert.Equal(2, server.Received);
    }

    [Fact]
    public async Task An_unsigned_reply_is_taken_when_the_caller_allows_it()
    {
        await using var server = new ScriptedServer(request =>
        {
            RadiusPacket reply = Reply(request, RadiusCode.AccessAccept);
            reply.SetString(RadiusAttributes.ReplyMessage, "Welcome");
            reply.AddString(RadiusAttributes.ReplyMessage, "Enjoy");
            return [Sign(reply, request, s_secret, false)];
        });
        await using var requester = new RadiusRequester();

        AccessResult result = await requester.AccessRequestAsync(server.EndPoint, s_secret, [], "pw"u8.ToArray(), s_timeout, 0, requireMessageAuthenticator: false);

        Assert.True(result.Accepted);
        Assert.Equal("Welcome\nEnjoy", result.ReplyMessage);
    }

    [Fact]
    public async Task A_password_over_128_octets_is_refused_before_anything_is_sent()
    {
        await using var requester = new RadiusRequester();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            requester.AccessRequestAsync(new IPEndPoint(IPAddress.Loopback, 9), s_secret, [], new byte[129], s_timeout, 0));
    }

    [Fact]
    public async Task SendAsync_refuses_an_Access_Request_with_a_User_Password_it_would_spoil()
    {
        await using var requester = new RadiusRequester();
        var request = new RadiusPacket(RadiusCode.AccessRequest, 0, RequestAuthenticator.CreateRandom(), []);
        UserPassword.Set(request, "pw"u8, s_secret);

        await Assert.ThrowsAsync<ArgumentException>(() => requester.SendAsync(new IPEndPoint(IPAddress.Loopback, 9), s_secret, request, s_timeout, 0));
    }

    [Theory]
    [InlineData(RadiusCode.AccessRequest, RadiusCode.AccessAccept, true)]
    [InlineData(RadiusCode.AccessRequest, RadiusCode.AccessReject, true)]
    [InlineData(RadiusCode.AccessRequest, RadiusCode.AccessChallenge, true)]
    [InlineData(RadiusCode.AccessRequest, RadiusCode.AccountingResponse, false)]
    [InlineData(RadiusCode.AccessRequest, RadiusCode.AccessRequest, false)]
    [InlineData(RadiusCode.AccountingRequest, RadiusCode.AccountingResponse, true)]
    [InlineData(RadiusCode.AccountingRequest, RadiusCode.AccessAccept, false)]
    [InlineData(RadiusCode.DisconnectRequest, RadiusCode.DisconnectNak, true)]
    [InlineData(RadiusCode.DisconnectRequest, RadiusCode.CoaAck, false)]
    [InlineData(RadiusCode.CoaRequest, RadiusCode.CoaAck, true)]
    [InlineData(RadiusCode.CoaRequest, RadiusCode.DisconnectAck, false)]
    [InlineData(RadiusCode.StatusServer, RadiusCode.AccessAccept, true)]
    [InlineData(RadiusCode.StatusServer, RadiusCode.AccountingResponse, true)]
    [InlineData(RadiusCode.StatusServer, RadiusCode.AccessReject, false)]
    public void A_reply_counts_only_when_its_code_answers_the_request(RadiusCode request, RadiusCode reply, bool answers) =>
        Assert.Equal(answers, RadiusRequester.IsReplyTo(request, reply));

    private static RadiusPacket Reply(byte[] request, RadiusCode code) => new(code, request[1]);

    private static byte[] Accept(byte[] request) => Sign(Reply(request, RadiusCode.AccessAccept), request, s_secret, true);

    private static byte[] Sign(RadiusPacket reply, byte[] request, byte[] secret, bool messageAuthenticator) =>
        PacketSigner.EncodeResponse(reply, request.AsSpan(4, 16), secret, messageAuthenticator);

    /// <summary>A UDP socket on loopback that answers each datagram with what the script returns, in order.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _received;

        public ScriptedServer(Func<byte[], IReadOnlyList<byte[]>> script)
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _loop = Task.Run(async () =>
            {
                byte[] buffer = new byte[4096];
                while (!_stop.IsCancellationRequested)
                {
                    SocketReceiveFromResult received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    Interlocked.Increment(ref _received);
                    foreach (byte[] reply in script(buffer[..received.ReceivedBytes]))
                    {
                        await _socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint);
                    }
                }
            });
        }

        public IPEndPoint EndPoint { get; }

        public int Received => Volatile.Read(ref _received);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
