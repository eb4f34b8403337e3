using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>
/// Message authentication of RFC 3414 sections 6.3 and 7.3 and RFC 7860 section 4.2: the HMAC, keyed with the
/// localized authentication key, of the whole encoded message in which msgAuthenticationParameters holds
/// <see cref="MacLength"/> zero bytes, truncated to <see cref="MacLength"/> bytes.
/// </summary>
/// <remarks>
/// Works on the encoded bytes only: the codec reserves the slot and reports its offset, this class fills or checks it.
/// </remarks>
public static class UsmAuthentication
{
    /// <summary>The largest MAC of any protocol (HMAC-SHA-512 truncated to 48 bytes is the longest; the full hash is 64).</summary>
    private const int MaxHashLength = 64;

    public static int MacLength(AuthProtocol protocol) => protocol.MacLength();

    /// <summary>
    /// Authenticates an outgoing message (RFC 3414 sections 6.3.1 and 7.3.1): zeroes the <see cref="MacLength"/> bytes at
    /// <paramref name="offset"/>, computes the HMAC of the whole <paramref name="message"/> and writes its truncation there.
    /// </summary>
    public static void Sign(AuthProtocol protocol, ReadOnlySpan<byte> key, Span<byte> message, int offset)
    {
        int length = RequireAuth(protocol, key);
        Span<byte> slot = message.Slice(offset, length);
        slot.Clear();
        Span<byte> mac = stackalloc byte[MaxHashLength];
        int written = ComputeHmac(protocol, key, message, mac);
        mac[..length].CopyTo(slot);
        CryptographicOperations.ZeroMemory(mac[..written]);
    }

    /// <summary>
    /// Checks an incoming message (RFC 3414 sections 6.3.2 and 7.3.2): true when the <paramref name="length"/> bytes at
    /// <paramref name="offset"/> are the truncated HMAC of the message with those bytes taken as zeros. The message is
    /// not modified or copied. Compared in constant time; a wrong MAC length, an offset outside the message, an empty key
    /// or <see cref="AuthProtocol.None"/> is false, never an exception.
    /// </summary>
    public static bool Verify(AuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int offset, int length)
    {
        if (protocol == AuthProtocol.None || (uint)protocol > (uint)AuthProtocol.HmacSha512 || key.IsEmpty
            || length != protocol.MacLength() || offset < 0 || offset > message.Length - length)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MaxHashLength];
        Span<byte> zeros = stackalloc byte[MaxHashLength];
        zeros.Clear();
        using UsmHash hmac = UsmHash.CreateHmac(protocol, key);
        hmac.Append(message[..offset]);
        hmac.Append(zeros[..length]);
        hmac.Append(message[(offset + length)..]);
        hmac.Finish(mac);
        bool authentic = CryptographicOperations.FixedTimeEquals(mac[..length], message.Slice(offset, length));
        CryptographicOperations.ZeroMemory(mac);
        return authentic;
    }

    /// <summary>Like the other overload, with the protocol's own MAC length.</summary>
    public static bool Verify(AuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int offset) =>
        protocol != AuthProtocol.None && (uint)protocol <= (uint)AuthProtocol.HmacSha512
        && Verify(protocol, key, message, offset, protocol.MacLength());

    private static int RequireAuth(AuthProtocol protocol, ReadOnlySpan<byte> key)
    {
        if (protocol == AuthProtocol.None || (uint)protocol > (uint)AuthProtocol.HmacSha512)
        {
            throw new ArgumentException($"{protocol} does not authenticate", nameof(protocol));
        }

        if (key.IsEmpty)
        {
            throw new ArgumentException("an empty authentication key", nameof(key));
        }

        return protocol.MacLength();
    }

    // One-shot HMACs over the whole message, allocation-free. HMAC-MD5-96 and HMAC-SHA-96 are what RFC 3414 defines
    // and what deployed devices still speak; RFC 7860's SHA-2 family is preferred where the device has it.
#pragma warning disable CA5350, CA5351
    private static int ComputeHmac(AuthProtocol protocol, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        switch (protocol)
        {
            case AuthProtocol.HmacMd5:
                return HMACMD5.HashData(key, message, destination);
            case AuthProtocol.HmacSha1:
                return HMACSHA1.HashData(key, message, destination);
            case AuthProtocol.HmacSha256:
                return HMACSHA256.HashData(key, message, destination);
            case AuthProtocol.HmacSha384:
                return HMACSHA384.HashData(key, message, destination);
            case AuthProtocol.HmacSha512:
                return HMACSHA512.HashData(key, message, destination);
            default:
                var sha224 = new HmacSha224(key);
                sha224.Append(message);
                sha224.Finish(destination);
                return Sha224.HashLength;
        }
    }
#pragma warning restore CA5350, CA5351
}
