using System.Formats.Asn1;
using System.Globalization;
using CsCheck;
using Network.Snmp.Ber;
using Network.Snmp.Pdus;
using Network.Snmp.Tests.Pdus;

namespace Network.Snmp.Tests.Ber;

/// <summary>
/// System.Formats.Asn1 as the oracle. Reading: whatever AsnReader (BER rules) accepts for an SNMP type, BerReader
/// accepts with the same value. Writing: what AsnWriter (BER rules) writes, BerWriter writes byte for byte.
/// </summary>
/// <remarks>
/// The inputs are primitive, definite-length encodings (minimal or not): RFC 3417 section 8 forbids the
/// constructed strings and indefinite lengths that AsnReader's BER mode also takes. OIDs are compared when every
/// sub-identifier, the first combined one included, is within 2^32-1 and there are at most 128 (RFC 2578).
/// </remarks>
public sealed class BerOracleTests
{
    private const int Iterations = 20_000;

    private static readonly SnmpType[] s_valueTypes =
    [
        SnmpType.Integer, SnmpType.OctetString, SnmpType.Null, SnmpType.ObjectIdentifier, SnmpType.IpAddress,
        SnmpType.Counter32, SnmpType.Gauge32, SnmpType.TimeTicks, SnmpType.Opaque, SnmpType.NsapAddress,
        SnmpType.Counter64, SnmpType.UInteger32, SnmpType.NoSuchObject, SnmpType.NoSuchInstance, SnmpType.EndOfMibView,
    ];

    // Content octets biased to the edges where integers change length and sub-identifiers continue.
    private static readonly Gen<byte[]> s_content = Gen.OneOf(
        Gen.Byte.Array[0, 10],
        Gen.OneOf<byte>(0x00, 0x01, 0x7F, 0x80, 0x81, 0xFF).Array[0, 10]);

    private static readonly Gen<(SnmpType Type, byte[] Encoding)> s_encoding = Gen.Select(
            Gen.OneOf(s_valueTypes), s_content, Gen.Int[0, 2])
        .Select((type, content, lengthForm) => (type, Encode(type, content, lengthForm)));

    [Fact]
    public void What_AsnReader_accepts_BerReader_accepts_with_the_same_value()
    {
        int compared = 0;
        SnmpGen.ForAll(s_encoding, Iterations, seed: 3417, input =>
        {
            if (!TryOracle(input.Type, input.Encoding, out SnmpValue expected))
            {
                return;
            }

            var reader = new BerReader(input.Encoding);
            Assert.Equal(expected, reader.ReadValue());
            reader.ThrowIfNotEnd("the value");
            compared++;
        });

        // The generator must reach the oracle often, or the property says nothing.
        Assert.True(compared > Iterations / 4, $"only {compared} of {Iterations} inputs were valid BER");
    }

    [Fact]
    public void BerWriter_writes_what_AsnWriter_writes_for_every_value()
    {
        SnmpGen.ForAll(SnmpGen.Value, Iterations, seed: 690, value =>
        {
            var asn = new AsnWriter(AsnEncodingRules.BER);
            WriteWithAsnWriter(asn, value);

            var writer = new BerWriter();
            writer.WriteValue(value);
            Assert.Equal(asn.Encode(), writer.ToArray());
        });
    }

    [Fact]
    public void BerWriter_writes_what_AsnWriter_writes_for_whole_PDUs()
    {
        SnmpGen.ForAll(SnmpGen.Pdu, 3_000, seed: 3416, pdu =>
        {
            var asn = new AsnWriter(AsnEncodingRules.BER);
            asn.PushSequence(new Asn1Tag(TagClass.ContextSpecific, (int)pdu.Type & 0x1F, isConstructed: true));
            asn.WriteInteger(pdu.RequestId);
            asn.WriteInteger((int)pdu.ErrorStatus);
            asn.WriteInteger(pdu.ErrorIndex);
            asn.PushSequence();
            foreach (VarBind varBind in pdu.VarBinds)
            {
                asn.PushSequence();
                asn.WriteObjectIdentifier(varBind.Oid.ToString());
                WriteWithAsnWriter(asn, varBind.Value);
                asn.PopSequence();
            }

            asn.PopSequence();
            asn.PopSequence(new Asn1Tag(TagClass.ContextSpecific, (int)pdu.Type & 0x1F, isConstructed: true));

            Assert.Equal(asn.Encode(), SnmpMessageCodec.EncodePdu(pdu));
        });
    }

    private static byte[] Encode(SnmpType type, byte[] content, int lengthForm)
    {
        byte[] length = lengthForm switch
        {
            0 => [(byte)content.Length],
            1 => [0x81, (byte)content.Length],
            _ => [0x82, 0x00, (byte)content.Length],
        };
        return [(byte)type, .. length, .. content];
    }

    private static Asn1Tag TagOf(SnmpType type)
    {
        int tag = (byte)type;
        return (tag & 0xC0) switch
        {
            0x00 => new Asn1Tag((UniversalTagNumber)(tag & 0x1F)),
            0x40 => new Asn1Tag(TagClass.Application, tag & 0x1F),
            _ => new Asn1Tag(TagClass.ContextSpecific, tag & 0x1F),
        };
    }

    private static bool TryOracle(SnmpType type, byte[] encoding, out SnmpValue value)
    {
        value = default;
        var reader = new AsnReader(encoding, AsnEncodingRules.BER);
        Asn1Tag tag = TagOf(type);
        try
        {
            switch (type)
            {
                case SnmpType.Integer:
                    if (!reader.TryReadInt32(out int i, tag))
                    {
                        return false;
                    }

                    value = SnmpValue.Integer(i);
                    break;
                case SnmpType.Counter32:
                case SnmpType.Gauge32:
                case SnmpType.TimeTicks:
                case SnmpType.UInteger32:
                    if (!reader.TryReadUInt32(out uint u, tag))
                    {
                        return false;
                    }

                    value = type switch
                    {
                        SnmpType.Counter32 => SnmpValue.Counter32(u),
                        SnmpType.Gauge32 => SnmpValue.Gauge32(u),
                        SnmpType.TimeTicks => SnmpValue.TimeTicks(u),
                        _ => SnmpValue.UInteger32(u),
                    };
                    break;
                case SnmpType.Counter64:
                    if (!reader.TryReadUInt64(out ulong c, tag))
                    {
                        return false;
                    }

                    value = SnmpValue.Counter64(c);
                    break;
                case SnmpType.OctetString:
                case SnmpType.IpAddress:
                case SnmpType.Opaque:
                case SnmpType.NsapAddress:
                    byte[] bytes = reader.ReadOctetString(tag);
                    value = type switch
                    {
                        SnmpType.OctetString => SnmpValue.OctetString(bytes),
                        SnmpType.IpAddress => SnmpValue.IpAddress(bytes),
                        SnmpType.Opaque => SnmpValue.Opaque(bytes),
                        _ => SnmpValue.NsapAddress(bytes),
                    };
                    break;
                case SnmpType.Null:
                case SnmpType.NoSuchObject:
                case SnmpType.NoSuchInstance:
                case SnmpType.EndOfMibView:
                    reader.ReadNull(tag);
                    value = type switch
                    {
                        SnmpType.Null => SnmpValue.Null,
                        SnmpType.NoSuchObject => SnmpValue.NoSuchObject,
                        SnmpType.NoSuchInstance => SnmpValue.NoSuchInstance,
                        _ => SnmpValue.EndOfMibView,
                    };
                    break;
                case SnmpType.ObjectIdentifier:
                    string[] arcs = reader.ReadObjectIdentifier().Split('.');
                    if (arcs.Length > Oid.MaxLength
                        || !ulong.TryParse(arcs[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong second)
                        || (ulong.Parse(arcs[0], CultureInfo.InvariantCulture) * 40) + second > uint.MaxValue
                        || !Oid.TryParse(string.Join('.', arcs), out Oid? oid))
                    {
                        return false;
                    }

                    value = SnmpValue.ObjectIdentifier(oid);
                    break;
                default:
                    return false;
            }

            reader.ThrowIfNotEmpty();
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static void WriteWithAsnWriter(AsnWriter asn, SnmpValue value)
    {
        Asn1Tag tag = TagOf(value.Type);
        switch (value.Type)
        {
            case SnmpType.Integer:
                asn.WriteInteger(value.AsInt32(), tag);
                break;
            case SnmpType.Counter32:
            case SnmpType.Gauge32:
            case SnmpType.TimeTicks:
            case SnmpType.UInteger32:
            case SnmpType.Counter64:
                asn.WriteInteger(value.AsUInt64(), tag);
                break;
            case SnmpType.OctetString:
            case SnmpType.IpAddress:
            case SnmpType.Opaque:
            case SnmpType.NsapAddress:
                asn.WriteOctetString(value.AsBytes().Span, tag);
                break;
            case SnmpType.ObjectIdentifier:
                asn.WriteObjectIdentifier(value.AsOid().ToString());
                break;
            default:
                asn.WriteNull(tag);
                break;
        }
    }
}
