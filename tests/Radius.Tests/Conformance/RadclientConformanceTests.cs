using System.Net;
using System.Net.Sockets;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.TestSupport;

namespace Network.Radius.Tests.Conformance;

/// <summary>
/// FreeRADIUS's radclient, the real gateway-side client, against the codec: a UDP socket on loopback stands in for the
/// server, receives what radclient sends, checks it with our decoder and authenticators, and answers with our encoder;
/// radclient's -x output shows what it made of the answer.
/// </summary>
public sealed class RadclientConformanceTests
{
    private const string Secret = "testing123";

    private static readonly byte[] s_secret = System.Text.Encoding.ASCII.GetBytes(Secret);

    [Fact]
    public async Task An_Access_Request_from_radclient_decodes_and_our_Access_Accept_is_accepted()
    {
        var (request, raw, output) = await ExchangeAsync(
            "User-Name=alice,User-Password=arctangent,Message-Authenticator=0x00,NAS-Port-Type=Wireless-802.11",
            "auth",
            (request, raw) =>
            {
                var accept = new RadiusPacket(RadiusCode.AccessAccept, request.Identifier);
                accept.SetString(RadiusAttributes.ReplyMessage, "Welcome, alice");
                accept.SetInteger(RadiusAttributes.WisprBandwidthMaxDown, 2_000_000);
                accept.SetInteger(RadiusAttributes.SessionTimeout, 3600);
                return PacketSigner.EncodeResponse(accept, request.Authenticator.Span, s_secret);
            });

        Assert.Equal(RadiusCode.AccessRequest, request.Code);
        Assert.Equal("alice", request.GetString(RadiusAttributes.UserName));
        Assert.True(UserPassword.TryGet(request, s_secret, out byte[] password));
        Assert.Equal("arctangent", System.Text.Encoding.UTF8.GetString(password));
        Assert.True(request.TryGetEnumName(RadiusAttributes.NasPortType, out string portType));
        Assert.Equal("Wireless-802.11", portType);
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(raw, s_secret));
        Assert.Equal(MessageAuthenticatorStatus.Invalid, MessageAuthenticator.Verify(raw, "testing124"u8));

        Assert.Contains("Received Access-Accept", output, StringComparison.Ordinal);
        Assert.Matches(@"Message-Authenticator = 0x[0-9a-f]{32}", output);
        Assert.Contains("Reply-Message = \"Welcome, alice\"", output, StringComparison.Ordinal);
        Assert.Contains("WISPr-Bandwidth-Max-Down = 2000000", output, StringComparison.Ordinal);
        Assert.Contains("Session-Timeout = 3600", output, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_Access_Accept_signed_with_the_wrong_secret_is_refused_by_radclient()
    {
        var (_, _, output) = await ExchangeAsync(
            "User-Name=alice,User-Password=arctangent,Message-Authenticator=0x00",
            "auth",
            (request, _) => PacketSigner.EncodeResponse(new RadiusPacket(RadiusCode.AccessAccept, request.Identifier), request.Authenticator.Span, "wrong"u8));

        Assert.DoesNotContain("Received Access-Accept", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Accounting_Request_from_radclient_verifies_and_our_Accounting_Response_is_accepted()
    {
        var (request, raw, output) = await ExchangeAsync(
            "User-Name=alice,Acct-Status-Type=Interim-Update,Acct-Session-Id=5F3A0001,Acct-Input-Octets=123456,Event-Timestamp=1720528496",
            "acct",
            (request, _) => PacketSigner.EncodeResponse(
                new RadiusPacket(RadiusCode.AccountingResponse, request.Identifier), request.Authenticator.Span, s_secret, addMessageAuthenticator: false));

        // RFC 2866 section 3: the Request Authenticator is MD5 over the packet with a zero authenticator and the secret.
        Assert.True(RequestAuthenticator.Verify(raw, s_secret));
        Assert.False(RequestAuthenticator.Verify(raw, "testing124"u8));
        Assert.True(request.TryGetEnumName(RadiusAttributes.AcctStatusType, out string status));
        Assert.Equal("Interim-Update", status);
        Assert.Equal("5F3A0001", request.GetString(RadiusAttributes.AcctSessionId));
        Assert.True(request.TryGetInteger(RadiusAttributes.AcctInputOctets, out uint octets));
        Assert.Equal(123456u, octets);
        Assert.True(request.TryGetTime(RadiusAttributes.EventTimestamp, out DateTimeOffset time));
        Assert.Equal(1720528496, time.ToUnixTimeSeconds());
        Assert.Contains("Received Accounting-Response", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("coa", RadiusCode.CoaRequest, RadiusCode.CoaAck, "CoA-ACK")]
    [InlineData("disconnect", RadiusCode.DisconnectRequest, RadiusCode.DisconnectAck, "Disconnect-ACK")]
    public async Task CoA_and_Disconnect_requests_from_radclient_verify_and_our_ACKs_are_accepted(string kind, RadiusCode code, RadiusCode ack, string ackName)
    {
        var (request, raw, output) = await ExchangeAsync(
            "User-Name=alice,Acct-Session-Id=5F3A0001,Message-Authenticator=0x00",
            kind,
            (request, _) => PacketSigner.EncodeResponse(new RadiusPacket(ack, request.Identifier), request.Authenticator.Span, s_secret));

        // RFC 5176 sections 2.3 and 3.3.
        Assert.Equal(code, request.Code);
        Assert.True(RequestAuthenticator.Verify(raw, s_secret));
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(raw, s_secret));
        Assert.Contains($"Received {ackName}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Status_Server_from_radclient_carries_a_valid_Message_Authenticator()
    {
        var (request, raw, output) = await ExchangeAsync(
            "Message-Authenticator=0x00",
            "status",
            (request, _) =>
            {
                var accept = new RadiusPacket(RadiusCode.AccessAccept, request.Identifier);
                accept.SetString(RadiusAttributes.ReplyMessage, "alive");
                return PacketSigner.EncodeResponse(accept, request.Authenticator.Span, s_secret);
            });

        // RFC 5997 section 3.
        Assert.Equal(RadiusCode.StatusServer, request.Code);
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(raw, s_secret));
        Assert.Contains("Received Access-Accept", output, StringComparison.Ordinal);
        Assert.Contains("Reply-Message = \"alive\"", output, StringComparison.Ordinal);
    }

    private static async Task<(RadiusPacket Request, byte[] Raw, string Output)> ExchangeAsync(
        string attributes, string kind, Func<RadiusPacket, byte[], byte[]> answer)
    {
        int port = Peers.FreeUdpPort();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));

        Task<(int ExitCode, string Stdout, string Stderr)> radclient = Radclient.SendAsync(
            attributes, $"127.0.0.1:{port}", kind, Secret, "-x", "-r", "1", "-t", "3");

        byte[] buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        SocketReceiveFromResult received;
        try
        {
            received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        }
        catch (OperationCanceledException)
        {
            var (_, so, se) = await radclient;
            throw new TimeoutException($"radclient sent nothing to port {port}:\n{so}\n{se}");
        }

        byte[] raw = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
        RadiusPacket request = RadiusCodec.Decode(raw);
        await socket.SendToAsync(answer(request, raw), SocketFlags.None, received.RemoteEndPoint);

        var (_, stdout, stderr) = await radclient;
        return (request, raw, stdout + stderr);
    }
}
