using Network.Snmp.Pdus;
using Network.TestSupport;

namespace Network.Snmp.Tests.Pdus;

/// <summary>
/// A million mutated packets through the decoder, from valid v1, v2c and v3 messages: bit flips, truncations,
/// length-octet edits, insertions and deletions. Seeded, so every run sees the same packets. The decoder must
/// throw SnmpDecodeException or nothing, and what still decodes must re-encode and decode to the same message.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Packets = 1_000_000;

    // Length octets worth trying: the short/long boundary, indefinite, every long form, too-long forms, the maximum.
    // BER length octets: short and long forms, indefinite (0x80), lengths of length up to 8.
    private static readonly PacketMutator s_mutator = new([0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x88, 0xFF]);

    [Fact]
    public void A_million_mutated_packets_raise_only_SnmpDecodeException()
    {
        byte[][] corpus = Corpus();
        var random = new Random(20240611);
        byte[] scratch = new byte[1024];
        int decoded = 0;
        int rejected = 0;

        for (int i = 0; i < Packets; i++)
        {
            byte[] original = corpus[random.Next(corpus.Length)];
            int length = s_mutator.Mutate(random, original, scratch);
            ReadOnlySpan<byte> packet = scratch.AsSpan(0, length);

            SnmpMessage message;
            try
            {
                message = SnmpMessageCodec.Decode(packet);
            }
            catch (SnmpDecodeException)
            {
                rejected++;
                continue;
            }

            decoded++;
            if (decoded % 16 == 0)
            {
                // What decodes is a message the encoder can write back: a sample keeps the run short.
                Assert.Equal(message, SnmpMessageCodec.Decode(SnmpMessageCodec.Encode(message)));
            }
        }

        Assert.Equal(Packets, decoded + rejected);
        Assert.True(decoded > Packets / 100, $"only {decoded} mutants decoded: the mutations are too coarse");
        Assert.True(rejected > Packets / 10, $"only {rejected} mutants were rejected: the mutations are too gentle");
    }

    /// <summary>Valid v1, v2c and v3 messages of every PDU shape, the seeds of the mutations (shared with the in-place decoder tests).</summary>
    internal static byte[][] Corpus()
    {
        Oid ifInOctets = Oid.Parse("1.3.6.1.2.1.2.2.1.10");
        VarBind[] mixed =
        [
            new(Oid.Parse("1.3.6.1.2.1.1.3.0"), SnmpValue.TimeTicks(123456)),
            new(Oid.Parse("1.3.6.1.2.1.1.5.0"), SnmpValue.OctetString("edge-router-7")),
            new(Oid.Parse("1.3.6.1.2.1.1.2.0"), SnmpValue.ObjectIdentifier(Oid.Parse("1.3.6.1.4.1.8072.3.2.10"))),
            new(ifInOctets.Append(1), SnmpValue.Counter32(4_000_000_000)),
            new(Oid.Parse("1.3.6.1.2.1.31.1.1.1.6.1"), SnmpValue.Counter64(ulong.MaxValue)),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.5.1"), SnmpValue.Gauge32(1_000_000_000)),
            new(Oid.Parse("1.3.6.1.2.1.4.20.1.1.10.0.0.1"), SnmpValue.IpAddress([10, 0, 0, 1])),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.8.1"), SnmpValue.Integer(-5)),
            new(Oid.Parse("1.3.6.1.4.1.2021.10.1.6.1"), SnmpValue.Opaque([0x9F, 0x78, 0x04, 0x3E, 0x99, 0x99, 0x9A])),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.9.2"), SnmpValue.NoSuchInstance),
            new(Oid.Parse("1.3.6.1.2.1.2.2.1.9.3"), SnmpValue.EndOfMibView),
        ];
        var usm = new UsmSecurityParameters(new byte[] { 0x80, 0x00, 0x1F, 0x88, 0x80, 0x01, 0x02 }, 3, 86400, "monitor"u8.ToArray(), new byte[12], new byte[8]);

        SnmpMessage[] messages =
        [
            new CommunityMessage(SnmpVersion.V1, "public", Pdu.GetRequest(1, [VarBind.Request(Oid.Parse("1.3.6.1.2.1.1.3.0"))])),
            new CommunityMessage(SnmpVersion.V1, "public", new TrapV1Pdu(Oid.Parse("1.3.6.1.4.1.2021"), new byte[] { 192, 168, 1, 1 }, GenericTrap.LinkUp, 0, 500, mixed[..3])),
            new CommunityMessage(SnmpVersion.V2c, "public", Pdu.GetBulkRequest(7, 0, 25, [VarBind.Request(ifInOctets)])),
            new CommunityMessage(SnmpVersion.V2c, "s3cret", Pdu.Response(7, ErrorStatus.NoError, 0, mixed)),
            new SnmpV3Message
            {
                MessageId = 1,
                Flags = SnmpV3FlagBits.Reportable,
                Usm = new UsmSecurityParameters(default, 0, 0, default, default, default),
                ScopedPdu = new ScopedPdu(default, default, Pdu.GetRequest(2, [])),
            },
            new SnmpV3Message
            {
                MessageId = 2,
                Flags = SnmpV3FlagBits.Auth | SnmpV3FlagBits.Reportable,
                Usm = usm,
                ScopedPdu = new ScopedPdu(usm.AuthoritativeEngineId, default, Pdu.Response(3, ErrorStatus.NoError, 0, mixed)),
            },
            new SnmpV3Message
            {
                MessageId = 3,
                Flags = SnmpV3FlagBits.Auth | SnmpV3FlagBits.Priv,
                Usm = usm,
                EncryptedPdu = new byte[64],
            },
        ];

        var corpus = new byte[messages.Length][];
        for (int i = 0; i < messages.Length; i++)
        {
            corpus[i] = SnmpMessageCodec.Encode(messages[i]);
        }

        return corpus;
    }
}
