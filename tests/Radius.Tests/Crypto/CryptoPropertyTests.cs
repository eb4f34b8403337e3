using CsCheck;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Packets;
using Network.Radius.Tests.Codec;

namespace Network.Radius.Tests.Crypto;

/// <summary>Hide/unhide round trips; every authenticator verifies, and fails when any single octet of the packet flips.</summary>
public sealed class CryptoPropertyTests
{
    private static readonly Gen<byte[]> s_secret = Gen.Byte.Array[1, 64];

    [Fact]
    public void Hidden_passwords_unhide_to_themselves()
    {
        // Passwords without trailing NULs: RFC 2865 section 5.2 padding is indistinguishable from them.
        Gen<byte[]> password = Gen.Byte[1, 255].Array[0, 128];
        RadiusGen.ForAll(Gen.Select(password, s_secret, RadiusGen.Authenticator), 5_000, seed: 52, t =>
        {
            (byte[] pw, byte[] secret, byte[] authenticator) = t;
            byte[] hidden = UserPassword.Hide(pw, secret, authenticator);
            Assert.Equal(UserPassword.HiddenLength(pw.Length), hidden.Length);
            Assert.True(hidden.Length % 16 == 0 && hidden.Length is >= 16 and <= 128);
            Assert.True(UserPassword.TryUnhide(hidden, secret, authenticator, out byte[] back));
            Assert.Equal(pw, back);
            // The receive loop's way, into a buffer of its own: the same octets, and nothing written past the hidden length.
            byte[] buffer = new byte[UserPassword.MaxLength + 1];
            buffer.AsSpan().Fill(0xA5);
            Assert.True(UserPassword.TryUnhide(hidden, secret, authenticator, buffer, out int length));
            Assert.Equal(pw, buffer[..length]);
            Assert.All(buffer[hidden.Length..], b => Assert.Equal(0xA5, b));
        });
    }

    [Fact]
    public void Malformed_hidden_passwords_are_refused_not_thrown()
    {
        byte[] authenticator = new byte[16];
        foreach (int length in new[] { 0, 1, 15, 17, 31, 129, 144, 253 })
        {
            Assert.False(UserPassword.TryUnhide(new byte[length], "s"u8, authenticator, out _));
            Assert.False(UserPassword.TryUnhide(new byte[length], "s"u8, authenticator, new byte[UserPassword.MaxLength], out _));
        }

        // A destination shorter than the hidden value is refused too, not overrun.
        Assert.False(UserPassword.TryUnhide(new byte[32], "s"u8, authenticator, new byte[16], out _));

        Assert.Throws<ArgumentException>(() => UserPassword.Hide(new byte[129], "s"u8, authenticator));
    }

    [Fact]
    public void Replies_verify_and_fail_on_any_flipped_octet()
    {
        RadiusGen.ForAll(Gen.Select(RadiusGen.Packet, s_secret, RadiusGen.Authenticator, Gen.Int, Gen.Int[0, 7]), 1_500, seed: 3596, t =>
        {
            (RadiusPacket packet, byte[] secret, byte[] requestAuthenticator, int where, int bit) = t;
            packet.Code = RadiusCode.AccessAccept;
            while (RadiusCodec.GetEncodedLength(packet) > 4096 - 18)
            {
                packet.Attributes.RemoveAt(0);
            }

            byte[] wire = PacketSigner.EncodeResponse(packet, requestAuthenticator, secret);
            Assert.True(ResponseAuthenticator.Verify(wire, requestAuthenticator, secret));
            Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, secret, requestAuthenticator));

            int at = (int)((uint)where % (uint)wire.Length);
            if (at is 2 or 3)
            {
                at = 1; // a flipped Length field makes the packet unframed: covered by the fuzz test
            }

            wire[at] ^= (byte)(1 << bit);
            Assert.False(ResponseAuthenticator.Verify(wire, requestAuthenticator, secret));
            if (at is < 4 or >= 20)
            {
                // The Message-Authenticator of a reply does not cover the Response Authenticator (octets 4-19).
                Assert.NotEqual(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, secret, requestAuthenticator));
            }
        });
    }

    [Fact]
    public void Accounting_CoA_and_Disconnect_requests_verify_and_fail_on_any_flipped_octet()
    {
        Gen<RadiusCode> code = Gen.OneOf(Gen.Const(RadiusCode.AccountingRequest), Gen.Const(RadiusCode.CoaRequest), Gen.Const(RadiusCode.DisconnectRequest));
        RadiusGen.ForAll(Gen.Select(RadiusGen.Packet, s_secret, code, Gen.Int, Gen.Int[0, 7]), 1_500, seed: 5176, t =>
        {
            (RadiusPacket packet, byte[] secret, RadiusCode requestCode, int where, int bit) = t;
            packet.Code = requestCode;
            while (RadiusCodec.GetEncodedLength(packet) > 4096 - 18)
            {
                packet.Attributes.RemoveAt(0);
            }

            byte[] wire = PacketSigner.EncodeRequest(packet, secret);
            Assert.True(RequestAuthenticator.Verify(wire, secret));
            Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, secret));

            int at = (int)((uint)where % (uint)wire.Length);
            if (at is 2 or 3)
            {
                at = 1;
            }

            wire[at] ^= (byte)(1 << bit);
            Assert.False(RequestAuthenticator.Verify(wire, secret));
            if (at is < 4 or >= 20)
            {
                Assert.NotEqual(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, secret));
            }
        });
    }

    [Fact]
    public void Access_Requests_fail_their_Message_Authenticator_on_any_flipped_octet()
    {
        RadiusGen.ForAll(Gen.Select(RadiusGen.Packet, s_secret, Gen.Int, Gen.Int[0, 7]), 1_500, seed: 3579, t =>
        {
            (RadiusPacket packet, byte[] secret, int where, int bit) = t;
            packet.Code = RadiusCode.AccessRequest;
            while (RadiusCodec.GetEncodedLength(packet) > 4096 - 18)
            {
                packet.Attributes.RemoveAt(0);
            }

            byte[] wire = PacketSigner.EncodeRequest(packet, secret);
            Assert.Equal(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, secret));

            int at = (int)((uint)where % (uint)wire.Length);
            if (at is 2 or 3)
            {
                at = 1;
            }

            wire[at] ^= (byte)(1 << bit);
            Assert.NotEqual(MessageAuthenticatorStatus.Valid, MessageAuthenticator.Verify(wire, secret));
        });
    }
}
