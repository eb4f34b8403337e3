using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>
/// Message authentication of RFC 3414 sections 6.3 and 7.3 and RFC 7860 section 4.2: the HMAC of the whole message,
/// computed with msgAuthenticationParameters set to zeros, truncated to the protocol's MAC length.
/// </summary>
public static class UsmAuthentication
{
    public static int MacLength(AuthProtocol protocol) => protocol.MacLength();

    /// <summary>
    /// Writes the MAC into <paramref name="message"/> at <paramref name="offset"/>, where the encoder left a placeholder
    /// of <see cref="MacLength"/> zero bytes.
    /// </summary>
    public static void Sign(AuthProtocol protocol, ReadOnlySpan<byte> key, Span<byte> message, int offset)
    {
        int length = protocol.MacLength();
        Span<byte> slot = message.Slice(offset, length);
        slot.Clear();
        byte[] mac = Mac(protocol, key, message);
        mac.AsSpan(0, length).CopyTo(slot);
    }

    /// <summary>
    /// True when the <paramref name="length"/> bytes at <paramref name="offset"/> are the MAC of the message with those
    /// bytes zeroed. Compared in constant time; a wrong length is false, never an exception.
    /// </summary>
    public static bool Verify(AuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int offset, int length)
    {
        if (length != protocol.MacLength() || offset < 0 || offset + length > message.Length || key.IsEmpty)
        {
            return false;
        }

        byte[] copy = message.ToArray();
        byte[] received = copy.AsSpan(offset, length).ToArray();
        copy.AsSpan(offset, length).Clear();
        byte[] mac = Mac(protocol, key, copy);
        return CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, length), received);
    }

    // HMAC-MD5-96 and HMAC-SHA-96 are what RFC 3414 defines and what deployed devices speak; prefer SHA-2 (RFC 7860).
#pragma warning disable CA5350, CA5351
    private static byte[] Mac(AuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message) => protocol switch
    {
        AuthProtocol.HmacMd5 => HMACMD5.HashData(key, message),
        AuthProtocol.HmacSha1 => HMACSHA1.HashData(key, message),
        AuthProtocol.HmacSha224 => Sha224.Hmac(key, message),
        AuthProtocol.HmacSha256 => HMACSHA256.HashData(key, message),
        AuthProtocol.HmacSha384 => HMACSHA384.HashData(key, message),
        AuthProtocol.HmacSha512 => HMACSHA512.HashData(key, message),
        _ => throw new ArgumentException("no MAC for " + protocol, nameof(protocol)),
    };
#pragma warning restore CA5350, CA5351
}
