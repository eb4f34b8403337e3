using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Network.Radius.Client;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;
using Network.Radius.Transport;
using Network.TestSupport;

namespace Network.Radius.Tests.Server;

/// <summary>Our server loop with FreeRADIUS's radclient as the real gateway.</summary>
public sealed class RadiusServerTests : IAsyncLifetime
{
    private const string Secret = "testing123";
    private readonly TestHandler _handler = new();
    private RadiusServer _server = null!;
    private string _auth = "";
    private string _acct = "";

    private sealed class TestHandler : IRadiusHandler
    {
        public ConcurrentDictionary<string, int> Accounting { get; } = new();

        public int AccessRequests;

        public TimeSpan Delay { get; set; }

        /// <summary>Answers Access-Requests on the receive thread (the portal's fast path does), so replies leave in its batches.</summary>
        public bool Inline { get; set; }

        public bool TryHandleInline(RadiusRequest request, out ValueTask<RadiusPacket?> response)
        {
            if (Inline && Delay == TimeSpan.Zero && request.Packet.Code == RadiusCode.AccessRequest)
            {
                response = HandleAsync(request, CancellationToken.None);
                return true;
            }

            response = default;
            return false;
        }

        public async ValueTask<RadiusPacket?> HandleAsync(RadiusRequest request, CancellationToken cancellationToken)
        {
            RadiusPacket p = request.Packet;
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            switch (p.Code)
            {
                case RadiusCode.AccessRequest:
                    Interlocked.Increment(ref AccessRequests);
                    bool ok = p.GetString(RadiusAttributes.UserName) is { } user && user.StartsWith("user", StringComparison.Ordinal)
                        && UserPassword.TryGet(p, request.Secret, out byte[] password)
                        && Encoding.UTF8.GetString(password) == $"pw-{user[4..]}-secret";
                    var reply = new RadiusPacket(ok ? RadiusCode.AccessAccept : RadiusCode.AccessReject, p.Identifier);
                    reply.SetString(RadiusAttributes.ReplyMessage, ok ? "Welkom" : "Wrong user name or password");
                    if (ok)
                    {
                        reply.SetInteger(RadiusAttributes.SessionTimeout, 3600);
                    }

                    return reply;
                case RadiusCode.AccountingRequest:
                    string key = $"{p.GetString(RadiusAttributes.AcctSessionId)}/{(p.TryGetEnumName(RadiusAttributes.AcctStatusType, out string s) ? s : "?")}";
                    Accounting.AddOrUpdate(key, 1, (_, n) => n + 1);
                    return new RadiusPacket(RadiusCode.AccountingResponse, p.Identifier);
                case RadiusCode.StatusServer:
                    return new RadiusPacket(request.Port == RadiusPort.Authentication ? RadiusCode.AccessAccept : RadiusCode.AccountingResponse, p.Identifier);
                default:
                    return null;
            }
        }
    }

    public Task InitializeAsync()
    {
        var clients = new RadiusClientTable(
        [
            new RadiusClient("loopback", "127.0.0.0/8", Secret, MessageAuthenticatorPolicy.True),
        ]);
        _server = new RadiusServer(clients, _handler);
        _server.Start([(RadiusPort.Authentication, Loopback()), (RadiusPort.Accounting, Loopback())]);
        _auth = _server.EndPoints[0].EndPoint.ToString();
        _acct = _server.EndPoints[1].EndPoint.ToString();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A UDP listener on a free loopback port.</summary>
    private static IRadiusTransport Loopback(bool batchSystemCalls = true) =>
        UdpRadiusTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), batchSystemCalls);

    private static Task<(int ExitCode, string Stdout, string Stderr)> Radclient(string attributes, string server, string kind, params string[] options) =>
        TestSupport.Radclient.SendAsync(attributes, server, kind, Secret, ["-x", .. options]);

    [Fact]
    public async Task Accepts_a_right_password_with_Message_Authenticator_and_signs_the_reply()
    {
        var (code, stdout, stderr) = await Radclient("User-Name=user0001,User-Password=pw-0001-secret,Message-Authenticator=0x00", _auth, "auth");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Received Access-Accept", stdout, StringComparison.Ordinal);
        Assert.Contains("Session-Timeout = 3600", stdout, StringComparison.Ordinal);
        Assert.Contains("Message-Authenticator", stdout[stdout.IndexOf("Received", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_wrong_password()
    {
        var (_, stdout, stderr) = await Radclient("User-Name=user0001,User-Password=wrong-password,Message-Authenticator=0x00", _auth, "auth");

        Assert.Contains("Received Access-Reject", stdout, StringComparison.Ordinal);
        Assert.Contains("Wrong user name or password", stdout + stderr, StringComparison.Ordinal);
    }

    private const string ProxyStates = "Proxy-State=0x70726f78792d6f6e65,Proxy-State=0x02,Proxy-State=0x00ff00ff";

    /// <summary>The reply's attributes as radclient -x prints them, in order, after the line that names the reply.</summary>
    private static List<string> ReplyAttributes(string stdout) =>
        [.. stdout[stdout.IndexOf("Received", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Select(line => line.Trim()).Where(line => line.Contains(" = ", StringComparison.Ordinal))];

    /// <summary>RFC 2865 section 5.33: every Proxy-State of the request comes back, in order and unchanged, after Message-Authenticator.</summary>
    private static void AssertProxyStatesEchoed(string stdout, bool messageAuthenticatorFirst)
    {
        List<string> reply = ReplyAttributes(stdout);
        Assert.Equal(["Proxy-State = 0x70726f78792d6f6e65", "Proxy-State = 0x02", "Proxy-State = 0x00ff00ff"],
            reply.Where(a => a.StartsWith("Proxy-State", StringComparison.Ordinal)));
        if (messageAuthenticatorFirst)
        {
            Assert.StartsWith("Message-Authenticator = ", reply[0], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("pw-0004-secret", "Access-Accept", false)]
    [InlineData("wrong-password", "Access-Reject", false)]
    [InlineData("pw-0004-secret", "Access-Accept", true)]
    [InlineData("wrong-password", "Access-Reject", true)]
    public async Task Access_replies_carry_the_requests_Proxy_States_in_order(string password, string expected, bool inline)
    {
        var handler = new TestHandler { Inline = inline };
        await using var server = new RadiusServer(new RadiusClientTable([new RadiusClient("loopback", "127.0.0.0/8", Secret)]), handler);
        server.Start([(RadiusPort.Authentication, Loopback())]);

        var (code, stdout, stderr) = await Radclient($"User-Name=user0004,User-Password={password},Message-Authenticator=0x00,{ProxyStates}",
            server.EndPoints[0].EndPoint.ToString(), "auth");

        // radclient checks the Response Authenticator and the Message-Authenticator: computed over the reply with the Proxy-States in it.
        Assert.True(expected == "Access-Reject" || code == 0, stdout + stderr);
        Assert.Contains("Received " + expected, stdout, StringComparison.Ordinal);
        AssertProxyStatesEchoed(stdout, messageAuthenticatorFirst: true);
    }

    [Fact]
    public async Task Accounting_and_Status_Server_replies_carry_the_requests_Proxy_States_in_order()
    {
        var (code, stdout, stderr) = await Radclient(
            $"User-Name=user0001,Acct-Status-Type=Start,Acct-Session-Id=sess-proxy,NAS-Identifier=hs-flagey,{ProxyStates}", _acct, "acct");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Received Accounting-Response", stdout, StringComparison.Ordinal);
        AssertProxyStatesEchoed(stdout, messageAuthenticatorFirst: false);

        (code, stdout, stderr) = await Radclient($"Message-Authenticator=0x00,{ProxyStates}", _auth, "status");
        Assert.True(code == 0, stdout + stderr);
        AssertProxyStatesEchoed(stdout, messageAuthenticatorFirst: true);
    }

    /// <summary>
    /// FreeRADIUS 3.2 as a real proxy in front of our server: radclient asks it, it adds its own Proxy-State and forwards
    /// to us (realm "portal"), and matches our reply to its request by that Proxy-State.
    /// </summary>
    [Fact]
    public async Task Through_FreeRADIUS_as_a_proxy_every_reply_comes_back_with_the_gateways_Proxy_States()
    {
        const string GatewaySecret = "gateway-secret-9";
        using var folder = new TempFolder("freeradius-proxy");
        int auth = Peers.FreeUdpPort();
        int acct = Peers.FreeUdpPort();
        IPEndPoint ours = _server.EndPoints[0].EndPoint;
        IPEndPoint oursAcct = _server.EndPoints[1].EndPoint;
        await using PeerProcess proxy = await Client.FreeRadiusServer.StartAsync(folder, $$"""
            server default {
            listen {
            	type = auth
            	ipaddr = 127.0.0.1
            	port = {{auth}}
            }
            listen {
            	type = acct
            	ipaddr = 127.0.0.1
            	port = {{acct}}
            }
            authorize {
            	update control {
            		&Proxy-To-Realm := "portal"
            	}
            }
            authenticate {
            }
            preacct {
            	update control {
            		&Proxy-To-Realm := "portal"
            	}
            }
            accounting {
            }
            post-proxy {
            	update reply {
            		&Reply-Message := "sent %{proxy-request:Proxy-State[*]} got %{proxy-reply:Proxy-State[*]}"
            	}
            }
            }

            """, $$"""
            client gateway {
            	ipaddr = 127.0.0.1
            	secret = {{GatewaySecret}}
            }

            """, users: "", proxy: $$"""
            proxy server {
            	default_fallback = no
            }
            {{HomeServer("auth", ours.Port)}}
            {{HomeServer("acct", oursAcct.Port)}}
            realm portal {
            	auth_pool = portal-auth
            	acct_pool = portal-acct
            	nostrip
            }

            """);
        // Our server as FreeRADIUS's home server for one kind of request, in a pool of its own.
        static string HomeServer(string type, int port) => $$"""
            home_server portal-{{type}} {
            	type = {{type}}
            	ipaddr = 127.0.0.1
            	port = {{port}}
            	secret = {{Secret}}
            	response_window = 20
            	status_check = none
            }
            home_server_pool portal-{{type}} {
            	type = fail-over
            	home_server = portal-{{type}}
            }
            """;
        string Log() => (File.Exists(folder.PathOf("radius.log")) ? File.ReadAllText(folder.PathOf("radius.log")) : "") + proxy.Output;
        const string GatewayStates = "Proxy-State=0x67772d6f6e65,Proxy-State=0x02";
        Task<(int ExitCode, string Stdout, string Stderr)> ViaProxy(string attributes, int port, string kind) =>
            TestSupport.Radclient.SendAsync(attributes, $"127.0.0.1:{port}", kind, GatewaySecret, "-x", "-t", "5", "-r", "1");
        await Peers.WaitUntilAsync(async () =>
        {
            Assert.False(proxy.HasExited, "freeradius exited at start-up: " + Log());
            var (_, stdout, _) = await ViaProxy("User-Name=user0005,User-Password=pw-0005-secret,Message-Authenticator=0x00", auth, "auth");
            return stdout.Contains("Received Access-", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), $"FreeRADIUS proxying on 127.0.0.1:{auth}");

        foreach ((string password, string expected) in new[] { ("pw-0005-secret", "Access-Accept"), ("wrong-password", "Access-Reject") })
        {
            var (_, stdout, stderr) = await ViaProxy($"User-Name=user0005,User-Password={password},Message-Authenticator=0x00,{GatewayStates}", auth, "auth");
            Assert.True(stdout.Contains("Received " + expected, StringComparison.Ordinal), stdout + stderr + Log());
            AssertEchoedThroughProxy(stdout);
        }

        // FreeRADIUS says in Reply-Message what it sent us and what our reply carried (its own Proxy-State last), and
        // gives the gateway its two back.
        static void AssertEchoedThroughProxy(string stdout)
        {
            List<string> reply = ReplyAttributes(stdout);
            Assert.Equal(["Proxy-State = 0x67772d6f6e65", "Proxy-State = 0x02"], reply.Where(a => a.StartsWith("Proxy-State", StringComparison.Ordinal)));
            string said = reply.Single(a => a.StartsWith("Reply-Message = \"sent ", StringComparison.Ordinal));
            var match = System.Text.RegularExpressions.Regex.Match(said, "^Reply-Message = \"sent (0x67772d6f6e65,0x02,0x[0-9a-f]+) got (.*)\"$");
            Assert.True(match.Success, said);
            Assert.Equal(match.Groups[1].Value, match.Groups[2].Value);
        }

        var (code, acctOut, acctErr) = await ViaProxy($"User-Name=user0005,Acct-Status-Type=Start,Acct-Session-Id=sess-via-proxy,{GatewayStates}", acct, "acct");
        Assert.True(code == 0 && acctOut.Contains("Received Accounting-Response", StringComparison.Ordinal), acctOut + acctErr + Log());
        AssertEchoedThroughProxy(acctOut);
        Assert.Equal(1, _handler.Accounting["sess-via-proxy/Start"]);
    }

    [Fact]
    public async Task A_retransmission_gets_the_cached_reply_with_the_Proxy_States()
    {
        byte[] secret = Encoding.UTF8.GetBytes(Secret);
        var request = new RadiusPacket(RadiusCode.AccessRequest, 91, RequestAuthenticator.CreateRandom(), []);
        request.SetString(RadiusAttributes.UserName, "user0009");
        UserPassword.Set(request, "pw-0009-secret"u8, secret);
        request.Attributes.Add(new RadiusAttribute(RadiusAttributes.ProxyState.Type, "first"u8));
        request.Attributes.Add(new RadiusAttribute(RadiusAttributes.ProxyState.Type, "second"u8));
        byte[] wire = PacketSigner.EncodeRequest(request, secret);
        using var gateway = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int before = _handler.AccessRequests;

        await gateway.SendAsync(wire, IPEndPoint.Parse(_auth), timeout.Token);
        byte[] first = (await gateway.ReceiveAsync(timeout.Token)).Buffer;
        await gateway.SendAsync(wire, IPEndPoint.Parse(_auth), timeout.Token);
        byte[] second = (await gateway.ReceiveAsync(timeout.Token)).Buffer;

        Assert.Equal(first, second);
        Assert.Equal(before + 1, _handler.AccessRequests);
        RadiusPacket reply = Network.Radius.Codec.RadiusCodec.Decode(second);
        Assert.Equal(RadiusCode.AccessAccept, reply.Code);
        Assert.Equal(["first", "second"], reply.Attributes.Where(a => a.Type == RadiusAttributes.ProxyState.Type).Select(a => Encoding.UTF8.GetString(a.Value.Span)));
        Assert.Equal(MessageAuthenticator.AttributeType, reply.Attributes[0].Type);
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(second, secret, request.Authenticator.Span));
    }

    [Fact]
    public async Task A_Proxy_State_without_Message_Authenticator_and_five_Proxy_States_are_still_discarded()
    {
        var (_, five, _) = await Radclient($"User-Name=user0001,User-Password=pw-0001-secret,Message-Authenticator=0x00,{ProxyStates},Proxy-State=0x04,Proxy-State=0x05",
            _auth, "auth", "-t", "1", "-r", "1");
        Assert.Contains("No reply from server", five, StringComparison.Ordinal);
        Assert.True(_server.Dropped.GetValueOrDefault("too_many_proxy_states") > 0);

        var clients = new RadiusClientTable([new RadiusClient("loopback", "127.0.0.0/8", Secret, MessageAuthenticatorPolicy.False)]);
        await using var server = new RadiusServer(clients, _handler);
        server.Start([(RadiusPort.Authentication, Loopback())]);

        var (_, stdout, _) = await Radclient($"User-Name=user0001,User-Password=pw-0001-secret,{ProxyStates}",
            server.EndPoints[0].EndPoint.ToString(), "auth", "-t", "1", "-r", "1");

        Assert.Contains("No reply from server", stdout, StringComparison.Ordinal);
        Assert.True(server.Dropped.GetValueOrDefault("proxy_state_without_message_authenticator") > 0);
    }

    [Fact]
    public async Task Discards_an_Access_Request_without_Message_Authenticator_by_default()
    {
        long before = _server.Dropped.GetValueOrDefault("missing_message_authenticator");

        var (_, stdout, _) = await Radclient("User-Name=user0001,User-Password=pw-0001-secret", _auth, "auth", "-t", "1", "-r", "1");

        Assert.Contains("No reply from server", stdout, StringComparison.Ordinal);
        Assert.True(_server.Dropped.GetValueOrDefault("missing_message_authenticator") > before);
    }

    [Fact]
    public async Task Discards_a_packet_signed_with_another_secret()
    {
        var (_, stdout, _) = await TestSupport.Radclient.SendAsync("User-Name=user0001,User-Password=pw-0001-secret,Message-Authenticator=0x00", _auth, "auth", "not-the-secret", "-x", "-t", "1", "-r", "1");

        Assert.Contains("No reply from server", stdout, StringComparison.Ordinal);
        Assert.True(_server.Dropped.GetValueOrDefault("bad_message_authenticator") > 0);
    }

    [Fact]
    public async Task Accounting_start_interim_stop_are_each_answered_and_recorded_once()
    {
        foreach (string status in new[] { "Start", "Interim-Update", "Stop" })
        {
            var (code, stdout, stderr) = await Radclient(
                $"User-Name=user0001,Acct-Status-Type={status},Acct-Session-Id=sess-42,NAS-Identifier=hs-flagey,Acct-Session-Time=60,Acct-Input-Octets=1000", _acct, "acct");
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("Received Accounting-Response", stdout, StringComparison.Ordinal);
        }

        Assert.Equal(1, _handler.Accounting["sess-42/Start"]);
        Assert.Equal(1, _handler.Accounting["sess-42/Interim-Update"]);
        Assert.Equal(1, _handler.Accounting["sess-42/Stop"]);
    }

    [Fact]
    public async Task A_retransmission_while_the_first_is_in_progress_is_evaluated_once()
    {
        _handler.Delay = TimeSpan.FromMilliseconds(1500);
        int before = _handler.AccessRequests;

        // radclient resends the same packet (same Identifier and Authenticator) after 1 s without a reply.
        var (_, stdout, _) = await Radclient("User-Name=user0002,User-Password=pw-0002-secret,Message-Authenticator=0x00", _auth, "auth", "-t", "1", "-r", "3");
        _handler.Delay = TimeSpan.Zero;

        Assert.Contains("Received Access-Accept", stdout, StringComparison.Ordinal);
        Assert.Equal(1, _handler.AccessRequests - before);
        Assert.True(_server.Dropped.GetValueOrDefault("duplicate_in_progress") + _server.Dropped.GetValueOrDefault("duplicate_resent") >= 1);
    }

    [Fact]
    public async Task A_request_from_an_unknown_client_gets_no_answer_and_is_counted()
    {
        var clients = new RadiusClientTable([new RadiusClient("elsewhere", "192.0.2.0/24", Secret)]);
        await using var server = new RadiusServer(clients, _handler);
        server.Start([(RadiusPort.Authentication, Loopback())]);

        var (_, stdout, _) = await Radclient("User-Name=user0001,User-Password=pw-0001-secret,Message-Authenticator=0x00",
            server.EndPoints[0].EndPoint.ToString(), "auth", "-t", "1", "-r", "1");

        Assert.Contains("No reply from server", stdout, StringComparison.Ordinal);
        Assert.Equal(1, server.Dropped["unknown_client"]);
    }

    [Fact]
    public async Task Status_server_is_answered_on_both_ports()
    {
        var (code, stdout, stderr) = await Radclient("Message-Authenticator=0x00", _auth, "status");
        var (code2, stdout2, stderr2) = await Radclient("Message-Authenticator=0x00", _acct, "status");

        Assert.True(code == 0, stdout + stderr);
        Assert.True(code2 == 0, stdout2 + stderr2);
        Assert.Contains("Received Access-Accept", stdout, StringComparison.Ordinal);
        Assert.Contains("Received Accounting-Response", stdout2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twenty_thousand_requests_from_a_radclient_load_file_are_all_answered()
    {
        Assert.Equal(20_000, await RadclientLoadAsync(_auth, rounds: 10));
    }

    /// <summary>
    /// <paramref name="rounds"/> times 2,000 PAP requests for users user0001 to user0500, 200 in flight, from
    /// radclient's load mode; none may be lost. Returns how many radclient counted as accepted.
    /// </summary>
    private static async Task<int> RadclientLoadAsync(string target, int rounds)
    {
        using var folder = new TempFolder("radius-load");
        var sb = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            int n = (i % 500) + 1;
            sb.Append(CultureInfo.InvariantCulture, $"User-Name = \"user{n:0000}\", User-Password = \"pw-{n:0000}-secret\", Message-Authenticator = 0x00\n\n");
        }

        await File.WriteAllTextAsync(folder.PathOf("load.txt"), sb.ToString());
        int accepted = 0;
        for (int round = 0; round < rounds; round++)
        {
            var (_, stdout, stderr) = await PeerProcess.RunAsync(TestSupport.Radclient.Path,
                ["-f", folder.PathOf("load.txt"), "-p", "200", "-q", "-s", target, "auth", Secret], timeout: TimeSpan.FromSeconds(120));
            string summary = stdout + stderr;
            accepted += int.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"Accepted\s*:\s*(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.Matches(@"Lost\s*:\s*0\b", summary);
        }

        return accepted;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_load_answered_on_the_receive_thread_is_all_accepted_with_and_without_batched_system_calls(bool batched)
    {
        var handler = new TestHandler { Inline = true };
        await using var server = new RadiusServer(new RadiusClientTable([new RadiusClient("loopback", "127.0.0.0/8", Secret)]), handler);
        IRadiusTransport transport = Loopback(batched);
        server.Start([(RadiusPort.Authentication, transport)]);
        string auth = server.EndPoints[0].EndPoint.ToString();
        Assert.Equal(4000, await RadclientLoadAsync(auth, rounds: 2));
        (long calls, long multiple) = transport is BatchedUdpRadiusTransport batch ? batch.Receives : (0, 0);
        if (batched && DatagramBatch.IsSupported)
        {
            // 200 in flight: some calls must have found several datagrams waiting, and no call takes more than it counts.
            Assert.InRange(calls, 1, 4000);
            Assert.True(multiple > 0, $"{calls} recvmmsg calls, none with more than one datagram");
        }
        else
        {
            Assert.Equal(0, calls);
        }

        // A retransmission (same source port, identifier and authenticator) gets the same reply, evaluated once.
        var request = new RadiusPacket(RadiusCode.AccessRequest, 77, RequestAuthenticator.CreateRandom(), []);
        request.SetString(RadiusAttributes.UserName, "user0007");
        UserPassword.Set(request, "pw-0007-secret"u8, Encoding.UTF8.GetBytes(Secret));
        byte[] wire = PacketSigner.EncodeRequest(request, Encoding.UTF8.GetBytes(Secret));
        using var gateway = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int before = handler.AccessRequests;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await gateway.SendAsync(wire, IPEndPoint.Parse(auth), timeout.Token);
        byte[] first = (await gateway.ReceiveAsync(timeout.Token)).Buffer;
        await gateway.SendAsync(wire, IPEndPoint.Parse(auth), timeout.Token);
        byte[] second = (await gateway.ReceiveAsync(timeout.Token)).Buffer;
        Assert.Equal((byte)RadiusCode.AccessAccept, first[0]);
        Assert.Equal(first, second);
        Assert.Equal(before + 1, handler.AccessRequests);

        // Stopping wakes the receive thread out of its call; stopping twice (a host's stop, then its dispose) is harmless.
        await server.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task The_server_still_answers_after_a_burst_of_malformed_datagrams()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var random = new Random(1812);
        for (int i = 0; i < 3000; i++)
        {
            byte[] junk = new byte[random.Next(0, 200)];
            random.NextBytes(junk);
            if (junk.Length >= 20 && i % 2 == 0)
            {
                junk[0] = 1; // looks like an Access-Request
                junk[2] = 0;
                junk[3] = (byte)junk.Length;
            }

            await socket.SendToAsync(junk, IPEndPoint.Parse(_auth));
        }

        var (code, stdout, stderr) = await Radclient("User-Name=user0003,User-Password=pw-0003-secret,Message-Authenticator=0x00", _auth, "auth");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Received Access-Accept", stdout, StringComparison.Ordinal);
        Assert.True(_server.Dropped.Values.Sum() >= 1000);
    }

    [Fact]
    public async Task Disconnect_request_round_trip_against_a_small_NAS_built_on_our_library()
    {
        byte[] nasSecret = Encoding.UTF8.GetBytes("nas-secret-1");
        using var nas = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        nas.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var nasEndPoint = (IPEndPoint)nas.LocalEndPoint!;
        string? seenSession = null;
        Task nasLoop = Task.Run(async () =>
        {
            byte[] buffer = new byte[4096];
            var received = await nas.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
            byte[] raw = buffer[..received.ReceivedBytes];
            var request = Network.Radius.Codec.RadiusCodec.Decode(raw);
            bool authentic = RequestAuthenticator.Verify(raw, nasSecret);
            seenSession = request.GetString(RadiusAttributes.AcctSessionId);
            var reply = new RadiusPacket(authentic && seenSession == "sess-77" ? RadiusCode.DisconnectAck : RadiusCode.DisconnectNak, request.Identifier);
            await nas.SendToAsync(PacketSigner.EncodeResponse(reply, request.Authenticator.Span, nasSecret, addMessageAuthenticator: false), SocketFlags.None, received.RemoteEndPoint);
        });
        await using var requester = new RadiusRequester();

        DynamicAuthorizationResult result = await requester.DisconnectAsync(nasEndPoint, nasSecret,
            [new RadiusAttribute(RadiusAttributes.AcctSessionId.Type, "sess-77"u8), new RadiusAttribute(RadiusAttributes.UserName.Type, "user0001"u8)], TimeSpan.FromSeconds(2), 2);
        await nasLoop;

        Assert.True(result.Acknowledged);
        Assert.Equal(RadiusCode.DisconnectAck, result.Response.Code);
        Assert.Equal("sess-77", seenSession);
    }
}
