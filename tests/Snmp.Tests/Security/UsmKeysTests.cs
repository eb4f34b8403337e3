using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Network.Snmp.Security;

namespace Network.Snmp.Tests.Security;

public class UsmKeysTests
{
    private const string RfcPassword = "maplesyrup";
    private static readonly byte[] s_rfcEngineId = Convert.FromHexString("000000000000000000000002");

    [Theory]
    // RFC 3414 appendix A.3.1 (MD5) and A.3.2 (SHA), verbatim: password "maplesyrup", engine ID 00...02.
    [InlineData("A.3.1 MD5", AuthProtocol.HmacMd5, "9faf3283884e92834ebc9847d8edd963", "526f5eed9fcce26f8964c2930787d82b")]
    [InlineData("A.3.2 SHA", AuthProtocol.HmacSha1, "9fb5cc0381497b3793528939ff788d5d79145211", "6695febc9288e36282235fc7151f128497b38f3f")]
    public void Password_to_key_and_localization_match_RFC_3414_appendix_A3(string description, AuthProtocol protocol, string ku, string kul)
    {
        byte[] key = UsmKeys.PasswordToKey(protocol, RfcPassword);
        byte[] localized = UsmKeys.Localize(protocol, key, s_rfcEngineId);

        Assert.True(Convert.FromHexString(ku).AsSpan().SequenceEqual(key), description + " Ku");
        Assert.True(Convert.FromHexString(kul).AsSpan().SequenceEqual(localized), description + " Kul");
    }

    [Theory]
    // Oracle: net-snmp 5.9.3 snmpd, "createUser NAME AUTH AUTHPASS PRIV PRIVPASS" with "exactEngineID", run once; the
    // localized keys it then stored in its persistent snmpd.conf (usmUser lines). Its AES192/AES256 are the Blumenthal
    // extension, AES192C/AES256C the Reeder one.
    [InlineData("SHA-256 AES256", "000000000000000000000002", "SHA-256", "maplesyrup", "AES256", "maplesyrup",
        "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b", "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b")]
    [InlineData("SHA-512 AES192 (truncated)", "000000000000000000000002", "SHA-512", "maplesyrup", "AES192", "maplesyrup",
        "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b",
        "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdf")]
    [InlineData("MD5 AES256 (Blumenthal, 16 + 16)", "000000000000000000000002", "MD5", "maplesyrup", "AES256", "maplesyrup",
        "526f5eed9fcce26f8964c2930787d82b", "526f5eed9fcce26f8964c2930787d82bfa24a92467426c2f4b09192be10dfaec")]
    [InlineData("SHA AES192 (Blumenthal, 20 + 4)", "000000000000000000000002", "SHA", "maplesyrup", "AES192", "maplesyrup",
        "6695febc9288e36282235fc7151f128497b38f3f", "6695febc9288e36282235fc7151f128497b38f3f505e07eb")]
    [InlineData("SHA AES256C (Reeder, 20 + 12)", "000000000000000000000002", "SHA", "maplesyrup", "AES256C", "maplesyrup",
        "6695febc9288e36282235fc7151f128497b38f3f", "6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c")]
    [InlineData("MD5 AES192C (Reeder, 16 + 8)", "000000000000000000000002", "MD5", "maplesyrup", "AES192C", "maplesyrup",
        "526f5eed9fcce26f8964c2930787d82b", "526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0")]
    [InlineData("MD5 AES256C (Reeder, 16 + 16)", "000000000000000000000002", "MD5", "maplesyrup", "AES256C", "maplesyrup",
        "526f5eed9fcce26f8964c2930787d82b", "526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0a3a40abfac5acc12")]
    [InlineData("SHA-224 AES256 (Blumenthal, 28 + 4)", "000000000000000000000002", "SHA-224", "maplesyrup", "AES256", "maplesyrup",
        "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674", "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674e82d9bf0")]
    [InlineData("SHA-384 DES (truncated)", "000000000000000000000002", "SHA-384", "maplesyrup", "DES", "maplesyrup",
        "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f0455a53689a3937eea07319a633d2ccba78", "3b298f16164a11184279d5432bf169e2")]
    [InlineData("SHA-256 AES, other pass phrases", "80001f8880e9630000d61ff449", "SHA-256", "maplesyrup", "AES", "syrupmaple",
        "839beaa61ac06331c0345a18f9e1ed5e7528c41d7a36d89f4916127ca914827a", "23b0945726fd15afcbe4dc862c09e824")]
    [InlineData("SHA-512 AES256C, other pass phrases", "80001f8880e9630000d61ff449", "SHA-512", "authpass512", "AES256C", "privpass512",
        "13f04e410114887b2a3d5c7ad7bd0230e6ca96a92e9890e1ddbb6aed79aecabe1661a562e19f195c8cb626c09e838f50528e6f9c212f0007f83edec873fd0c61",
        "e7e66527d627870b35e7532691ad836ba1755e25c7a83ad503696124a3f8071d")]
    [InlineData("SHA-224 DES, other pass phrases", "80001f8880e9630000d61ff449", "SHA-224", "authpass224", "DES", "privpass224",
        "364e1c5bd7af0c6bdb37134e91953b3fa065608f402ac0808c35d2f2", "ccbb712f907e5e8717aec7d23ee7887d")]
    [InlineData("SHA-384 AES256, other pass phrases", "80001f8880e9630000d61ff449", "SHA-384", "authpass384", "AES256", "privpass384",
        "912a4a5f2291b0ebe1985e47de2695dbaedcc846efed11b12e59561b5c0aa7427ded29d94147b0689ce8a87249eb0e9d",
        "b6611d2fefe2bb70c7229ab3330df436d8ef75e1b5f3c0f01ec415821cb89f3c")]
    public void Localized_keys_match_net_snmp(string description, string engineId, string auth, string authPassword, string priv, string privPassword, string authKey, string privKey)
    {
        LocalizedKeys keys = UsmKeys.Derive(AuthProtocols.Parse(auth), authPassword, PrivProtocols.Parse(priv), privPassword, Convert.FromHexString(engineId));

        Assert.True(Convert.FromHexString(authKey).AsSpan().SequenceEqual(keys.AuthKey), description + " auth key " + Convert.ToHexString(keys.AuthKey));
        Assert.True(Convert.FromHexString(privKey).AsSpan().SequenceEqual(keys.PrivKey), description + " priv key " + Convert.ToHexString(keys.PrivKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("7-chars")]
    public void A_pass_phrase_shorter_than_eight_characters_is_refused(string password)
    {
        foreach (AuthProtocol protocol in (AuthProtocol[])[AuthProtocol.HmacMd5, AuthProtocol.HmacSha256])
        {
            var error = Assert.Throws<ArgumentException>(() => UsmKeys.PasswordToKey(protocol, password));
            Assert.Contains("at least 8 characters", error.Message, StringComparison.Ordinal);
            Assert.Equal("password", error.ParamName);
            Assert.Throws<ArgumentException>(() => UsmKeys.PasswordToKey(protocol, Encoding.UTF8.GetBytes(password)));
        }

        Assert.Throws<ArgumentException>(() => UsmKeys.Derive(AuthProtocol.HmacSha1, "longenough", PrivProtocol.Aes128, password, s_rfcEngineId));
    }

    [Fact]
    public void Eight_characters_are_enough()
    {
        Assert.Equal(20, UsmKeys.PasswordToKey(AuthProtocol.HmacSha1, "12345678").Length);
    }

    [Fact]
    public void Streamed_expansion_equals_the_plain_one_megabyte_buffer_for_any_pass_phrase_length()
    {
        // The RFC's definition, literally: the pass phrase repeated to 1,048,576 bytes, hashed at once. Lengths around
        // the 4096-byte chunk and beyond it exercise the chunking.
        Gen.Byte.Array[8, 5000].Select(Gen.OneOf(AuthProtocol.HmacMd5, AuthProtocol.HmacSha1, AuthProtocol.HmacSha256, AuthProtocol.HmacSha512))
            .Sample((password, protocol) =>
            {
                byte[] expanded = new byte[1_048_576];
                for (int i = 0; i < expanded.Length; i++)
                {
                    expanded[i] = password[i % password.Length];
                }

#pragma warning disable CA5350, CA5351
                byte[] expected = protocol switch
                {
                    AuthProtocol.HmacMd5 => MD5.HashData(expanded),
                    AuthProtocol.HmacSha1 => SHA1.HashData(expanded),
                    AuthProtocol.HmacSha256 => SHA256.HashData(expanded),
                    _ => SHA512.HashData(expanded),
                };
#pragma warning restore CA5350, CA5351

                Assert.Equal(expected, UsmKeys.PasswordToKey(protocol, password));
            }, iter: 12, seed: "0000F3X9Yh8b");
    }

    [Fact]
    public void Extended_keys_have_the_cipher_length_and_start_with_the_localized_key()
    {
        AuthProtocol[] auths = [AuthProtocol.HmacMd5, AuthProtocol.HmacSha1, AuthProtocol.HmacSha224, AuthProtocol.HmacSha256, AuthProtocol.HmacSha384, AuthProtocol.HmacSha512];
        Gen.OneOf(auths).Select(Gen.Byte.Array[5, 32], Gen.Int[1, 100]).Sample((auth, engineId, needed) =>
        {
            byte[] kul = RandomNumberGenerator.GetBytes(auth.HashLength());

            byte[] blumenthal = UsmKeys.ExtendBlumenthal(auth, kul, needed);
            byte[] reeder = UsmKeys.ExtendReeder(auth, kul, engineId, needed);

            Assert.Equal(needed, blumenthal.Length);
            Assert.Equal(needed, reeder.Length);
            int shared = Math.Min(needed, kul.Length);
            Assert.Equal(kul[..shared], blumenthal[..shared]);
            Assert.Equal(kul[..shared], reeder[..shared]);
            if (needed - kul.Length >= 8)
            {
                // The two drafts extend differently; compared over 8 octets or more, since over 1 octet two random
                // extensions are equal one time in 256 (CI met it).
                Assert.NotEqual(blumenthal[kul.Length..], reeder[kul.Length..]);
            }
        }, iter: 60, seed: "0000F3X9Yh8b");
    }

    [Fact]
    public void Blumenthal_appends_the_hash_of_everything_so_far()
    {
        // Kul' = Kul || H(Kul) || H(Kul || H(Kul)), checked with the runtime's SHA-1 on a 20-byte key extended to 60.
        byte[] kul = Convert.FromHexString("6695febc9288e36282235fc7151f128497b38f3f");
#pragma warning disable CA5350
        byte[] first = SHA1.HashData(kul);
        byte[] second = SHA1.HashData([.. kul, .. first]);
#pragma warning restore CA5350

        Assert.Equal([.. kul, .. first, .. second], UsmKeys.ExtendBlumenthal(AuthProtocol.HmacSha1, kul, 60));
    }

    [Fact]
    public void Reeder_appends_the_localized_key_of_the_localized_key()
    {
        byte[] kul = Convert.FromHexString("526f5eed9fcce26f8964c2930787d82b");
        byte[] second = UsmKeys.Localize(AuthProtocol.HmacMd5, UsmKeys.PasswordToKey(AuthProtocol.HmacMd5, kul), s_rfcEngineId);

        Assert.Equal([.. kul, .. second], UsmKeys.ExtendReeder(AuthProtocol.HmacMd5, kul, s_rfcEngineId, 32));
    }

    [Fact]
    public void A_master_key_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => UsmKeys.Localize(AuthProtocol.HmacSha256, new byte[20], s_rfcEngineId));
    }

    [Fact]
    public void No_authentication_gives_empty_keys_and_privacy_without_authentication_is_refused()
    {
        LocalizedKeys none = UsmKeys.Derive(AuthProtocol.None, "", PrivProtocol.None, "", s_rfcEngineId);

        Assert.Empty(none.AuthKey);
        Assert.Empty(none.PrivKey);
        Assert.Equal("LocalizedKeys (hidden)", none.ToString());
        Assert.Throws<ArgumentException>(() => UsmKeys.Derive(AuthProtocol.None, "", PrivProtocol.Aes128, "privpass123", s_rfcEngineId));
    }
}
