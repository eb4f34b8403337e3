using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Crypto;

/// <summary>User-Password hiding and the Response Authenticator against RFC 2865 section 7, secret "xyzzy5461".</summary>
public sealed class RfcAuthenticatorTests
{
    private static readonly byte[] s_telnetRequestAuthenticator = RfcVectors.Bytes("0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a");

    [Fact]
    public void Hiding_arctangent_gives_the_User_Password_of_RFC_2865_7_1()
    {
        byte[] hidden = UserPassword.Hide("arctangent"u8, RfcVectors.SecretBytes, s_telnetRequestAuthenticator);

        Assert.Equal("0DBE708D93D413CE3196E43F782A0AEE", Convert.ToHexString(hidden));
        Assert.True(UserPassword.TryUnhide(hidden, RfcVectors.SecretBytes, s_telnetRequestAuthenticator, out byte[] password));
        Assert.Equal("arctangent"u8.ToArray(), password);
    }

    [Theory]
    [InlineData("7.1", RfcVectors.TelnetAccessRequest, RfcVectors.TelnetAccessAccept)]
    public void The_Access_Accept_of_RFC_2865_section_7_1_carries_the_right_Response_Authenticator(string section, string requestHex, string acceptHex)
    {
        byte[] request = RfcVectors.Bytes(requestHex);
        byte[] accept = RfcVectors.Bytes(acceptHex);
        ReadOnlySpan<byte> requestAuthenticator = request.AsSpan(4, 16);

        Assert.True(ResponseAuthenticator.Verify(accept, requestAuthenticator, RfcVectors.SecretBytes), section);

        byte[] resigned = (byte[])accept.Clone();
        resigned.AsSpan(4, 16).Clear();
        ResponseAuthenticator.Sign(resigned, requestAuthenticator, RfcVectors.SecretBytes);
        Assert.Equal(accept, resigned);
        Assert.False(ResponseAuthenticator.Verify(accept, requestAuthenticator, "xyzzy5462"u8));
    }

    [Fact]
    public void The_7_1_Access_Accept_rebuilt_from_its_attributes_is_the_RFC_s_bytes()
    {
        RadiusPacket accept = RadiusCodec.Decode(RfcVectors.Bytes(RfcVectors.TelnetAccessAccept));

        byte[] encoded = PacketSigner.EncodeResponse(accept, s_telnetRequestAuthenticator, RfcVectors.SecretBytes, addMessageAuthenticator: false);

        Assert.Equal(RfcVectors.Bytes(RfcVectors.TelnetAccessAccept), encoded);
    }
}
