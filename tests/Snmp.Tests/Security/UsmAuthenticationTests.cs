using System.Security.Cryptography;
using CsCheck;
using Network.Snmp.Security;

namespace Network.Snmp.Tests.Security;

public class UsmAuthenticationTests
{
    private static readonly byte[] s_rfcEngineId = Convert.FromHexString("000000000000000000000002");

    public static TheoryData<AuthProtocol> Protocols() =>
        [AuthProtocol.HmacMd5, AuthProtocol.HmacSha1, AuthProtocol.HmacSha224, AuthProtocol.HmacSha256, AuthProtocol.HmacSha384, AuthProtocol.HmacSha512];

    private static byte[] KeyOf(AuthProtocol protocol) =>
        UsmKeys.Localize(protocol, UsmKeys.PasswordToKey(protocol, "authpass123"), s_rfcEngineId);

    [Theory]
    [InlineData(AuthProtocol.HmacMd5, 12)]
    [InlineData(AuthProtocol.HmacSha1, 12)]
    [InlineData(AuthProtocol.HmacSha224, 16)]
    [InlineData(AuthProtocol.HmacSha256, 24)]
    [InlineData(AuthProtocol.HmacSha384, 32)]
    [InlineData(AuthProtocol.HmacSha512, 48)]
    public void Sign_writes_the_HMAC_of_the_message_with_a_zeroed_slot_truncated_to_the_MAC_length(AuthProtocol protocol, int macLength)
    {
        byte[] key = KeyOf(protocol);
        byte[] message = RandomNumberGenerator.GetBytes(200);
        const int Offset = 37;
        byte[] zeroed = (byte[])message.Clone();
        Array.Clear(zeroed, Offset, macLength);

        UsmAuthentication.Sign(protocol, key, message, Offset);

#pragma warning disable CA5350, CA5351
        byte[] full = protocol switch
        {
            AuthProtocol.HmacMd5 => HMACMD5.HashData(key, zeroed),
            AuthProtocol.HmacSha1 => HMACSHA1.HashData(key, zeroed),
            AuthProtocol.HmacSha224 => Sha224.Hmac(key, zeroed),
            AuthProtocol.HmacSha256 => HMACSHA256.HashData(key, zeroed),
            AuthProtocol.HmacSha384 => HMACSHA384.HashData(key, zeroed),
            _ => HMACSHA512.HashData(key, zeroed),
        };
#pragma warning restore CA5350, CA5351
        Assert.Equal(full[..macLength], message[Offset..(Offset + macLength)]);
        Assert.Equal(zeroed[..Offset], message[..Offset]);
        Assert.Equal(zeroed[(Offset + macLength)..], message[(Offset + macLength)..]);
        Assert.True(UsmAuthentication.Verify(protocol, key, message, Offset, macLength));
        Assert.True(UsmAuthentication.Verify(protocol, key, message, Offset));
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Verify_of_sign_is_true_and_flipping_any_bit_of_the_message_or_the_MAC_makes_it_false(AuthProtocol protocol)
    {
        byte[] key = KeyOf(protocol);
        int macLength = protocol.MacLength();
        Gen.Byte.Array[0, 300].Select(Gen.Int[0, 300], Gen.Int[0, int.MaxValue]).Sample((body, offsetSeed, bitSeed) =>
        {
            byte[] message = [.. body, .. new byte[macLength]];
            int offset = offsetSeed % (body.Length + 1);
            UsmAuthentication.Sign(protocol, key, message, offset);
            Assert.True(UsmAuthentication.Verify(protocol, key, message, offset, macLength));

            int bit = bitSeed % (message.Length * 8);
            message[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(UsmAuthentication.Verify(protocol, key, message, offset, macLength));
            message[bit / 8] ^= (byte)(1 << (bit % 8));

            int macBit = bitSeed % (macLength * 8);
            message[offset + (macBit / 8)] ^= (byte)(1 << (macBit % 8));
            Assert.False(UsmAuthentication.Verify(protocol, key, message, offset, macLength));
        }, iter: 100, seed: "0000F3X9Yh8b");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Another_key_or_another_protocol_does_not_verify(AuthProtocol protocol)
    {
        byte[] message = RandomNumberGenerator.GetBytes(120);
        UsmAuthentication.Sign(protocol, KeyOf(protocol), message, 10);
        byte[] otherKey = UsmKeys.Localize(protocol, UsmKeys.PasswordToKey(protocol, "authpass124"), s_rfcEngineId);

        Assert.False(UsmAuthentication.Verify(protocol, otherKey, message, 10, protocol.MacLength()));
        AuthProtocol other = protocol == AuthProtocol.HmacMd5 ? AuthProtocol.HmacSha1 : AuthProtocol.HmacMd5;
        Assert.False(UsmAuthentication.Verify(other, KeyOf(other), message, 10, other.MacLength()));
    }

    [Fact]
    public void Malformed_arguments_make_verify_false_not_throw()
    {
        byte[] key = KeyOf(AuthProtocol.HmacSha256);
        byte[] message = new byte[64];
        UsmAuthentication.Sign(AuthProtocol.HmacSha256, key, message, 8);

        Assert.False(UsmAuthentication.Verify(AuthProtocol.HmacSha256, key, message, 8, 12)); // a 12-byte MAC with SHA-256
        Assert.False(UsmAuthentication.Verify(AuthProtocol.HmacSha256, key, message, -1, 24));
        Assert.False(UsmAuthentication.Verify(AuthProtocol.HmacSha256, key, message, 50, 24)); // past the end
        Assert.False(UsmAuthentication.Verify(AuthProtocol.HmacSha256, key, message, int.MaxValue, 24));
        Assert.False(UsmAuthentication.Verify(AuthProtocol.HmacSha256, [], message, 8, 24));
        Assert.False(UsmAuthentication.Verify(AuthProtocol.None, key, message, 8, 0));
        Assert.False(UsmAuthentication.Verify(AuthProtocol.None, key, message, 8));
        Assert.False(UsmAuthentication.Verify((AuthProtocol)99, key, message, 8, 24));
    }

    [Fact]
    public void Sign_refuses_no_protocol_an_empty_key_and_a_slot_outside_the_message()
    {
        byte[] message = new byte[40];

        Assert.Throws<ArgumentException>(() => UsmAuthentication.Sign(AuthProtocol.None, new byte[16], message, 0));
        Assert.Throws<ArgumentException>(() => UsmAuthentication.Sign(AuthProtocol.HmacMd5, [], message, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => UsmAuthentication.Sign(AuthProtocol.HmacSha512, new byte[64], message, 0));
    }
}
