using CsCheck;
using Network.Snmp.Pdus;

namespace Network.Snmp.Tests.Pdus;

/// <summary>
/// Invariants of the message codec: Read(Write(x)) == x for every PDU and message kind, canonical input
/// re-encodes byte for byte, and on random or mutated input the decoder throws SnmpDecodeException or nothing.
/// </summary>
public sealed class MessagePropertyTests
{
    [Fact]
    public void Every_PDU_round_trips()
    {
        SnmpGen.ForAll(SnmpGen.Pdu, 3_000, seed: 3416, pdu =>
            Assert.Equal(pdu, SnmpMessageCodec.DecodePdu(SnmpMessageCodec.EncodePdu(pdu))));
    }

    [Fact]
    public void Every_v1_trap_round_trips()
    {
        SnmpGen.ForAll(SnmpGen.TrapV1, 2_000, seed: 1157, trap =>
            Assert.Equal(trap, SnmpMessageCodec.DecodePdu(SnmpMessageCodec.EncodePdu(trap))));
    }

    [Fact]
    public void Every_community_message_round_trips()
    {
        SnmpGen.ForAll(SnmpGen.CommunityMessage, 3_000, seed: 1901, message =>
            Assert.Equal(message, SnmpMessageCodec.Decode(SnmpMessageCodec.Encode(message))));
    }

    [Fact]
    public void Every_v3_message_round_trips_and_reports_where_the_digest_goes()
    {
        SnmpGen.ForAll(SnmpGen.V3Message, 3_000, seed: 3412, message =>
        {
            byte[] encoded = SnmpMessageCodec.Encode(message, out int offset);
            var decoded = Assert.IsType<SnmpV3Message>(SnmpMessageCodec.Decode(encoded));
            Assert.Equal(message, decoded);
            Assert.Equal(offset, decoded.AuthenticationParametersOffset);
            if (message.Usm is { } usm)
            {
                Assert.Equal(usm.AuthenticationParameters.ToArray(), encoded.AsSpan(offset, usm.AuthenticationParameters.Length).ToArray());
            }
            else
            {
                Assert.Equal(-1, offset);
            }
        });
    }

    [Fact]
    public void Every_ScopedPdu_round_trips_alone()
    {
        SnmpGen.ForAll(SnmpGen.ScopedPdu, 2_000, seed: 3414, scoped =>
            Assert.Equal(scoped, SnmpMessageCodec.DecodeScopedPdu(SnmpMessageCodec.EncodeScopedPdu(scoped))));
    }

    [Fact]
    public void Canonical_input_re_encodes_byte_for_byte()
    {
        SnmpGen.ForAll(SnmpGen.Message, 3_000, seed: 3417, message =>
        {
            byte[] canonical = SnmpMessageCodec.Encode(message);
            Assert.Equal(canonical, SnmpMessageCodec.Encode(SnmpMessageCodec.Decode(canonical)));
        });
    }

    [Fact]
    public void Random_bytes_raise_only_SnmpDecodeException()
    {
        int rejected = 0;
        SnmpGen.ForAll(Gen.Byte.Array[0, 120], 20_000, seed: 7, bytes =>
        {
            if (!DecodeOrReject(bytes))
            {
                rejected++;
            }
        });
        Assert.True(rejected > 0);
    }

    [Fact]
    public void Random_bytes_behind_a_valid_message_header_raise_only_SnmpDecodeException()
    {
        // Random bytes rarely get past the first tag; start them inside a plausible message.
        Gen<byte[]> inputs = Gen.Select(Gen.OneOf<byte>(0, 1, 3), Gen.Byte.Array[0, 100])
            .Select((version, tail) => (byte[])[0x30, (byte)(3 + tail.Length), 0x02, 0x01, version, .. tail]);
        SnmpGen.ForAll(inputs, 20_000, seed: 8, bytes => DecodeOrReject(bytes));
    }

    [Fact]
    public void Mutated_messages_raise_only_SnmpDecodeException()
    {
        Gen<byte[]> mutated = Gen.Select(SnmpGen.Message, Gen.Int, Gen.Int[0, 3], Gen.Byte)
            .Select((message, where, how, b) =>
            {
                byte[] bytes = SnmpMessageCodec.Encode(message);
                int at = (int)((uint)where % (uint)bytes.Length);
                return how switch
                {
                    0 => Flip(bytes, at, b),
                    1 => bytes[..at],
                    2 => [.. bytes[..at], b, .. bytes[at..]],
                    _ => [.. bytes[..at], .. bytes[(at + 1)..]],
                };
            });
        int decoded = 0;
        SnmpGen.ForAll(mutated, 5_000, seed: 9, bytes =>
        {
            if (DecodeOrReject(bytes))
            {
                decoded++;
            }
        });
        Assert.True(decoded > 0, "some mutations (inside strings, counters) must still decode");
    }

    private static byte[] Flip(byte[] bytes, int at, byte mask)
    {
        bytes[at] ^= mask == 0 ? (byte)1 : mask;
        return bytes;
    }

    /// <summary>True when the bytes decoded, false when SnmpDecodeException; any other exception fails the test.</summary>
    internal static bool DecodeOrReject(ReadOnlySpan<byte> bytes)
    {
        try
        {
            SnmpMessageCodec.Decode(bytes);
            return true;
        }
        catch (SnmpDecodeException)
        {
            return false;
        }
    }
}
