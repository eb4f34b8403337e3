using System.Text;
using CsCheck;
using Network.Snmp.Security;

namespace Network.Snmp.Tests.Security;

/// <summary>Our SHA-224 (the runtime has none): FIPS 180-4 examples, RFC 4231 HMAC vectors, and streaming in pieces.</summary>
public class Sha224Tests
{
    [Theory]
    // FIPS 180-4 examples (NIST CSRC "SHA224.pdf"); the third spans two blocks.
    [InlineData("empty", "", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("one block", "abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData("two blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    public void Hash_matches_the_FIPS_examples(string description, string message, string digest)
    {
        Assert.True(Convert.FromHexString(digest).AsSpan().SequenceEqual(Sha224.Hash(Encoding.ASCII.GetBytes(message))), description);
    }

    [Theory]
    // RFC 4231 section 4.3 (test case 2) and 4.7 (test case 6: a 131-byte key, hashed first).
    [InlineData("4.3 short key", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44")]
    [InlineData("4.7 key longer than a block", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e")]
    public void Hmac_matches_RFC_4231(string description, string key, string message, string mac)
    {
        Assert.True(Convert.FromHexString(mac).AsSpan().SequenceEqual(Sha224.Hmac(Convert.FromHexString(key), Convert.FromHexString(message))), description);
    }

    [Fact]
    public void Hashing_in_pieces_equals_hashing_at_once_and_finish_resets()
    {
        Gen.Byte.Array[0, 300].Select(Gen.Int[1, 70]).Sample((data, piece) =>
        {
            var sha = new Sha224();
            for (int at = 0; at < data.Length; at += piece)
            {
                sha.Append(data.AsSpan(at, Math.Min(piece, data.Length - at)));
            }

            byte[] streamed = new byte[Sha224.HashLength];
            sha.Finish(streamed);
            byte[] again = new byte[Sha224.HashLength];
            sha.Append(data);
            sha.Finish(again);

            Assert.Equal(Sha224.Hash(data), streamed);
            Assert.Equal(streamed, again);
        }, iter: 200, seed: "0000F3X9Yh8b");
    }
}
