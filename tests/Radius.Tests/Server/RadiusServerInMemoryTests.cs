using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;
using Network.Radius.Transport;

namespace Network.Radius.Tests.Server;

/// <summary>
/// The server's rules through <see cref="InMemoryRadiusTransport"/> on a fake clock: BlastRADIUS, RFC 5080 duplicates,
/// the full queue and malformed datagrams, each discard counted with its reason. The same rules against radclient over
/// UDP are in <see cref="RadiusServerTests"/>.
/// </summary>
public sealed class RadiusServerInMemoryTests : IAsyncLifetime
{
    private const string Secret = "testing123";
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes(Secret);
    private static readonly IPEndPoint s_gateway = new(IPAddress.Parse("192.0.2.10"), 40000);

    private readonly FakeTimeProvider _time = new();
    private readonly CountingHandler _handler = new();
    private readonly InMemoryRadiusTransport _auth = new(new IPEndPoint(IPAddress.Loopback, 1812));
    private readonly InMemoryRadiusTransport _acct = new(new IPEndPoint(IPAddress.Loopback, 1813));
    private readonly List<string> _log = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private RadiusServer? _server;

    /// <summary>Accepts every Access-Request and answers every accounting record; inline unless <see cref="Gate"/> is set.</summary>
    private sealed class CountingHandler : IRadiusHandler
    {
        public int Calls;

        /// <summary>When set, requests go to a worker, which waits for it; <see cref="Started"/> says one is waiting.</summary>
        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryHandleInline(RadiusRequest request, out ValueTask<RadiusPacket?> response)
        {
            if (Gate is not null)
            {
                response = default;
                return false;
            }

            response = HandleAsync(request, CancellationToken.None);
            return true;
        }

        public async ValueTask<RadiusPacket?> HandleAsync(RadiusRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            if (Gate is { } gate)
            {
                Started.TrySetResult();
                await gate.Task.WaitAsync(cancellationToken);
            }

            RadiusPacket p = request.Packet;
            return p.Code switch
            {
                RadiusCode.AccessRequest => new RadiusPacket(RadiusCode.AccessAccept, p.Identifier),
                RadiusCode.AccountingRequest => new RadiusPacket(RadiusCode.AccountingResponse, p.Identifier),
                _ => new RadiusPacket(request.Port == RadiusPort.Authentication ? RadiusCode.AccessAccept : RadiusCode.AccountingResponse, p.Identifier),
            };
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _handler.Gate?.TrySetResult();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _timeout.Dispose();
    }

    private RadiusServer Start(MessageAuthenticatorPolicy policy = MessageAuthenticatorPolicy.True, RadiusServerOptions? options = null)
    {
        var clients = new RadiusClientTable([new RadiusClient("gateways", "192.0.2.0/24", Secret, policy)]);
        _server = new RadiusServer(clients, _handler, options, _time, _log.Add);
        _server.Start([(RadiusPort.Authentication, _auth), (RadiusPort.Accounting, _acct)]);
        return _server;
    }

    private static byte[] AccessRequest(byte identifier = 1, bool messageAuthenticator = true, int proxyStates = 0)
    {
        var request = new RadiusPacket(RadiusCode.AccessRequest, identifier, RequestAuthenticator.CreateRandom(), []);
        request.SetString(RadiusAttributes.UserName, "user0001");
        UserPassword.Set(request, "pw-0001-secret"u8, s_secret);
        for (int i = 0; i < proxyStates; i++)
        {
            request.Attributes.Add(new RadiusAttribute(RadiusAttributes.ProxyState.Type, [(byte)i]));
        }

        return PacketSigner.EncodeRequest(request, s_secret, messageAuthenticator);
    }

    private static byte[] AccountingRequest(string session, byte identifier = 1)
    {
        var request = new RadiusPacket(RadiusCode.AccountingRequest, identifier);
        request.SetInteger(RadiusAttributes.AcctStatusType, 1);
        request.SetString(RadiusAttributes.AcctSessionId, session);
        return PacketSigner.EncodeRequest(request, s_secret, addMessageAuthenticator: false);
    }

    /// <summary>Delivers a datagram and says whether the receive thread answered it (the handler answers there unless gated).</summary>
    private static async Task<byte[]?> SendAsync(InMemoryRadiusTransport transport, byte[] datagram, IPEndPoint? from = null)
    {
        await transport.DeliverAsync(datagram, from ?? s_gateway);
        return transport.Sent.TryRead(out (byte[] Datagram, IPEndPoint To) reply) ? reply.Datagram : null;
    }

    private long Dropped(string reason) => _server!.Dropped.GetValueOrDefault(reason);

    [Fact]
    public async Task Message_Authenticator_true_discards_an_Access_Request_without_one_and_answers_one_with_it()
    {
        Start(MessageAuthenticatorPolicy.True);

        Assert.Null(await SendAsync(_auth, AccessRequest(1, messageAuthenticator: false)));
        byte[]? reply = await SendAsync(_auth, AccessRequest(2));

        Assert.Equal(1, Dropped(DropReasons.MissingMessageAuthenticator));
        Assert.NotNull(reply);
        Assert.Equal((byte)RadiusCode.AccessAccept, reply[0]);
        Assert.Equal(MessageAuthenticator.AttributeType, RadiusCodec.Decode(reply).Attributes[0].Type);
    }

    [Fact]
    public async Task Message_Authenticator_auto_requires_it_once_the_client_has_sent_one()
    {
        Start(MessageAuthenticatorPolicy.Auto);

        Assert.NotNull(await SendAsync(_auth, AccessRequest(1, messageAuthenticator: false)));
        Assert.NotNull(await SendAsync(_auth, AccessRequest(2)));
        Assert.Null(await SendAsync(_auth, AccessRequest(3, messageAuthenticator: false)));

        Assert.Equal(1, Dropped(DropReasons.MissingMessageAuthenticator));
    }

    [Fact]
    public async Task Message_Authenticator_false_answers_without_one_but_never_a_Proxy_State_without_one()
    {
        Start(MessageAuthenticatorPolicy.False);

        Assert.NotNull(await SendAsync(_auth, AccessRequest(1, messageAuthenticator: false)));
        Assert.Null(await SendAsync(_auth, AccessRequest(2, messageAuthenticator: false, proxyStates: 1)));

        Assert.Equal(1, Dropped(DropReasons.ProxyStateWithoutMessageAuthenticator));
        Assert.Equal(1, _handler.Calls);
    }

    [Fact]
    public async Task Status_Server_without_Message_Authenticator_is_discarded_whatever_the_policy()
    {
        Start(MessageAuthenticatorPolicy.False);
        byte[] status = PacketSigner.EncodeRequest(new RadiusPacket(RadiusCode.StatusServer, 7, RequestAuthenticator.CreateRandom(), []), s_secret);
        byte[] bare = status[..RadiusPacket.HeaderLength]; // the same header without its Message-Authenticator
        bare[2] = 0;
        bare[3] = RadiusPacket.HeaderLength;

        Assert.NotNull(await SendAsync(_acct, status));
        Assert.Null(await SendAsync(_acct, bare));
        Assert.Equal(1, Dropped(DropReasons.MissingMessageAuthenticator));
    }

    [Fact]
    public async Task Four_Proxy_States_are_answered_and_five_are_discarded()
    {
        Start();

        byte[]? four = await SendAsync(_auth, AccessRequest(1, proxyStates: 4));
        Assert.Null(await SendAsync(_auth, AccessRequest(2, proxyStates: 5)));

        Assert.NotNull(four);
        Assert.Equal(4, RadiusCodec.Decode(four).CountAttributes(RadiusAttributes.ProxyState.Type));
        Assert.Equal(1, Dropped(DropReasons.TooManyProxyStates));
    }

    [Fact]
    public async Task A_retransmission_gets_the_cached_reply_until_the_duplicate_lifetime_has_passed()
    {
        Start(options: new RadiusServerOptions { DuplicateLifetime = TimeSpan.FromSeconds(30) });
        byte[] request = AccessRequest(5);

        byte[]? first = await SendAsync(_auth, request);
        _time.Advance(TimeSpan.FromSeconds(29));
        byte[]? again = await SendAsync(_auth, request);

        Assert.NotNull(first);
        Assert.Equal(first, again);
        Assert.Equal(1, _handler.Calls);
        Assert.Equal(1, Dropped(DropReasons.DuplicateResent));

        // RFC 5080 section 2.2.2: past the lifetime the same octets are a new request (the NAS reused its identifier).
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await SendAsync(_auth, request));
        Assert.Equal(2, _handler.Calls);
    }

    [Fact]
    public async Task An_accounting_record_sent_again_is_answered_again_and_counted_once()
    {
        Start();
        byte[] record = AccountingRequest("sess-1");

        byte[]? first = await SendAsync(_acct, record);
        byte[]? again = await SendAsync(_acct, record);
        byte[]? other = await SendAsync(_acct, AccountingRequest("sess-2", 2));

        Assert.NotNull(first);
        Assert.Equal(first, again);
        Assert.NotNull(other);
        Assert.Equal(2, _handler.Calls);
    }

    [Fact]
    public async Task A_retransmission_while_a_worker_has_the_first_is_discarded_and_the_first_answered_once()
    {
        _handler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Start();
        byte[] request = AccessRequest(9);

        Assert.Null(await SendAsync(_auth, request));
        await _handler.Started.Task.WaitAsync(_timeout.Token);
        Assert.Null(await SendAsync(_auth, request));
        _handler.Gate.SetResult();
        (byte[] reply, IPEndPoint to) = await _auth.Sent.ReadAsync(_timeout.Token);

        Assert.Equal((byte)RadiusCode.AccessAccept, reply[0]);
        Assert.Equal(s_gateway, to);
        Assert.Equal(1, _handler.Calls);
        Assert.Equal(1, Dropped(DropReasons.DuplicateInProgress));
    }

    [Fact]
    public async Task A_full_queue_drops_the_request_and_its_retransmission_is_evaluated_later()
    {
        _handler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(options: new RadiusServerOptions { Workers = 1, QueueCapacity = 1 });
        byte[] dropped = AccessRequest(3);

        await SendAsync(_auth, AccessRequest(1)); // the worker takes it and waits at the gate
        await _handler.Started.Task.WaitAsync(_timeout.Token);
        await SendAsync(_auth, AccessRequest(2)); // fills the queue
        await SendAsync(_auth, dropped);

        Assert.Equal(1, Dropped(DropReasons.QueueFull));
        _handler.Gate.SetResult();
        for (int i = 0; i < 2; i++)
        {
            await _auth.Sent.ReadAsync(_timeout.Token);
        }

        // Not cached as in progress: the gateway's retransmission is a new request.
        await _auth.DeliverAsync(dropped, s_gateway);
        (byte[] reply, _) = await _auth.Sent.ReadAsync(_timeout.Token);
        Assert.Equal(3, reply[1]);
        Assert.Equal(3, _handler.Calls);
        Assert.Equal(0, Dropped(DropReasons.DuplicateInProgress));
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "shorter than a header", [1, 1, 0, 20, 0, 0] },
        { "Length beyond the datagram", [1, 1, 0, 200, .. new byte[16]] },
        { "Length below a header", [1, 1, 0, 10, .. new byte[16]] },
        { "an attribute of length 1", [1, 1, 0, 22, .. new byte[16], 1, 1] },
        { "an attribute past the end", [1, 1, 0, 24, .. new byte[16], 1, 9, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_datagram_is_discarded_and_counted(string what, byte[] datagram)
    {
        Start();

        Assert.Null(await SendAsync(_auth, datagram));

        Assert.True(Dropped(DropReasons.Malformed) == 1, what);
        Assert.NotNull(await SendAsync(_auth, AccessRequest(2)));
    }

    [Fact]
    public async Task Each_other_discard_is_counted_with_its_reason()
    {
        Start();
        byte[] wrongSecret = AccessRequest(1);
        wrongSecret[^1] ^= 0xff; // an octet the Message-Authenticator covers
        byte[] forgedRecord = AccountingRequest("sess-3");
        forgedRecord[4] ^= 0xff; // the Request Authenticator

        Assert.Null(await SendAsync(_auth, wrongSecret));
        Assert.Null(await SendAsync(_acct, forgedRecord));
        Assert.Null(await SendAsync(_auth, AccountingRequest("sess-4"))); // accounting on the authentication port
        Assert.Null(await SendAsync(_acct, AccessRequest(2)));

        Assert.Equal(1, Dropped(DropReasons.BadMessageAuthenticator));
        Assert.Equal(1, Dropped(DropReasons.BadAuthenticator));
        Assert.Equal(2, Dropped(DropReasons.UnexpectedCode));
        Assert.Equal(0, _handler.Calls);
    }

    [Fact]
    public async Task Unknown_clients_are_counted_each_time_and_logged_once_a_minute()
    {
        Start();
        var stranger = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 1645);

        for (int i = 0; i < 3; i++)
        {
            Assert.Null(await SendAsync(_auth, AccessRequest((byte)i), stranger));
        }

        Assert.Single(_log);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await SendAsync(_auth, AccessRequest(4), stranger));

        Assert.Equal(4, Dropped(DropReasons.UnknownClient));
        Assert.Equal(2, _log.Count);
        Assert.All(_log, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }
}
