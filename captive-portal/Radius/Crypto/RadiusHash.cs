using System.Buffers.Binary;
using System.Security.Cryptography;
using Network.Radius.Codec;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>
/// The two hashes RADIUS is built on, allocation-free: MD5 (RFC 2865 sections 3 and 5.2, RFC 2866 section 3, RFC 5176
/// section 2.3) and HMAC-MD5 (RFC 3579 section 3.2). Neither is a choice of ours: the RFCs mandate them, and RADIUS/UDP
/// has no other. Each thread keeps its hash objects (and HMAC keys for the last few secrets) and resets them after each
/// use, so a packet costs the hashing itself, not the set-up of a new OpenSSL context and key schedule every time; the
/// inputs are fed in pieces, never copied together.
/// </summary>
internal static class RadiusHash
{
    public const int Md5Length = 16;

    private const int HmacSlots = 8;

    [ThreadStatic]
    private static IncrementalHash? t_md5;

    [ThreadStatic]
    private static HmacSlot?[]? t_hmacs;

    [ThreadStatic]
    private static int t_nextSlot;

    // CA5351: MD5 is broken as a general-purpose hash; here it is the algorithm RFC 2865/2866/3579/5176 define, and
    // the only one a NAS speaks.
#pragma warning disable CA5351
    /// <summary>MD5(a + b + c + d).</summary>
    public static void Md5(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, Span<byte> destination)
    {
        IncrementalHash md5 = t_md5 ??= IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(a);
        md5.AppendData(b);
        md5.AppendData(c);
        md5.AppendData(d);
        md5.GetHashAndReset(destination);
    }

    /// <summary>
    /// HMAC-MD5 keyed with <paramref name="secret"/> over <paramref name="packet"/> with its Authenticator field read as
    /// <paramref name="authenticatorField"/> and the 16 octets at <paramref name="zeroedOffset"/> read as zeros.
    /// </summary>
    public static void HmacMd5(
        ReadOnlySpan<byte> secret, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> authenticatorField, int zeroedOffset, Span<byte> destination)
    {
        IncrementalHash hmac = Hmac(secret);
        ReadOnlySpan<byte> zeros = stackalloc byte[Md5Length];
        hmac.AppendData(packet[..4]);
        hmac.AppendData(authenticatorField);
        hmac.AppendData(packet[RadiusPacket.HeaderLength..zeroedOffset]);
        hmac.AppendData(zeros);
        hmac.AppendData(packet[(zeroedOffset + Md5Length)..]);
        hmac.GetHashAndReset(destination);
    }

    // This thread's HMAC-MD5 for the secret: gateways are few, so a handful of keys a thread covers them; the oldest goes.
    private static IncrementalHash Hmac(ReadOnlySpan<byte> secret)
    {
        HmacSlot?[] slots = t_hmacs ??= new HmacSlot?[HmacSlots];
        foreach (HmacSlot? slot in slots)
        {
            if (slot is not null && slot.Key.AsSpan().SequenceEqual(secret))
            {
                return slot.Hmac;
            }
        }

        int index = t_nextSlot;
        t_nextSlot = (index + 1) % HmacSlots;
        slots[index]?.Hmac.Dispose();
        var fresh = new HmacSlot(secret.ToArray(), IncrementalHash.CreateHMAC(HashAlgorithmName.MD5, secret));
        slots[index] = fresh;
        return fresh.Hmac;
    }
#pragma warning restore CA5351

    private sealed record HmacSlot(byte[] Key, IncrementalHash Hmac);

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
