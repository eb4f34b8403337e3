using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.TestSupport;

namespace Network.Radius.Tests.Codec;

/// <summary>
/// A million mutated packets through the decoder and the authenticator checks, from valid Access-Requests, replies,
/// accounting and Vendor-Specific packets: bit flips, truncations, Length-field and attribute-length edits, insertions.
/// Seeded, so every run sees the same packets. Only RadiusDecodeException, and what decodes re-encodes to itself.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Packets = 1_000_000;

    // Attribute lengths around the minimum and maximum, and edits of the packet's Length field (octets 2 and 3).
    private static readonly PacketMutator s_mutator = new([0x00, 0x01, 0x02, 0x03, 0x06, 0x12, 0x13, 0x14, 0x15, 0x7F, 0x80, 0xFE, 0xFF], (random, scratch, length) =>
    {
        int newLength = random.Next(4) switch
        {
            0 => length + random.Next(-3, 4),
            1 => random.Next(0, 4200),
            2 => 4096 + random.Next(-1, 2),
            _ => 19 + random.Next(3),
        };
        scratch[2] = (byte)(newLength >> 8);
        scratch[3] = (byte)newLength;
    });

    [Fact]
    public void A_million_mutated_packets_raise_only_RadiusDecodeException()
    {
        byte[][] corpus = Corpus();
        var random = new Random(20240709);
        byte[] scratch = new byte[4200];
        byte[] secret = "testing123"u8.ToArray();
        int decoded = 0;
        int rejected = 0;

        for (int i = 0; i < Packets; i++)
        {
            byte[] original = corpus[random.Next(corpus.Length)];
            int length = s_mutator.Mutate(random, original, scratch);
            ReadOnlySpan<byte> packet = scratch.AsSpan(0, length);

            // The authenticator checks take any bytes and answer, never throw.
            if ((i & 7) == 0)
            {
                _ = MessageAuthenticator.Verify(packet, secret, original.AsSpan(4, 16));
                _ = RequestAuthenticator.Verify(packet, secret);
            }

            RadiusPacket message;
            try
            {
                message = RadiusCodec.Decode(packet);
            }
            catch (RadiusDecodeException)
            {
                rejected++;
                continue;
            }

            decoded++;
            if ((decoded & 15) == 0)
            {
                Assert.Equal(message, RadiusCodec.Decode(RadiusCodec.Encode(message)));
                foreach (RadiusAttribute attribute in message.Attributes)
                {
                    if (attribute.Type == VendorSpecific.AttributeType)
                    {
                        _ = VendorSpecific.TryDecode(attribute, out _);
                    }
                }

                _ = RadiusDictionary.Default.Format(message);
            }
        }

        Assert.Equal(Packets, decoded + rejected);
        Assert.True(decoded > Packets / 100, $"only {decoded} mutants decoded: the mutations are too coarse");
        Assert.True(rejected > Packets / 10, $"only {rejected} mutants were rejected: the mutations are too gentle");
    }

    private static byte[][] Corpus()
    {
        byte[] secret = "testing123"u8.ToArray();
        var request = new RadiusPacket(RadiusCode.AccessRequest, 1, RequestAuthenticator.CreateRandom(), []);
        request.SetString(RadiusAttributes.UserName, "alice@example.org");
        UserPassword.Set(request, "correct horse battery staple"u8, secret);
        request.SetIPv4Address(RadiusAttributes.NasIpAddress, System.Net.IPAddress.Parse("10.0.0.1"));
        request.SetString(RadiusAttributes.CallingStationId, "AA-BB-CC-DD-EE-FF");
        request.SetString(RadiusAttributes.WisprLocationName, "school-17");

        var accept = new RadiusPacket(RadiusCode.AccessAccept, 1);
        accept.SetString(RadiusAttributes.ReplyMessage, "welcome");
        accept.SetInteger(RadiusAttributes.SessionTimeout, 3600);
        accept.SetInteger(RadiusAttributes.WisprBandwidthMaxDown, 2_000_000);
        accept.SetInteger(RadiusAttributes.ChilliSpotMaxTotalOctets, 1_000_000_000);
        accept.SetString(RadiusAttributes.MikrotikRateLimit, "2M/4M");
        accept.SetOctets(RadiusAttributes.EapMessage, new byte[600]);

        var accounting = new RadiusPacket(RadiusCode.AccountingRequest, 2);
        accounting.SetEnum(RadiusAttributes.AcctStatusType, "Interim-Update");
        accounting.SetString(RadiusAttributes.AcctSessionId, "5F3A0001");
        accounting.SetInteger(RadiusAttributes.AcctInputOctets, 123456);
        accounting.SetTime(RadiusAttributes.EventTimestamp, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        accounting.SetIPv6Prefix(RadiusAttributes.FramedIpv6Prefix, System.Net.IPNetwork.Parse("2001:db8:1::/48"));

        return
        [
            RfcVectors.Bytes(RfcVectors.TelnetAccessRequest),
            RfcVectors.Bytes(RfcVectors.TelnetAccessAccept),
            RfcVectors.Bytes(RfcVectors.ChapAccessRequest),
            PacketSigner.EncodeRequest(request, secret),
            PacketSigner.EncodeResponse(accept, request.Authenticator.Span, secret),
            PacketSigner.EncodeRequest(accounting, secret),
        ];
    }
}
