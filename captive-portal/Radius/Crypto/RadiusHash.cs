using System.Buffers.Binary;
using Network.Radius.Codec;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>
/// The two hashes RADIUS is built on, allocation-free: MD5 (RFC 2865 sections 3 and 5.2, RFC 2866 section 3, RFC 5176
/// section 2.3) and HMAC-MD5 (RFC 3579 section 3.2). Neither is a choice of ours: the RFCs mandate them, and RADIUS/UDP
/// has no other. Both run in managed code (<see cref="Md5"/>): the inputs are a few short pieces, where a call into
/// OpenSSL per piece and a context reset per hash cost more than the hashing. Each thread keeps the HMAC keys of the
/// last few secrets with their pad blocks already hashed (<see cref="HmacMd5Key"/>), so a Message-Authenticator costs
/// the packet's blocks and two more.
/// </summary>
internal static class RadiusHash
{
    public const int Md5Length = Crypto.Md5.HashLength;

    private const int HmacSlots = 8;

    [ThreadStatic]
    private static HmacSlot?[]? t_hmacs;

    [ThreadStatic]
    private static int t_nextSlot;

    /// <summary>MD5(a + b + c + d).</summary>
    public static void Md5(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, Span<byte> destination) =>
        Crypto.Md5.Hash(a, b, c, d, destination);

    /// <summary>
    /// HMAC-MD5 keyed with <paramref name="secret"/> over <paramref name="packet"/> with its Authenticator field read as
    /// <paramref name="authenticatorField"/> and the 16 octets at <paramref name="zeroedOffset"/> read as zeros.
    /// </summary>
    public static void HmacMd5(
        ReadOnlySpan<byte> secret, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> authenticatorField, int zeroedOffset, Span<byte> destination)
    {
        HmacMd5Key key = Hmac(secret);
        ReadOnlySpan<byte> zeros = stackalloc byte[Md5Length];
        Crypto.Md5 inner = key.Start();
        inner.Append(packet[..4]);
        inner.Append(authenticatorField);
        inner.Append(packet[RadiusPacket.HeaderLength..zeroedOffset]);
        inner.Append(zeros);
        inner.Append(packet[(zeroedOffset + Md5Length)..]);
        key.Finish(ref inner, destination);
    }

    // This thread's HMAC-MD5 key for the secret: gateways are few, so a handful of keys a thread covers them; the oldest goes.
    private static HmacMd5Key Hmac(ReadOnlySpan<byte> secret)
    {
        HmacSlot?[] slots = t_hmacs ??= new HmacSlot?[HmacSlots];
        foreach (HmacSlot? slot in slots)
        {
            if (slot is not null && slot.Secret.AsSpan().SequenceEqual(secret))
            {
                return slot.Key;
            }
        }

        int index = t_nextSlot;
        t_nextSlot = (index + 1) % HmacSlots;
        var fresh = new HmacSlot(secret.ToArray(), new HmacMd5Key(secret));
        slots[index] = fresh;
        return fresh.Key;
    }

    private sealed record HmacSlot(byte[] Secret, HmacMd5Key Key);

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
