using System.Buffers;
using CsCheck;
using Network.Radius.Codec;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Codec;

/// <summary>Invariants of the codec: Read(Write(p)) == p, canonical input re-encodes byte for byte, random input throws only RadiusDecodeException.</summary>
public sealed class RadiusCodecPropertyTests
{
    [Fact]
    public void Every_packet_round_trips_through_every_encoder()
    {
        RadiusGen.ForAll(RadiusGen.Packet, 5_000, seed: 2865, packet =>
        {
            byte[] encoded = RadiusCodec.Encode(packet);
            Assert.Equal(RadiusCodec.GetEncodedLength(packet), encoded.Length);
            Assert.Equal(packet, RadiusCodec.Decode(encoded));

            var writer = new ArrayBufferWriter<byte>();
            Assert.Equal(encoded.Length, RadiusCodec.Write(packet, writer));
            Assert.Equal(encoded, writer.WrittenSpan.ToArray());

            Assert.True(RadiusCodec.TryRead([.. encoded, 0xAA, 0xBB], out RadiusPacket? padded, out int consumed));
            Assert.Equal(encoded.Length, consumed);
            Assert.Equal(packet, padded);
        });
    }

    [Fact]
    public void Decoded_attributes_point_at_their_raw_bytes()
    {
        RadiusGen.ForAll(RadiusGen.Packet, 2_000, seed: 5, packet =>
        {
            RadiusPacket decoded = RadiusCodec.Decode(RadiusCodec.Encode(packet));
            foreach (RadiusAttribute attribute in decoded.Attributes)
            {
                ReadOnlySpan<byte> raw = decoded.Raw.Span.Slice(attribute.Offset, attribute.EncodedLength);
                Assert.Equal(attribute.Type, raw[0]);
                Assert.Equal(attribute.EncodedLength, raw[1]);
                Assert.True(raw[2..].SequenceEqual(attribute.Value.Span));
            }
        });
    }

    [Fact]
    public void Random_bytes_decode_or_throw_RadiusDecodeException_and_nothing_else()
    {
        Gen<byte[]> bytes = Gen.OneOf(Gen.Byte.Array[0, 64], Gen.Byte.Array[0, 600]);
        RadiusGen.ForAll(bytes, 50_000, seed: 4096, input =>
        {
            try
            {
                RadiusPacket packet = RadiusCodec.Decode(input);
                Assert.Equal(packet, RadiusCodec.Decode(RadiusCodec.Encode(packet)));
            }
            catch (RadiusDecodeException)
            {
            }
        });
    }

    [Fact]
    public void Random_headers_with_a_plausible_length_decode_or_throw_RadiusDecodeException()
    {
        Gen<byte[]> framed = Gen.Select(Gen.Byte, Gen.Byte.Array[20, 300]).Select((code, rest) =>
        {
            rest[0] = code;
            rest[2] = (byte)(rest.Length >> 8);
            rest[3] = (byte)rest.Length;
            return rest;
        });
        int decoded = 0;
        RadiusGen.ForAll(framed, 50_000, seed: 3579, input =>
        {
            try
            {
                Assert.True(RadiusCodec.Decode(input).Raw.Span.SequenceEqual(input));
                decoded++;
            }
            catch (RadiusDecodeException e)
            {
                Assert.InRange(e.Offset, 0, input.Length);
            }
        });
        Assert.True(decoded > 100, $"only {decoded} random framed packets decoded");
    }
}
