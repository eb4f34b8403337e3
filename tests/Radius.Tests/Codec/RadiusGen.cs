using CsCheck;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Codec;

/// <summary>Generators for attributes and packets, and a seeded, bounded driver.</summary>
internal static class RadiusGen
{
    public static readonly Gen<byte[]> Authenticator = Gen.Byte.Array[16];

    public static readonly Gen<RadiusAttribute> Attribute = Gen.OneOf(
        Gen.Select(Gen.Byte, Gen.Byte.Array[0, 253]).Select((type, value) => new RadiusAttribute(type, value)),
        Gen.Select(Gen.Byte, Gen.Byte.Array[0, 8]).Select((type, value) => new RadiusAttribute(type, value)));

    public static readonly Gen<RadiusCode> Code = Gen.OneOf(
        Gen.Enum<RadiusCode>(),
        Gen.Byte.Select(b => (RadiusCode)b));

    /// <summary>Packets of up to 15 attributes: at most 20 + 15 * 255 = 3845 octets, inside RFC 2865's 4096.</summary>
    public static readonly Gen<RadiusPacket> Packet = Gen.Select(Code, Gen.Byte, Authenticator, Attribute.Array[0, 15])
        .Select((code, id, auth, attributes) => new RadiusPacket(code, id, auth, attributes));

    public static void ForAll<T>(Gen<T> gen, int iterations, ulong seed, Action<T> property)
    {
        var pcg = new PCG(1, seed);
        for (int i = 0; i < iterations; i++)
        {
            T value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"the property failed at iteration {i} of seed {seed} for {value}", e);
            }
        }
    }
}
