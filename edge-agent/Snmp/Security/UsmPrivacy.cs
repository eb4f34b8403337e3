using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>
/// Encryption of the ScopedPDU: CFB128-AES (RFC 3826 section 3, also for the 192 and 256 bit keys) and CBC-DES
/// (RFC 3414 section 8). msgPrivacyParameters carries the 8-byte salt in both.
/// </summary>
public static class UsmPrivacy
{
    private const int SaltLength = 8;

    // RFC 3826 section 3.1.1.1 and RFC 3414 section 8.1.1.1: a counter that starts at a random value; never the same salt twice.
    private static long s_salt = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));

    public static byte[] Encrypt(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> plaintext, out byte[] privacyParameters)
    {
        privacyParameters = new byte[SaltLength];
        long salt = Interlocked.Increment(ref s_salt);
        if (protocol == PrivProtocol.Des)
        {
            // RFC 3414 8.1.1.1: salt = snmpEngineBoots || a local 32-bit integer.
            BinaryPrimitives.WriteInt32BigEndian(privacyParameters, boots);
            BinaryPrimitives.WriteInt32BigEndian(privacyParameters.AsSpan(4), (int)salt);
            return DesCbc(key, privacyParameters, plaintext, encrypt: true);
        }

        BinaryPrimitives.WriteInt64BigEndian(privacyParameters, salt);
        return AesCfb(protocol, key, boots, time, privacyParameters, plaintext, encrypt: true);
    }

    /// <summary>Decrypts; a wrong salt length or key throws <see cref="CryptographicException"/>.</summary>
    public static byte[] Decrypt(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> privacyParameters, ReadOnlySpan<byte> ciphertext)
    {
        if (privacyParameters.Length != SaltLength)
        {
            throw new CryptographicException($"msgPrivacyParameters has {privacyParameters.Length} bytes, not {SaltLength}");
        }

        return protocol == PrivProtocol.Des
            ? DesCbc(key, privacyParameters, ciphertext, encrypt: false)
            : AesCfb(protocol, key, boots, time, privacyParameters, ciphertext, encrypt: false);
    }

    /// <summary>
    /// RFC 3826 section 3.1.2.1: IV = snmpEngineBoots (4 bytes) || snmpEngineTime (4 bytes) || salt (8 bytes), all
    /// big-endian; CFB with a 128-bit segment, no padding (the last segment may be short).
    /// </summary>
    private static byte[] AesCfb(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> input, bool encrypt)
    {
        int keyLength = protocol.KeyLength();
        if (key.Length < keyLength)
        {
            throw new CryptographicException($"{protocol} needs a key of {keyLength} bytes");
        }

        using Aes aes = Aes.Create();
        aes.Key = key[..keyLength].ToArray();
        Span<byte> register = stackalloc byte[16];
        Span<byte> stream = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(register, boots);
        BinaryPrimitives.WriteInt32BigEndian(register[4..], time);
        salt.CopyTo(register[8..]);

        byte[] output = new byte[input.Length];
        for (int at = 0; at < input.Length; at += 16)
        {
            aes.EncryptEcb(register, stream, PaddingMode.None);
            int n = Math.Min(16, input.Length - at);
            for (int i = 0; i < n; i++)
            {
                output[at + i] = (byte)(input[at + i] ^ stream[i]);
            }

            // The next register is this segment's ciphertext.
            (encrypt ? output.AsSpan(at, n) : input.Slice(at, n)).CopyTo(register);
        }

        return output;
    }

    /// <summary>
    /// RFC 3414 section 8.1.1: DES key = the first 8 bytes of the privacy key, pre-IV = the next 8, IV = pre-IV XOR salt;
    /// the plaintext is padded to a multiple of 8 (the padding is ignored on decryption, the ScopedPDU has its own length).
    /// </summary>
    private static byte[] DesCbc(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> input, bool encrypt)
    {
        if (key.Length < 16)
        {
            throw new CryptographicException("DES needs a privacy key of 16 bytes");
        }

        byte[] iv = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            iv[i] = (byte)(key[8 + i] ^ salt[i]);
        }

        // CBC-DES is RFC 3414's privacy protocol, kept so old devices can be read; prefer AES (RFC 3826).
#pragma warning disable CA5351
        using DES des = DES.Create();
#pragma warning restore CA5351
        des.Key = key[..8].ToArray();
        if (encrypt)
        {
            byte[] padded = new byte[(input.Length + 7) / 8 * 8];
            input.CopyTo(padded);
            return des.EncryptCbc(padded, iv, PaddingMode.None);
        }

        if (input.Length % 8 != 0)
        {
            throw new CryptographicException("a DES-encrypted PDU is a whole number of 8-byte blocks (RFC 3414 8.3.2)");
        }

        return des.DecryptCbc(input, iv, PaddingMode.None);
    }
}
