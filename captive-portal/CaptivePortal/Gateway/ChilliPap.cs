using System.Security.Cryptography;
using System.Text;

namespace Network.CaptivePortal.Gateway;

/// <summary>
/// The password as a CoovaChilli gateway takes it on <c>/logon?username=…&amp;password=…</c> for PAP:
/// key = MD5(challenge bytes ‖ UAM secret); the UTF-8 password, zero-padded to a multiple of 16 bytes, is XORed with
/// that key block by block (the same key for every block) and written as hex. The gateway XORs it back and sends the
/// cleartext in a RADIUS User-Password, so our RADIUS server can check it against the Argon2id hash. CHAP would need
/// the cleartext on the portal side to compute the response against the challenge, i.e. a stored reversible password.
/// </summary>
public static class ChilliPap
{
    public const int BlockSize = 16;

    /// <summary>The challenge CoovaChilli sends: 16 bytes, as 32 hex digits.</summary>
    public const int ChallengeLength = 16;

    public static string Encode(string password, ReadOnlySpan<byte> challenge, string uamSecret)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] plain = Encoding.UTF8.GetBytes(password);
        int padded = Math.Max(BlockSize, (plain.Length + BlockSize - 1) / BlockSize * BlockSize);
        byte[] buffer = new byte[padded];
        plain.CopyTo(buffer, 0);
        CryptographicOperations.ZeroMemory(plain);
        try
        {
            XorWithKey(buffer, challenge, uamSecret);
            return Convert.ToHexStringLower(buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>What the gateway does: hex to bytes, XOR with the key, trailing zero bytes removed.</summary>
    public static string Decode(string hex, ReadOnlySpan<byte> challenge, string uamSecret)
    {
        byte[] buffer = Convert.FromHexString(hex);
        if (buffer.Length == 0 || buffer.Length % BlockSize != 0)
        {
            throw new FormatException("A PAP password is a whole number of 16-byte blocks.");
        }

        XorWithKey(buffer, challenge, uamSecret);
        int length = buffer.AsSpan().IndexOf((byte)0);
        return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }

    /// <summary>MD5(challenge ‖ secret): the key of every block.</summary>
    public static byte[] Key(ReadOnlySpan<byte> challenge, string uamSecret)
    {
        if (challenge.Length != ChallengeLength)
        {
            throw new ArgumentException("The UAM challenge is 16 bytes.", nameof(challenge));
        }

        ArgumentNullException.ThrowIfNull(uamSecret);
        byte[] input = new byte[challenge.Length + Encoding.UTF8.GetByteCount(uamSecret)];
        challenge.CopyTo(input);
        Encoding.UTF8.GetBytes(uamSecret, input.AsSpan(challenge.Length));
        try
        {
#pragma warning disable CA5351 // MD5 is what CoovaChilli defines for this encoding.
            return MD5.HashData(input);
#pragma warning restore CA5351
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    private static void XorWithKey(Span<byte> buffer, ReadOnlySpan<byte> challenge, string uamSecret)
    {
        byte[] key = Key(challenge, uamSecret);
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] ^= key[i % BlockSize];
        }

        CryptographicOperations.ZeroMemory(key);
    }
}
