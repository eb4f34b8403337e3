using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Crypto;

/// <summary>Message-Authenticator (RFC 3579 section 3.2) and the signer's ordering (BlastRADIUS, CVE-2024-3596).</summary>
public sealed class MessageAuthenticatorTests
{
    private static readonly byte[] s_secret = "testing123"u8.ToArray();

    [Fact]
    public void An_Access_Request_signed_by_the_signer_has_Message_Authenticator_first_and_verifies()
    {
        RadiusPacket request = AccessRequest();

        byte[] wire = PacketSigner.EncodeRequest(request, s_secret);

        RadiusPacket decoded = RadiusCodec.Decode(wire);
        Assert.Equal(MessageAuthenticator.AttributeType, decoded.Attributes[0].Type);
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, s_secret));
        Assert.Equal(MessageAuthenticatorStatus.Invalid, MessageAuthenticator.Verify(wire, "testing124"u8));
        Assert.True(UserPassword.TryGet(decoded, s_secret, out byte[] password));
        Assert.Equal("arctangent"u8.ToArray(), password);
    }

    [Fact]
    public void The_HMAC_is_over_the_packet_with_the_value_zeroed_and_the_right_authenticator_in_place()
    {
        // Recomputed independently with System.Security.Cryptography.HMACMD5 over the bytes the RFC names.
        RadiusPacket request = AccessRequest();
        byte[] wire = PacketSigner.EncodeRequest(request, s_secret);
        byte[] zeroed = (byte[])wire.Clone();
        zeroed.AsSpan(22, 16).Clear();
#pragma warning disable CA5351 // RFC 3579 mandates HMAC-MD5
        byte[] expected = System.Security.Cryptography.HMACMD5.HashData(s_secret, zeroed);
#pragma warning restore CA5351

        Assert.Equal(expected, wire[22..38]);
    }

    [Fact]
    public void A_reply_is_signed_with_the_request_authenticator_then_gets_its_Response_Authenticator()
    {
        byte[] requestAuthenticator = RequestAuthenticator.CreateRandom();
        var accept = new RadiusPacket(RadiusCode.AccessAccept, 42);
        accept.SetString(RadiusAttributes.ReplyMessage, "welcome");
        accept.Attributes.Add(new RadiusAttribute(MessageAuthenticator.AttributeType, new byte[16])); // replaced, moved first

        byte[] wire = PacketSigner.EncodeResponse(accept, requestAuthenticator, s_secret);

        Assert.Equal(MessageAuthenticator.AttributeType, wire[20]);
        Assert.Equal(1, RadiusCodec.Decode(wire).CountAttributes(MessageAuthenticator.AttributeType));
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, s_secret, requestAuthenticator));
        Assert.True(ResponseAuthenticator.Verify(wire, requestAuthenticator, s_secret));
        byte[] otherRequest = RequestAuthenticator.CreateRandom();
        Assert.Equal(MessageAuthenticatorStatus.Invalid, MessageAuthenticator.Verify(wire, s_secret, otherRequest));
        Assert.False(ResponseAuthenticator.Verify(wire, otherRequest, s_secret));
    }

    [Theory]
    [InlineData(RadiusCode.AccountingRequest)]
    [InlineData(RadiusCode.DisconnectRequest)]
    [InlineData(RadiusCode.CoaRequest)]
    public void Hashed_requests_get_Message_Authenticator_over_a_zero_authenticator_then_their_Request_Authenticator(RadiusCode code)
    {
        var request = new RadiusPacket(code, 9);
        request.SetString(RadiusAttributes.UserName, "alice");
        request.SetString(RadiusAttributes.AcctSessionId, "5F3A0001");

        byte[] wire = PacketSigner.EncodeRequest(request, s_secret);

        Assert.True(RequestAuthenticator.Verify(wire, s_secret));
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, s_secret));
        byte[] zeroed = (byte[])wire.Clone();
        zeroed.AsSpan(4, 16).Clear();
        zeroed.AsSpan(22, 16).Clear();
#pragma warning disable CA5351 // RFC 5176 section 3.3 mandates HMAC-MD5
        Assert.Equal(System.Security.Cryptography.HMACMD5.HashData(s_secret, zeroed), wire[22..38]);
#pragma warning restore CA5351
    }

    [Fact]
    public void Status_Server_always_carries_Message_Authenticator()
    {
        var status = new RadiusPacket(RadiusCode.StatusServer, 1, RequestAuthenticator.CreateRandom(), []);

        byte[] wire = PacketSigner.EncodeRequest(status, s_secret, addMessageAuthenticator: false);

        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, s_secret));
    }

    [Fact]
    public void Missing_duplicated_short_and_unframed_Message_Authenticators_are_reported_not_thrown()
    {
        RadiusPacket request = AccessRequest();
        byte[] without = RadiusCodec.Encode(request);
        Assert.Equal(MessageAuthenticatorStatus.Missing, MessageAuthenticator.Verify(without, s_secret));

        request.Attributes.Add(MessageAuthenticator.CreatePlaceholder());
        request.Attributes.Add(MessageAuthenticator.CreatePlaceholder());
        Assert.Equal(MessageAuthenticatorStatus.Invalid, MessageAuthenticator.Verify(RadiusCodec.Encode(request), s_secret));

        request.RemoveAttributes(MessageAuthenticator.AttributeType);
        request.Attributes.Add(new RadiusAttribute(MessageAuthenticator.AttributeType, new byte[15]));
        Assert.Equal(MessageAuthenticatorStatus.Invalid, MessageAuthenticator.Verify(RadiusCodec.Encode(request), s_secret));

        Assert.Equal(MessageAuthenticatorStatus.Invalid, MessageAuthenticator.Verify(new byte[10], s_secret));
        Assert.False(ResponseAuthenticator.Verify(new byte[10], new byte[16], s_secret));
        Assert.False(RequestAuthenticator.Verify(new byte[10], s_secret));
    }

    private static RadiusPacket AccessRequest()
    {
        var request = new RadiusPacket(RadiusCode.AccessRequest, 7, RequestAuthenticator.CreateRandom(), []);
        request.SetString(RadiusAttributes.UserName, "alice");
        UserPassword.Set(request, "arctangent"u8, s_secret);
        request.SetString(RadiusAttributes.CalledStationId, "00-11-22-33-44-55:hotspot");
        return request;
    }
}
