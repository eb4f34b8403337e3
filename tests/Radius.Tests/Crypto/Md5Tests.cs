using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Network.Radius.Crypto;
using Network.Radius.Tests.Codec;

namespace Network.Radius.Tests.Crypto;

#pragma warning disable CA5351 // the platform's MD5 and HMAC-MD5 are the reference for the algorithm RADIUS mandates

/// <summary>The managed MD5 and HMAC-MD5 against the RFCs' vectors, and against the platform's (OpenSSL's) implementation.</summary>
public sealed class Md5Tests
{
    // RFC 1321 appendix A.5, the test suite, verbatim.
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void Rfc_1321_test_suite(string message, string digest)
    {
        Span<byte> hash = stackalloc byte[Md5.HashLength];
        Md5.Hash(Encoding.ASCII.GetBytes(message), default, default, default, hash);
        Assert.Equal(digest, Convert.ToHexStringLower(hash));
    }

    // RFC 2202 section 2, HMAC-MD5 test cases 1 to 7 (key, data, digest); cases 6 and 7 have an 80-octet key, hashed first.
    [Theory]
    [InlineData("1: 16-octet key", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "9294727a3638bb1c13f48ef8158bfc9d")]
    [InlineData("2: short key", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "750c783e6ab0b503eaa86e310a5db738")]
    [InlineData("3: 50 octets of 0xdd", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "56be34521d144c88dbb8c733f0e8b3f6")]
    [InlineData("4: 25-octet key", "0102030405060708090a0b0c0d0e0f10111213141516171819", "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", "697eaf0aca3a3aea3a75164746ffaa79")]
    [InlineData("5: truncation case (full digest)", "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e", "56461ef2342edc00f9bab995690efd4c")]
    [InlineData("6: 80-octet key", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd")]
    [InlineData("7: 80-octet key, 73 octets of data", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b657920616e64204c6172676572205468616e204f6e6520426c6f636b2d53697a652044617461", "6f630fad67cda0ee1fb1f562db3aa53e")]
    public void Rfc_2202_hmac_md5_test_cases(string description, string key, string data, string digest)
    {
        var hmac = new HmacMd5Key(Convert.FromHexString(key));
        Md5 inner = hmac.Start();
        inner.Append(Convert.FromHexString(data));
        byte[] mac = new byte[Md5.HashLength];
        hmac.Finish(ref inner, mac);
        Assert.True(digest == Convert.ToHexStringLower(mac), description);
    }

    [Fact]
    public void Same_digest_as_the_platform_for_any_input_cut_anywhere()
    {
        // Lengths around every block and padding boundary (55, 56, 63, 64, 119, 120...), fed in up to four pieces.
        Gen<(byte[], int, int, int)> input = Gen.Byte.Array[0, 300].SelectMany(b => Gen.Select(Gen.Const(b), Gen.Int[0, b.Length], Gen.Int[0, b.Length], Gen.Int[0, b.Length]));
        RadiusGen.ForAll(input, 5_000, seed: 1321, t =>
        {
            (byte[] data, int x, int y, int z) = t;
            int[] cuts = [x, y, z];
            Array.Sort(cuts);
            Span<byte> ours = stackalloc byte[Md5.HashLength];
            Md5.Hash(data.AsSpan(0, cuts[0]), data.AsSpan(cuts[0], cuts[1] - cuts[0]), data.AsSpan(cuts[1], cuts[2] - cuts[1]), data.AsSpan(cuts[2]), ours);
            Assert.Equal(MD5.HashData(data), ours.ToArray());
        });
    }

    [Fact]
    public void Same_hmac_as_the_platform_for_any_key_and_message()
    {
        RadiusGen.ForAll(Gen.Select(Gen.Byte.Array[0, 150], Gen.Byte.Array[0, 300]), 3_000, seed: 2104, t =>
        {
            (byte[] key, byte[] message) = t;
            var hmac = new HmacMd5Key(key);
            Md5 inner = hmac.Start();
            inner.Append(message);
            byte[] ours = new byte[Md5.HashLength];
            hmac.Finish(ref inner, ours);
            Assert.Equal(HMACMD5.HashData(key, message), ours);

            // The key's states are copied, never consumed: a second MAC with the same key is the same.
            Md5 again = hmac.Start();
            again.Append(message);
            byte[] second = new byte[Md5.HashLength];
            hmac.Finish(ref again, second);
            Assert.Equal(ours, second);
        });
    }
}
