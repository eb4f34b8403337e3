using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>
/// Encryption of the ScopedPDU: CFB128-AES (RFC 3826 section 3, also with the 192 and 256-bit keys) and CBC-DES
/// (RFC 3414 section 8). The key is the localized privacy key (<see cref="LocalizedKeys.PrivKey"/>);
/// msgPrivacyParameters carries the 8-byte salt. Works on bytes only: the codec encodes the ScopedPDU, this class
/// turns it into the encryptedPDU OCTET STRING's contents and back.
/// </summary>
public static class UsmPrivacy
{
    private const int AesBlock = 16;
    private const int DesBlock = 8;

    /// <summary>
    /// Encrypts with a fresh salt from <see cref="UsmSaltGenerator.Shared"/>; <paramref name="privacyParameters"/> is
    /// what goes into msgPrivacyParameters.
    /// </summary>
    public static byte[] Encrypt(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> plaintext, out byte[] privacyParameters)
    {
        privacyParameters = new byte[PrivProtocols.SaltLength];
        UsmSaltGenerator.Shared.NextPrivacyParameters(protocol, boots, privacyParameters);
        return Encrypt(protocol, key, boots, time, privacyParameters, plaintext);
    }

    /// <summary>Encrypts with the given msgPrivacyParameters (8 bytes, see <see cref="UsmSaltGenerator.NextPrivacyParameters"/>).</summary>
    public static byte[] Encrypt(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> privacyParameters, ReadOnlySpan<byte> plaintext)
    {
        byte[] output = new byte[CiphertextLength(protocol, plaintext.Length)];
        Encrypt(protocol, key, boots, time, privacyParameters, plaintext, output);
        return output;
    }

    /// <summary>
    /// Encrypts into <paramref name="destination"/>, which holds at least <see cref="CiphertextLength"/> bytes; returns
    /// how many were written. The destination must not overlap the plaintext.
    /// </summary>
    public static int Encrypt(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> privacyParameters, ReadOnlySpan<byte> plaintext, Span<byte> destination) =>
        Transform(protocol, key, boots, time, privacyParameters, plaintext, destination, encrypt: true);

    /// <summary>
    /// Decrypts the contents of encryptedPDU. For DES the result keeps the padding (the ScopedPDU's own length tells
    /// where it ends, RFC 3414 section 8.1.1.3). A salt that is not 8 bytes, a DES ciphertext that is not whole blocks
    /// (RFC 3414 section 8.3.2) or a key too short for the protocol is a <see cref="CryptographicException"/>.
    /// </summary>
    public static byte[] Decrypt(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> privacyParameters, ReadOnlySpan<byte> ciphertext)
    {
        byte[] output = new byte[ciphertext.Length];
        Decrypt(protocol, key, boots, time, privacyParameters, ciphertext, output);
        return output;
    }

    /// <summary>Decrypts into <paramref name="destination"/> (at least as long as the ciphertext, not overlapping it); returns the length.</summary>
    public static int Decrypt(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> privacyParameters, ReadOnlySpan<byte> ciphertext, Span<byte> destination) =>
        Transform(protocol, key, boots, time, privacyParameters, ciphertext, destination, encrypt: false);

    /// <summary>The encryptedPDU length for a ScopedPDU of <paramref name="plaintextLength"/> bytes: DES pads to 8, AES-CFB does not pad.</summary>
    public static int CiphertextLength(PrivProtocol protocol, int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        return protocol == PrivProtocol.Des ? (plaintextLength + DesBlock - 1) / DesBlock * DesBlock : plaintextLength;
    }

    private static int Transform(PrivProtocol protocol, ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> input, Span<byte> destination, bool encrypt)
    {
        if (salt.Length != PrivProtocols.SaltLength)
        {
            throw new CryptographicException($"msgPrivacyParameters has {salt.Length} bytes, not {PrivProtocols.SaltLength}");
        }

        if (protocol == PrivProtocol.None || (uint)protocol > (uint)PrivProtocol.Aes256Reeder)
        {
            throw new ArgumentException($"{protocol} does not encrypt", nameof(protocol));
        }

        int keyLength = protocol.KeyLength();
        if (key.Length < keyLength)
        {
            throw new CryptographicException($"{protocol} needs a privacy key of {keyLength} bytes, this one has {key.Length}");
        }

        int outputLength = encrypt ? CiphertextLength(protocol, input.Length) : input.Length;
        if (destination.Length < outputLength)
        {
            throw new ArgumentException($"the destination needs {outputLength} bytes", nameof(destination));
        }

        return protocol == PrivProtocol.Des
            ? DesCbc(key, salt, input, destination, encrypt)
            : AesCfb(key[..keyLength], boots, time, salt, input, destination, encrypt);
    }

    /// <summary>
    /// RFC 3826 section 3.1.2.1 and 3.1.3: the IV is the concatenation
    /// <code>
    ///  0               4               8                              16
    /// +---------------+---------------+-------------------------------+
    /// | snmpEngineBoots | snmpEngineTime |  salt (msgPrivacyParameters) |
    /// +---------------+---------------+-------------------------------+
    /// </code>
    /// (boots and time big-endian, as sent in the message), then AES in CFB mode with a 128-bit segment. No padding:
    /// the last segment may be short; its keystream depends only on the previous ciphertext block, so it is computed on
    /// a zero-padded copy and truncated.
    /// </summary>
    private static int AesCfb(ReadOnlySpan<byte> key, int boots, int time, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> input, Span<byte> destination, bool encrypt)
    {
        Span<byte> iv = stackalloc byte[AesBlock];
        BinaryPrimitives.WriteInt32BigEndian(iv, boots);
        BinaryPrimitives.WriteInt32BigEndian(iv[4..], time);
        salt.CopyTo(iv[8..]);

        using Aes aes = Aes.Create();
        aes.SetKey(key);
        int whole = input.Length - (input.Length % AesBlock);
        int tail = input.Length - whole;

        // The register for the short last segment is the last whole ciphertext block (or the IV when there is none).
        Span<byte> tailIv = stackalloc byte[AesBlock];
        if (whole > 0)
        {
            if (encrypt)
            {
                aes.EncryptCfb(input[..whole], iv, destination[..whole], PaddingMode.None, feedbackSizeInBits: 128);
            }
            else
            {
                aes.DecryptCfb(input[..whole], iv, destination[..whole], PaddingMode.None, feedbackSizeInBits: 128);
            }

            (encrypt ? destination : input).Slice(whole - AesBlock, AesBlock).CopyTo(tailIv);
        }
        else
        {
            iv.CopyTo(tailIv);
        }

        if (tail > 0)
        {
            Span<byte> block = stackalloc byte[AesBlock];
            Span<byte> transformed = stackalloc byte[AesBlock];
            block.Clear();
            input[whole..].CopyTo(block);
            if (encrypt)
            {
                aes.EncryptCfb(block, tailIv, transformed, PaddingMode.None, feedbackSizeInBits: 128);
            }
            else
            {
                aes.DecryptCfb(block, tailIv, transformed, PaddingMode.None, feedbackSizeInBits: 128);
            }

            transformed[..tail].CopyTo(destination[whole..]);
            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(transformed);
        }

        return input.Length;
    }

    /// <summary>
    /// RFC 3414 section 8.1.1: the DES key is the first 8 bytes of the privacy key, the pre-IV the next 8; the salt is
    /// snmpEngineBoots || a local 32-bit integer (8.1.1.1) and the IV = pre-IV XOR salt. The plaintext is padded to a
    /// multiple of 8 (8.1.1.2: the pad's value does not matter, zeros here); decryption keeps the padding.
    /// </summary>
    private static int DesCbc(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> input, Span<byte> destination, bool encrypt)
    {
        Span<byte> iv = stackalloc byte[DesBlock];
        for (int i = 0; i < DesBlock; i++)
        {
            iv[i] = (byte)(key[DesBlock + i] ^ salt[i]);
        }

        // CBC-DES is RFC 3414's privacy protocol, kept so old devices can be read; prefer AES (RFC 3826).
#pragma warning disable CA5351
        using DES des = DES.Create();
#pragma warning restore CA5351
        des.SetKey(key[..DesBlock]);
        if (!encrypt)
        {
            if (input.Length % DesBlock != 0)
            {
                throw new CryptographicException($"a DES-encrypted PDU is a whole number of 8-byte blocks, not {input.Length} bytes (RFC 3414 section 8.3.2)");
            }

            return des.DecryptCbc(input, iv, destination, PaddingMode.None);
        }

        int whole = input.Length - (input.Length % DesBlock);
        int written = des.EncryptCbc(input[..whole], iv, destination, PaddingMode.None);
        if (whole < input.Length)
        {
            // The register for the padded last block is the previous ciphertext block (or the IV).
            Span<byte> chain = whole > 0 ? destination.Slice(whole - DesBlock, DesBlock) : iv;
            Span<byte> block = stackalloc byte[DesBlock];
            block.Clear();
            input[whole..].CopyTo(block);
            written += des.EncryptCbc(block, chain, destination.Slice(whole, DesBlock), PaddingMode.None);
        }

        return written;
    }
}
