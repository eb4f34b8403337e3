using System.Security.Cryptography;
using CsCheck;
using Network.Snmp.Security;

namespace Network.Snmp.Tests.Security;

public class UsmPrivacyTests
{
    // NIST SP 800-38A F.3 plaintext (four blocks) and IV 000102...0f. The USM builds the IV from boots, time and salt
    // (RFC 3826 section 3.1.2.1), so boots = 0x00010203, time = 0x04050607 and salt = 08090a0b0c0d0e0f carry its bytes.
    private const string NistPlaintext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
    private const int NistBoots = 0x00010203;
    private const int NistTime = 0x04050607;
    private static readonly byte[] s_nistSalt = Convert.FromHexString("08090a0b0c0d0e0f");

    public static TheoryData<PrivProtocol> Protocols() =>
        [PrivProtocol.Des, PrivProtocol.Aes128, PrivProtocol.Aes192, PrivProtocol.Aes256, PrivProtocol.Aes192Reeder, PrivProtocol.Aes256Reeder];

    [Theory]
    // F.3.13 CFB128-AES128.Encrypt, F.3.15 CFB128-AES192.Encrypt, F.3.17 CFB128-AES256.Encrypt (and F.3.14/16/18 decrypt).
    [InlineData("F.3.13", PrivProtocol.Aes128, "2b7e151628aed2a6abf7158809cf4f3c",
        "3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b26751f67a3cbb140b1808cf187a4f4dfc04b05357c5d1c0eeac4c66f9ff7f2e6")]
    [InlineData("F.3.15", PrivProtocol.Aes192, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
        "cdc80d6fddf18cab34c25909c99a417467ce7f7f81173621961a2b70171d3d7a2e1e8a1dd59b88b1c8e60fed1efac4c9c05f9f9ca9834fa042ae8fba584b09ff")]
    [InlineData("F.3.17", PrivProtocol.Aes256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "dc7e84bfda79164b7ecd8486985d386039ffed143b28b1c832113c6331e5407bdf10132415e54b92a13ed0a8267ae2f975a385741ab9cef82031623d55b1e471")]
    public void Aes_cfb_matches_NIST_SP_800_38A(string description, PrivProtocol protocol, string key, string ciphertext)
    {
        byte[] k = Convert.FromHexString(key);
        byte[] plain = Convert.FromHexString(NistPlaintext);
        byte[] cipher = Convert.FromHexString(ciphertext);

        Assert.True(cipher.AsSpan().SequenceEqual(UsmPrivacy.Encrypt(protocol, k, NistBoots, NistTime, s_nistSalt, plain)), description + " encrypt");
        Assert.True(plain.AsSpan().SequenceEqual(UsmPrivacy.Decrypt(protocol, k, NistBoots, NistTime, s_nistSalt, cipher)), description + " decrypt");

        // CFB needs no padding: any prefix of the plaintext encrypts to the same prefix of the ciphertext (a short last segment).
        foreach (int length in (int[])[0, 1, 15, 17, 37, 63])
        {
            Assert.True(cipher.AsSpan(0, length).SequenceEqual(UsmPrivacy.Encrypt(protocol, k, NistBoots, NistTime, s_nistSalt, plain.AsSpan(0, length))), $"{description} encrypt {length}");
            Assert.True(plain.AsSpan(0, length).SequenceEqual(UsmPrivacy.Decrypt(protocol, k, NistBoots, NistTime, s_nistSalt, cipher.AsSpan(0, length))), $"{description} decrypt {length}");
        }
    }

    [Theory]
    // Oracle: OpenSSL 3 "openssl enc -des-cbc -nopad -K 526f5eed9fcce26f -iv 8964c2920787d829" (legacy provider).
    // Key: RFC 3414 A.3.1's MD5 Kul; DES key its first 8 bytes, pre-IV the last 8; salt = boots 1 || counter 2;
    // IV = pre-IV XOR salt (RFC 3414 section 8.1.1.1). The 21-byte plaintext is padded with zeros to 24.
    [InlineData("24 bytes", "534e4d5076332053636f7065645044552062797465732e2e", "9015ca94a5ef1a142a7a97e631db62fb1783a3a3e57af166")]
    [InlineData("21 bytes, padded", "612032312d627974652053636f7065645044552121", "77ec3449ee5b14fbfe36c0dc3cf345328b5f326e9b05cad1")]
    public void Des_cbc_matches_OpenSSL(string description, string plaintext, string ciphertext)
    {
        byte[] key = Convert.FromHexString("526f5eed9fcce26f8964c2930787d82b");
        byte[] salt = Convert.FromHexString("0000000100000002");
        byte[] plain = Convert.FromHexString(plaintext);
        byte[] cipher = Convert.FromHexString(ciphertext);

        byte[] encrypted = UsmPrivacy.Encrypt(PrivProtocol.Des, key, 1, 0, salt, plain);
        byte[] decrypted = UsmPrivacy.Decrypt(PrivProtocol.Des, key, 1, 0, salt, cipher);

        Assert.True(cipher.AsSpan().SequenceEqual(encrypted), description);
        Assert.True(plain.AsSpan().SequenceEqual(decrypted.AsSpan(0, plain.Length)), description);
        Assert.All(decrypted[plain.Length..], b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Decrypt_of_encrypt_is_the_plaintext_for_any_length_key_boots_and_time(PrivProtocol protocol)
    {
        var salts = new UsmSaltGenerator(0x0123456789abcdef);
        Gen.Byte.Array[0, 600].Select(Gen.Byte.Array[protocol.KeyLength()], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Sample((plain, key, boots, time) =>
        {
            byte[] salt = new byte[8];
            salts.NextPrivacyParameters(protocol, boots, salt);

            byte[] cipher = UsmPrivacy.Encrypt(protocol, key, boots, time, salt, plain);
            byte[] back = UsmPrivacy.Decrypt(protocol, key, boots, time, salt, cipher);

            Assert.Equal(UsmPrivacy.CiphertextLength(protocol, plain.Length), cipher.Length);
            Assert.Equal(protocol == PrivProtocol.Des ? (plain.Length + 7) / 8 * 8 : plain.Length, cipher.Length);
            Assert.Equal(plain, back[..plain.Length]); // DES keeps its padding; the ScopedPDU carries its own length

            Span<byte> spanCipher = new byte[cipher.Length];
            Span<byte> spanPlain = new byte[cipher.Length];
            Assert.Equal(cipher.Length, UsmPrivacy.Encrypt(protocol, key, boots, time, salt, plain, spanCipher));
            Assert.Equal(cipher.Length, UsmPrivacy.Decrypt(protocol, key, boots, time, salt, cipher, spanPlain));
            Assert.True(spanCipher.SequenceEqual(cipher));
            Assert.True(spanPlain.SequenceEqual(back));
        }, iter: 150, seed: "0000F3X9Yh8b");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Another_key_salt_boots_or_time_does_not_decrypt(PrivProtocol protocol)
    {
        byte[] key = UsmKeys.PrivacyKey(AuthProtocol.HmacSha1, protocol, "privpass123", Convert.FromHexString("000000000000000000000002"));
        byte[] other = UsmKeys.PrivacyKey(AuthProtocol.HmacSha1, protocol, "privpass124", Convert.FromHexString("000000000000000000000002"));
        byte[] plain = RandomNumberGenerator.GetBytes(100);

        byte[] cipher = UsmPrivacy.Encrypt(protocol, key, 7, 1234, plain, out byte[] salt);
        byte[] otherSalt = (byte[])salt.Clone();
        otherSalt[7] ^= 1;

        Assert.Equal(8, salt.Length);
        Assert.NotEqual(plain, cipher[..plain.Length]);
        Assert.Equal(plain, UsmPrivacy.Decrypt(protocol, key, 7, 1234, salt, cipher)[..plain.Length]);
        Assert.NotEqual(plain, UsmPrivacy.Decrypt(protocol, other, 7, 1234, salt, cipher)[..plain.Length]);
        Assert.NotEqual(plain, UsmPrivacy.Decrypt(protocol, key, 7, 1234, otherSalt, cipher)[..plain.Length]);
        if (protocol != PrivProtocol.Des)
        {
            // DES does not use boots and time in the IV (its salt carries the sender's boots instead).
            Assert.NotEqual(plain, UsmPrivacy.Decrypt(protocol, key, 8, 1234, salt, cipher)[..plain.Length]);
            Assert.NotEqual(plain, UsmPrivacy.Decrypt(protocol, key, 7, 1235, salt, cipher)[..plain.Length]);
        }
    }

    [Fact]
    public void Bad_inputs_are_cryptographic_errors_not_crashes()
    {
        Assert.Throws<CryptographicException>(() => UsmPrivacy.Decrypt(PrivProtocol.Aes128, new byte[16], 1, 1, new byte[7], new byte[20]));
        Assert.Throws<CryptographicException>(() => UsmPrivacy.Decrypt(PrivProtocol.Des, new byte[16], 1, 1, new byte[8], new byte[13]));
        Assert.Throws<CryptographicException>(() => UsmPrivacy.Decrypt(PrivProtocol.Aes256, new byte[16], 1, 1, new byte[8], new byte[20]));
        Assert.Throws<ArgumentException>(() => UsmPrivacy.Decrypt(PrivProtocol.None, new byte[16], 1, 1, new byte[8], new byte[20]));
        Assert.Throws<ArgumentException>(() => UsmPrivacy.Encrypt(PrivProtocol.Aes128, new byte[16], 1, 1, new byte[8], new byte[20], new byte[19]));
    }

    [Fact]
    public void Salt_counter_starts_where_told_and_lays_out_the_salt_as_each_RFC_says()
    {
        var salts = new UsmSaltGenerator(0x1122334455667788);
        byte[] aes = new byte[8];
        byte[] des = new byte[8];

        salts.NextPrivacyParameters(PrivProtocol.Aes128, 5, aes);
        salts.NextPrivacyParameters(PrivProtocol.Des, 0x0a0b0c0d, des);

        Assert.Equal(Convert.FromHexString("1122334455667789"), aes); // RFC 3826 3.1.1.1: the 64-bit counter
        Assert.Equal(Convert.FromHexString("0a0b0c0d5566778a"), des); // RFC 3414 8.1.1.1: boots || 32-bit counter
        Assert.Equal(0UL, new UsmSaltGenerator(ulong.MaxValue).Next()); // wraps
    }

    [Fact]
    public void Salts_never_repeat_across_threads()
    {
        var salts = new UsmSaltGenerator();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<ulong, bool>();

        Parallel.For(0, 20_000, _ => Assert.True(seen.TryAdd(salts.Next(), true)));

        Assert.Equal(20_000, seen.Count);
    }

    [Theory]
    // Oracle: net-snmp 5.9.3 snmpget, "-l authPriv -u oracle -e 0x000000000000000000000002 ... 1.3.6.1.2.1.1.5.0",
    // pass phrases "maplesyrup", the datagram captured as sent. Its USM header reports boots 0 and time 0. Offsets:
    // msgAuthenticationParameters' contents at 59; then msgPrivacyParameters (8 bytes) and the encryptedPDU.
    [InlineData("SHA-256 AES256", "SHA-256", "AES256",
        "30818c020103301102046df81aaa020300ffe304010702010304423040040c00000000000000000000000202010002010004066f7261636c650418a34313b85f7c628b057085e11733de10264c7d3ed6070db30408f4eebbded215cd1b04304871f8b47ae6161f600ee3572926eb58d93981d079bcce0ad403b7bad9b3d5a7f4cd0a4d3558e6a02aaad40c44cf3a9e")]
    [InlineData("MD5 DES", "MD5", "DES",
        "3081800201033011020473780e4e020300ffe304010702010304363034040c00000000000000000000000202010002010004066f7261636c65040c6c82e16fce4584d7b51afa4f040800000001823269e3043061b742908131431a930ab356d7b7c160cbbfa84b120e188a74bbb0ae8db552b6fdab22e2b25426f71caddcf9a06db991")]
    [InlineData("SHA AES192C", "SHA", "AES192C",
        "308180020103301102040e58331c020300ffe304010702010304363034040c00000000000000000000000202010002010004066f7261636c65040c70cecfc292a6489adb349fc904082bd2da5952a86ac804308a45c93d2371c7a74cbac507328e8147327d289fdcf05f31c445846df44ddb91290969339c096d5fec363053c052a64e")]
    public void A_request_from_net_snmp_verifies_and_decrypts(string description, string auth, string priv, string datagram)
    {
        const int MacOffset = 59;
        AuthProtocol a = AuthProtocols.Parse(auth);
        PrivProtocol p = PrivProtocols.Parse(priv);
        byte[] message = Convert.FromHexString(datagram);
        LocalizedKeys keys = UsmKeys.Derive(a, "maplesyrup", p, "maplesyrup", Convert.FromHexString("000000000000000000000002"));
        int saltOffset = MacOffset + a.MacLength() + 2;
        int pduOffset = saltOffset + 8 + 2;

        Assert.True(UsmAuthentication.Verify(a, keys.AuthKey, message, MacOffset, a.MacLength()), description);
        byte[] scopedPdu = UsmPrivacy.Decrypt(p, keys.PrivKey, 0, 0, message.AsSpan(saltOffset, 8), message.AsSpan(pduOffset));

        // A ScopedPDU (SEQUENCE) holding a GetRequest for sysName.0 (OID 1.3.6.1.2.1.1.5.0).
        Assert.Equal(0x30, scopedPdu[0]);
        Assert.True(scopedPdu.AsSpan().IndexOf(Convert.FromHexString("06082b06010201010500")) > 0, description);
        message[^1] ^= 1;
        Assert.False(UsmAuthentication.Verify(a, keys.AuthKey, message, MacOffset, a.MacLength()), description);
    }
}
