using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Crypto;

/// <summary>The signer's copy of a request's Proxy-States into the reply (RFC 2865 section 5.33).</summary>
public sealed class PacketSignerProxyStateTests
{
    private static readonly byte[] s_secret = "testing123"u8.ToArray();

    private static RadiusPacket Request(params string[] proxyStates)
    {
        var request = new RadiusPacket(RadiusCode.AccessRequest, 42, RequestAuthenticator.CreateRandom(), []);
        request.SetString(RadiusAttributes.UserName, "marie");
        foreach (string state in proxyStates)
        {
            request.Attributes.Add(new RadiusAttribute(33, System.Text.Encoding.ASCII.GetBytes(state)));
        }

        request.SetString(RadiusAttributes.NasIdentifier, "hs-flagey");
        return RadiusCodec.Decode(PacketSigner.EncodeRequest(request, s_secret));
    }

    [Fact]
    public void The_requests_Proxy_States_follow_the_replys_attributes_in_order_and_both_authenticators_cover_them()
    {
        RadiusPacket request = Request("first", "second");
        var accept = new RadiusPacket(RadiusCode.AccessAccept, request.Identifier);
        accept.SetString(RadiusAttributes.ReplyMessage, "Welkom");
        accept.Attributes.Add(new RadiusAttribute(33, "not from the request"u8)); // a handler's own is left out

        byte[] wire = PacketSigner.EncodeResponse(accept, request, s_secret);

        RadiusPacket reply = RadiusCodec.Decode(wire);
        Assert.Equal([80, 18, 33, 33], reply.Attributes.Select(a => a.Type));
        Assert.Equal("first"u8.ToArray(), reply.Attributes[2].Value.ToArray());
        Assert.Equal("second"u8.ToArray(), reply.Attributes[3].Value.ToArray());
        Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, s_secret, request.Authenticator.Span));
        Assert.True(ResponseAuthenticator.Verify(wire, request.Authenticator.Span, s_secret));
    }

    [Fact]
    public void Without_Proxy_State_the_reply_is_the_same_octets_and_allocates_nothing_more()
    {
        RadiusPacket request = Request();
        var accept = new RadiusPacket(RadiusCode.AccessAccept, request.Identifier);
        accept.SetInteger(RadiusAttributes.SessionTimeout, 3600);
        byte[] plain = PacketSigner.EncodeResponse(accept, request.Authenticator.Span, s_secret);
        byte[] echoing = PacketSigner.EncodeResponse(accept, request, s_secret);

        long before = GC.GetAllocatedBytesForCurrentThread();
        PacketSigner.EncodeResponse(accept, request.Authenticator.Span, s_secret);
        long plainBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        PacketSigner.EncodeResponse(accept, request, s_secret);
        long echoingBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(plain, echoing);
        Assert.Equal(plainBytes, echoingBytes);
    }
}
