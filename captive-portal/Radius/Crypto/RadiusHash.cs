using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Network.Radius.Codec;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>
/// The two hashes RADIUS is built on, one-shot and allocation-free: MD5 (RFC 2865 sections 3 and 5.2, RFC 2866 section 3,
/// RFC 5176 section 2.3) and HMAC-MD5 (RFC 3579 section 3.2). Neither is a choice of ours: the RFCs mandate them, and
/// RADIUS/UDP has no other. Inputs are concatenated into a stack or pooled buffer, which is cleared afterwards because
/// it holds the shared secret.
/// </summary>
internal static class RadiusHash
{
    public const int Md5Length = 16;

    private const int StackLimit = 512;

    // CA5351: MD5 is broken as a general-purpose hash; here it is the algorithm RFC 2865/2866/3579/5176 define, and
    // the only one a NAS speaks.
#pragma warning disable CA5351
    /// <summary>MD5(a + b + c + d).</summary>
    public static void Md5(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, Span<byte> destination)
    {
        int length = a.Length + b.Length + c.Length + d.Length;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        buffer = buffer[..length];
        a.CopyTo(buffer);
        b.CopyTo(buffer[a.Length..]);
        c.CopyTo(buffer[(a.Length + b.Length)..]);
        d.CopyTo(buffer[(a.Length + b.Length + c.Length)..]);
        MD5.HashData(buffer, destination);
        CryptographicOperations.ZeroMemory(buffer);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// HMAC-MD5 keyed with <paramref name="secret"/> over <paramref name="packet"/> with its Authenticator field read as
    /// <paramref name="authenticatorField"/> and the 16 octets at <paramref name="zeroedOffset"/> read as zeros.
    /// </summary>
    public static void HmacMd5(
        ReadOnlySpan<byte> secret, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> authenticatorField, int zeroedOffset, Span<byte> destination)
    {
        byte[]? rented = null;
        Span<byte> buffer = packet.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(packet.Length));
        buffer = buffer[..packet.Length];
        packet.CopyTo(buffer);
        authenticatorField.CopyTo(buffer[4..]);
        buffer.Slice(zeroedOffset, Md5Length).Clear();
        HMACMD5.HashData(secret, buffer, destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
#pragma warning restore CA5351

    /// <summary>
    /// The bytes of a packet up to its Length field, or false when the input is shorter than the header, the Length
    /// field is outside 20..4096, or the input is shorter than the Length field (RFC 2865 section 3).
    /// </summary>
    public static bool TryFrame(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> packet)
    {
        packet = default;
        if (input.Length < RadiusPacket.HeaderLength)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(input[2..]);
        if (length < RadiusDecodeLimits.MinPacketLength || length > RadiusDecodeLimits.MaxPacketLength || length > input.Length)
        {
            return false;
        }

        packet = input[..length];
        return true;
    }
}
