using System.Buffers;
using Network.Snmp.Pdus;
using Network.Snmp.Text;
using Network.TestSupport;

namespace Network.Snmp.Tests.Pdus;

/// <summary>
/// The in-place path (bindings kept encoded, read as <see cref="VarBindView"/>s, printed from the reply's bytes)
/// against the decoder that makes objects: the same messages, the same bindings, the same printed bytes, and the
/// same verdict on every mutated packet.
/// </summary>
public sealed class InPlaceDecoderPropertyTests
{
    private static readonly PacketMutator s_mutator = new([0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x88, 0xFF]);

    [Fact]
    public void Decoding_from_memory_gives_the_message_the_object_decoder_gives()
    {
        int bindings = 0;
        SnmpGen.ForAll(SnmpGen.Message, 3_000, 20261129, message =>
        {
            byte[] bytes = SnmpMessageCodec.Encode(message);
            SnmpMessage eager = SnmpMessageCodec.Decode(bytes.AsSpan());
            SnmpMessage lazy = SnmpMessageCodec.Decode(bytes.AsMemory());
            Assert.Equal(eager, lazy);
            Assert.Equal(message, lazy);
            bindings += PduOf(lazy)?.VarBindCount ?? 0;
        });
        Assert.True(bindings > 3_000, $"only {bindings} bindings were compared");
    }

    [Fact]
    public void Bindings_read_in_place_are_the_decoded_bindings_and_print_the_same_bytes()
    {
        int compared = 0;
        SnmpGen.ForAll(SnmpGen.Pdu, 3_000, 1129, pdu =>
        {
            byte[] bytes = SnmpMessageCodec.Encode(new CommunityMessage(SnmpVersion.V2c, "public", pdu));
            var eager = (Pdu)((CommunityMessage)SnmpMessageCodec.Decode(bytes.AsSpan())).Pdu;
            var lazy = (Pdu)((CommunityMessage)SnmpMessageCodec.Decode(bytes.AsMemory())).Pdu;
            compared += CompareInPlace(eager.VarBinds, lazy);
        });
        Assert.True(compared > 3_000, $"only {compared} bindings were compared");
    }

    [Fact]
    public void A_pdu_made_of_objects_reads_in_place_as_its_bindings()
    {
        SnmpGen.ForAll(SnmpGen.Pdu, 500, 7, pdu => CompareInPlace(pdu.VarBinds, pdu));
    }

    [Fact]
    public void Mutated_packets_get_the_same_verdict_from_both_decoders()
    {
        byte[][] corpus = DecoderFuzzTests.Corpus();
        var random = new Random(1129);
        byte[] scratch = new byte[1024];
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 200_000; i++)
        {
            int length = s_mutator.Mutate(random, corpus[random.Next(corpus.Length)], scratch);
            byte[] packet = scratch[..length];
            SnmpMessage? eager = Verdict(() => SnmpMessageCodec.Decode(packet.AsSpan()));
            SnmpMessage? lazy = Verdict(() => SnmpMessageCodec.Decode(packet.AsMemory()));
            Assert.True((eager is null) == (lazy is null), $"packet {Convert.ToHexString(packet)}: object decoder {(eager is null ? "refused" : "accepted")}, in place the other");
            if (eager is null || lazy is null)
            {
                rejected++;
                continue;
            }

            decoded++;
            Assert.Equal(eager, lazy); // reads the kept bindings: what the decoder checked must read without an error
            if (PduOf(lazy) is Pdu pdu)
            {
                CompareInPlace(PduOf(eager)!.VarBinds, pdu);
            }
        }

        Assert.True(decoded > 2_000 && rejected > 20_000, $"{decoded} decoded, {rejected} refused: the mutations miss one side");
    }

    private static SnmpMessage? Verdict(Func<SnmpMessage> decode)
    {
        try
        {
            return decode();
        }
        catch (SnmpDecodeException)
        {
            return null;
        }
    }

    private static SnmpPdu? PduOf(SnmpMessage message) => message switch
    {
        CommunityMessage community => community.Pdu,
        SnmpV3Message v3 => v3.ScopedPdu?.Pdu,
        _ => null,
    };

    /// <summary>Each view equals its decoded binding and prints the same line; returns how many were compared.</summary>
    private static int CompareInPlace(IReadOnlyList<VarBind> expected, SnmpPdu pdu)
    {
        Assert.Equal(expected.Count, pdu.VarBindCount);
        VarBindReader reader = pdu.ReadVarBinds(new uint[Oid.MaxLength]);
        var fromView = new ArrayBufferWriter<byte>();
        var fromObject = new ArrayBufferWriter<byte>();
        int i = 0;
        while (reader.TryRead(out VarBindView view))
        {
            Assert.Equal(expected[i], view.ToVarBind());
            Assert.Equal(expected[i].Value.IsException, view.Value.IsException);
            NetSnmpText.WriteLine(view, fromView);
            NetSnmpText.WriteLine(expected[i], fromObject);
            i++;
        }

        Assert.Equal(expected.Count, i);
        Assert.Equal(fromObject.WrittenSpan.ToArray(), fromView.WrittenSpan.ToArray());
        return i;
    }
}
