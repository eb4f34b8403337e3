using CsCheck;
using Network.Snmp.Security;

namespace Network.Snmp.Tests.Security;

public class UsmCryptoTests
{
    private static readonly byte[] s_rfcEngineId = Convert.FromHexString("000000000000000000000002");

    [Theory]
    // RFC 3414 appendix A.3.1 (MD5) and A.3.2 (SHA), password "maplesyrup".
    [InlineData("A.3.1 MD5", "MD5", "9faf3283884e92834ebc9847d8edd963", "526f5eed9fcce26f8964c2930787d82b")]
    [InlineData("A.3.2 SHA", "SHA", "9fb5cc0381497b3793528939ff788d5d79145211", "6695febc9288e36282235fc7151f128497b38f3f")]
    public void Password_to_key_and_localization_match_RFC_3414_appendix_A3(string description, string protocol, string ku, string kul)
    {
        Assert.True(AuthProtocols.TryParse(protocol, out AuthProtocol auth), description);

        byte[] key = UsmKeys.PasswordToKey(auth, "maplesyrup");
        byte[] localized = UsmKeys.Localize(auth, key, s_rfcEngineId);

        Assert.Equal(ku, Convert.ToHexString(key).ToLowerInvariant());
        Assert.Equal(kul, Convert.ToHexString(localized).ToLowerInvariant());
    }

    [Theory]
    // FIPS 180-4 / NIST examples for SHA-224.
    [InlineData("", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    public void Sha224_matches_the_FIPS_examples(string message, string digest)
    {
        Assert.Equal(digest, Convert.ToHexString(Sha224.Hash(System.Text.Encoding.ASCII.GetBytes(message))).ToLowerInvariant());
    }

    [Fact]
    public void Hmac_sha224_matches_RFC_4231_test_case_2()
    {
        byte[] mac = Sha224.Hmac("Jefe"u8, "what do ya want for nothing?"u8);

        Assert.Equal("a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44", Convert.ToHexString(mac).ToLowerInvariant());
    }

    [Fact]
    public void Aes128_cfb_matches_NIST_SP_800_38A_F3_13()
    {
        // Key and IV of F.3.13; the USM builds the IV from boots, time and salt, so those carry its bytes.
        byte[] key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] salt = Convert.FromHexString("08090a0b0c0d0e0f");
        byte[] plain = Convert.FromHexString("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");

        byte[] cipher = UsmPrivacy.Decrypt(PrivProtocol.Aes128, key, 0x00010203, 0x04050607, salt,
            Convert.FromHexString("3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b"));

        Assert.Equal(plain, cipher);
    }

    [Theory]
    [InlineData(AuthProtocol.HmacMd5, 12)]
    [InlineData(AuthProtocol.HmacSha1, 12)]
    [InlineData(AuthProtocol.HmacSha224, 16)]
    [InlineData(AuthProtocol.HmacSha256, 24)]
    [InlineData(AuthProtocol.HmacSha384, 32)]
    [InlineData(AuthProtocol.HmacSha512, 48)]
    public void Sign_writes_the_truncated_mac_and_any_flipped_bit_fails_verification(AuthProtocol protocol, int macLength)
    {
        byte[] key = UsmKeys.Localize(protocol, UsmKeys.PasswordToKey(protocol, "authpass123"), s_rfcEngineId);
        Gen.Byte.Array[macLength + 10, 300].Select(Gen.Int[0, 10]).Sample((message, offset) =>
        {
            Array.Clear(message, offset, macLength);
            UsmAuthentication.Sign(protocol, key, message, offset);
            Assert.Equal(macLength, UsmAuthentication.MacLength(protocol));
            Assert.True(UsmAuthentication.Verify(protocol, key, message, offset, macLength));

            int bit = message.Length * 8 / 3;
            message[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(UsmAuthentication.Verify(protocol, key, message, offset, macLength));
        }, iter: 50, seed: "0000F3X9Yh8b");
    }

    [Theory]
    [InlineData(PrivProtocol.Des)]
    [InlineData(PrivProtocol.Aes128)]
    [InlineData(PrivProtocol.Aes192)]
    [InlineData(PrivProtocol.Aes256)]
    [InlineData(PrivProtocol.Aes192Reeder)]
    [InlineData(PrivProtocol.Aes256Reeder)]
    public void Decrypt_of_encrypt_gives_the_plaintext_back_and_another_key_does_not(PrivProtocol protocol)
    {
        byte[] key = UsmKeys.PrivacyKey(AuthProtocol.HmacSha1, protocol, "privpass123", s_rfcEngineId);
        byte[] other = UsmKeys.PrivacyKey(AuthProtocol.HmacSha1, protocol, "privpass124", s_rfcEngineId);
        Assert.Equal(protocol.KeyLength(), key.Length);

        Gen.Byte.Array[1, 400].Select(Gen.Int[0, 100_000], Gen.Int[0, 1_000_000]).Sample((plain, boots, time) =>
        {
            byte[] cipher = UsmPrivacy.Encrypt(protocol, key, boots, time, plain, out byte[] salt);
            byte[] back = UsmPrivacy.Decrypt(protocol, key, boots, time, salt, cipher);
            byte[] wrong = UsmPrivacy.Decrypt(protocol, other, boots, time, salt, cipher);

            Assert.Equal(plain, back[..plain.Length]); // DES pads to 8 bytes; the ScopedPDU carries its own length
            Assert.NotEqual(plain, wrong[..plain.Length]);
            Assert.NotEqual(plain, cipher[..plain.Length]);
        }, iter: 40, seed: "0000F3X9Yh8b");
    }

    [Fact]
    public void Blumenthal_extension_keeps_the_localized_key_as_its_prefix()
    {
        byte[] kul = UsmKeys.Localize(AuthProtocol.HmacSha1, UsmKeys.PasswordToKey(AuthProtocol.HmacSha1, "privpass123"), s_rfcEngineId);

        byte[] aes256 = UsmKeys.PrivacyKey(AuthProtocol.HmacSha1, PrivProtocol.Aes256, "privpass123", s_rfcEngineId);
        byte[] reeder = UsmKeys.PrivacyKey(AuthProtocol.HmacSha1, PrivProtocol.Aes256Reeder, "privpass123", s_rfcEngineId);

        Assert.Equal(kul, aes256[..20]);
        Assert.Equal(kul, reeder[..20]);
        Assert.NotEqual(aes256[20..], reeder[20..]); // the two drafts extend differently
    }

    [Fact]
    public void A_pass_phrase_shorter_than_eight_characters_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => UsmKeys.PasswordToKey(AuthProtocol.HmacSha256, "short"));

        Assert.Contains("at least 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_with_a_salt_of_the_wrong_length_is_a_cryptographic_error_not_a_crash()
    {
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            UsmPrivacy.Decrypt(PrivProtocol.Aes128, new byte[16], 1, 1, new byte[7], new byte[20]));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            UsmPrivacy.Decrypt(PrivProtocol.Des, new byte[16], 1, 1, new byte[8], new byte[13]));
    }
}
