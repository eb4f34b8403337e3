using Network.CaptivePortal.Gateway;

namespace Network.CaptivePortal.Tests.Gateway;

public class ChilliPapTests
{
    private static readonly byte[] s_challenge = Convert.FromHexString("00112233445566778899aabbccddeeff");

    // Derived by hand from the definition: key = MD5(00112233445566778899aabbccddeeff || "uamsecret")
    // = 5123f6c2e8e2f1326c60bc84bbcc1b7f; the password, zero-padded to 16-byte blocks, XOR the key in every block.
    [Theory]
    [InlineData("one block, padded", "password", "214285b19f8d83566c60bc84bbcc1b7f")]
    [InlineData("exactly one block", "exactly16bytes!!", "345b97a19c8e88035a02c5f0debf3a5e")]
    [InlineData("two blocks, the same key again", "Flagey-2026-wifi!", "174f97a58d9bdc005c528aa9cca57d167023f6c2e8e2f1326c60bc84bbcc1b7f")]
    public void Encodes_as_CoovaChilli_decodes(string description, string password, string hex)
    {
        Assert.Equal("5123f6c2e8e2f1326c60bc84bbcc1b7f", Convert.ToHexStringLower(ChilliPap.Key(s_challenge, "uamsecret")));
        Assert.True(hex == ChilliPap.Encode(password, s_challenge, "uamsecret"), description);
        Assert.Equal(password, ChilliPap.Decode(hex, s_challenge, "uamsecret"));
    }

    [Fact]
    public void Another_secret_or_challenge_gives_another_encoding()
    {
        string encoded = ChilliPap.Encode("password", s_challenge, "uamsecret");
        byte[] other = (byte[])s_challenge.Clone();
        other[15] ^= 1;

        Assert.NotEqual(encoded, ChilliPap.Encode("password", s_challenge, "uamsecreT"));
        Assert.NotEqual(encoded, ChilliPap.Encode("password", other, "uamsecret"));
    }

    [Fact]
    public void A_challenge_that_is_not_16_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ChilliPap.Encode("password", new byte[15], "uamsecret"));
        Assert.Throws<FormatException>(() => ChilliPap.Decode("00", s_challenge, "uamsecret"));
    }
}
