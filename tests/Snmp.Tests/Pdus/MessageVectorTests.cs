using System.Security.Cryptography;
using Network.Snmp.Ber;
using Network.Snmp.Pdus;
using static Network.Snmp.Tests.Ber.BerVectorTests;
using Oid = Network.Snmp.Pdus.Oid;

namespace Network.Snmp.Tests.Pdus;

/// <summary>Whole messages written out byte by byte, and the framing errors the decoder must refuse.</summary>
public sealed class MessageVectorTests
{
    private static readonly Oid s_sysUpTime0 = Oid.Parse("1.3.6.1.2.1.1.3.0");

    private const string GetRequestV2c =
        "30 27" +                                   // Message ::= SEQUENCE, 39 octets (RFC 1901 section 3)
        "02 01 01" +                                // version 1: SNMPv2c
        "04 06 70 75 62 6C 69 63" +                 // community "public"
        "A0 1A" +                                   // GetRequest-PDU [0], 26 octets (RFC 3416 section 3)
        "02 02 04 D2" +                             //   request-id 1234
        "02 01 00" +                                //   error-status noError
        "02 01 00" +                                //   error-index 0
        "30 0E" +                                   //   VarBindList
        "30 0C" +                                   //     VarBind
        "06 08 2B 06 01 02 01 01 03 00" +           //       name sysUpTime.0 = 1.3.6.1.2.1.1.3.0
        "05 00";                                    //       value unSpecified NULL

    // An SNMPv3 discovery request (RFC 3414 section 4): noAuthNoPriv, reportable, empty engine ID and user.
    private const string DiscoveryV3 =
        "30 3A" +                                   // SNMPv3Message, 58 octets (RFC 3412 section 6)
        "02 01 03" +                                // msgVersion 3
        "30 0F" +                                   // msgGlobalData HeaderData
        "02 02 12 34" +                             //   msgID 4660
        "02 03 00 FF E3" +                          //   msgMaxSize 65507
        "04 01 04" +                                //   msgFlags reportable
        "02 01 03" +                                //   msgSecurityModel USM
        "04 10" +                                   // msgSecurityParameters OCTET STRING
        "30 0E" +                                   //   UsmSecurityParameters (RFC 3414 section 2.4)
        "04 00" +                                   //     msgAuthoritativeEngineID
        "02 01 00" +                                //     msgAuthoritativeEngineBoots
        "02 01 00" +                                //     msgAuthoritativeEngineTime
        "04 00" +                                   //     msgUserName
        "04 00" +                                   //     msgAuthenticationParameters, content at offset 38
        "04 00" +                                   //     msgPrivacyParameters
        "30 12" +                                   // msgData: plaintext ScopedPDU
        "04 00" +                                   //   contextEngineID
        "04 00" +                                   //   contextName
        "A0 0C" +                                   //   GetRequest-PDU
        "02 02 56 78" +                             //     request-id 22136
        "02 01 00 02 01 00" +                       //     error-status, error-index
        "30 00";                                    //     empty VarBindList

    [Fact]
    public void V2c_GetRequest_for_sysUpTime_0_with_community_public()
    {
        var message = new CommunityMessage(SnmpVersion.V2c, "public", Pdu.GetRequest(1234, [VarBind.Request(s_sysUpTime0)]));

        Assert.Equal(Hex(GetRequestV2c), SnmpMessageCodec.Encode(message));
        Assert.Equal(message, SnmpMessageCodec.Decode(Hex(GetRequestV2c)));
    }

    [Fact]
    public void V1_Trap_PDU()
    {
        const string trap =
            "30 39" +                               // Message, 57 octets
            "02 01 00" +                            // version-1
            "04 06 70 75 62 6C 69 63" +             // community "public"
            "A4 2C" +                               // Trap-PDU [4], 44 octets (RFC 1157 section 4.1.6)
            "06 07 2B 06 01 04 01 8F 65" +          //   enterprise 1.3.6.1.4.1.2021
            "40 04 C0 A8 01 01" +                   //   agent-addr 192.168.1.1
            "02 01 02" +                            //   generic-trap linkDown(2)
            "02 01 00" +                            //   specific-trap 0
            "43 02 30 39" +                         //   time-stamp 12345
            "30 11 30 0F" +                         //   variable-bindings, one VarBind
            "06 0A 2B 06 01 02 01 02 02 01 01 03" + //     ifIndex.3
            "02 01 03";                             //     INTEGER 3
        var message = new CommunityMessage(
            SnmpVersion.V1,
            "public",
            new TrapV1Pdu(Oid.Parse("1.3.6.1.4.1.2021"), new byte[] { 192, 168, 1, 1 }, GenericTrap.LinkDown, 0, 12345,
                [new VarBind(Oid.Parse("1.3.6.1.2.1.2.2.1.1.3"), SnmpValue.Integer(3))]));

        Assert.Equal(Hex(trap), SnmpMessageCodec.Encode(message));
        Assert.Equal(message, SnmpMessageCodec.Decode(Hex(trap)));
    }

    [Fact]
    public void V3_discovery_request_and_the_offset_of_msgAuthenticationParameters()
    {
        var message = new SnmpV3Message
        {
            MessageId = 0x1234,
            MaxSize = 65507,
            Flags = SnmpV3FlagBits.Reportable,
            Usm = new UsmSecurityParameters(default, 0, 0, default, default, default),
            ScopedPdu = new ScopedPdu(default, default, Pdu.GetRequest(0x5678, [])),
        };

        byte[] encoded = SnmpMessageCodec.Encode(message, out int offset);
        Assert.Equal(Hex(DiscoveryV3), encoded);
        Assert.Equal(38, offset);

        var decoded = Assert.IsType<SnmpV3Message>(SnmpMessageCodec.Decode(encoded));
        Assert.Equal(message, decoded);
        Assert.Equal(38, decoded.AuthenticationParametersOffset);
        Assert.NotNull(decoded.ScopedPdu);
    }

    [Fact]
    public void V3_authenticated_message_placeholder_is_patched_in_place()
    {
        // The flow of RFC 3414 section 6.3.1 with usmHMAC192SHA256AuthProtocol (RFC 7860): 24 zeros, HMAC the whole message, patch the digest in.
        byte[] key = RandomNumberGenerator.GetBytes(32);
        var usm = new UsmSecurityParameters(Hex("80 00 1F 88 80 01 02 03 04"), 7, 123456, "monitor"u8.ToArray(), new byte[24], default);
        VarBind[] many = [.. Enumerable.Range(1, 40).Select(i => new VarBind(Oid.Parse($"1.3.6.1.2.1.2.2.1.10.{i}"), SnmpValue.Counter32((uint)i * 1000)))];
        var message = new SnmpV3Message
        {
            MessageId = 99,
            Flags = SnmpV3FlagBits.Auth | SnmpV3FlagBits.Reportable,
            Usm = usm,
            ScopedPdu = new ScopedPdu(usm.AuthoritativeEngineId, default, Pdu.Response(5, ErrorStatus.NoError, 0, many)),
        };

        byte[] wire = SnmpMessageCodec.Encode(message, out int offset);
        Assert.True(wire.Length > 256, "the message must need a two-octet length so the offset moves");
        Assert.Equal(new byte[24], wire.AsSpan(offset, 24).ToArray());
        Assert.Equal(Hex("04 18"), wire.AsSpan(offset - 2, 2).ToArray());

        byte[] digest = HMACSHA256.HashData(key, wire).AsSpan(0, 24).ToArray();
        digest.CopyTo(wire, offset);

        var decoded = Assert.IsType<SnmpV3Message>(SnmpMessageCodec.Decode(wire));
        Assert.Equal(offset, decoded.AuthenticationParametersOffset);
        Assert.Equal(digest, decoded.Usm!.AuthenticationParameters.ToArray());

        // The receiver's side: zero the digest where the decoder says it is and recompute.
        byte[] copy = (byte[])wire.Clone();
        copy.AsSpan(decoded.AuthenticationParametersOffset, 24).Clear();
        Assert.True(CryptographicOperations.FixedTimeEquals(digest, HMACSHA256.HashData(key, copy).AsSpan(0, 24)));
    }

    [Fact]
    public void V3_encrypted_msgData_is_exposed_raw()
    {
        byte[] cipherText = RandomNumberGenerator.GetBytes(48);
        var message = new SnmpV3Message
        {
            MessageId = 1,
            Flags = SnmpV3FlagBits.Auth | SnmpV3FlagBits.Priv,
            Usm = new UsmSecurityParameters(Hex("80 00 1F 88 04"), 1, 2, "u"u8.ToArray(), new byte[12], new byte[8]),
            EncryptedPdu = cipherText,
        };

        var decoded = Assert.IsType<SnmpV3Message>(SnmpMessageCodec.Decode(SnmpMessageCodec.Encode(message)));
        Assert.Null(decoded.ScopedPdu);
        Assert.Equal(cipherText, decoded.EncryptedPdu.ToArray());
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void ScopedPdu_alone_round_trips_and_tolerates_cipher_padding()
    {
        var scoped = new ScopedPdu(Hex("80 00 1F 88 04"), "ctx"u8.ToArray(), Pdu.GetRequest(7, [VarBind.Request(s_sysUpTime0)]));
        byte[] plain = SnmpMessageCodec.EncodeScopedPdu(scoped);
        Assert.Equal(scoped, SnmpMessageCodec.DecodeScopedPdu(plain));

        // DES-CBC pads the plaintext to eight octets (RFC 3414 section 8.1.1.2); what follows the SEQUENCE is ignored.
        byte[] padded = [.. plain, .. new byte[8 - (plain.Length % 8)]];
        Assert.Equal(scoped, SnmpMessageCodec.DecodeScopedPdu(padded, null, out int consumed));
        Assert.Equal(plain.Length, consumed);
        Assert.Throws<SnmpDecodeException>(() => SnmpMessageCodec.DecodeScopedPdu(padded));
    }

    [Fact]
    public void GetBulk_carries_non_repeaters_and_max_repetitions_in_the_error_slots()
    {
        Pdu bulk = Pdu.GetBulkRequest(42, 1, 25, [VarBind.Request(s_sysUpTime0), VarBind.Request(Oid.Parse("1.3.6.1.2.1.2.2.1.2"))]);
        byte[] encoded = SnmpMessageCodec.EncodePdu(bulk);
        Assert.Equal(Hex("A5 28 02 01 2A 02 01 01 02 01 19"), encoded.AsSpan(0, 11).ToArray());

        var decoded = Assert.IsType<Pdu>(SnmpMessageCodec.DecodePdu(encoded));
        Assert.Equal(1, decoded.NonRepeaters);
        Assert.Equal(25, decoded.MaxRepetitions);
        Assert.Equal(bulk, decoded);
    }

    [Theory]
    [InlineData("trailing byte after the message", GetRequestV2c + "00", 41)]
    [InlineData("indefinite length on the message", "30 80" + "02 01 01", 1)]
    [InlineData("message length past the end", "30 28" + "02 01 01 04 06 70 75 62 6C 69 63", 0)]
    [InlineData("unknown version 2", "30 03 02 01 02", 2)]
    [InlineData("version is an OCTET STRING", "30 03 04 01 01", 2)]
    [InlineData("not a SEQUENCE", "31 03 02 01 01", 0)]
    [InlineData("a value tag where the PDU belongs", "30 0D 02 01 01 04 06 70 75 62 6C 69 63 05 00", 13)]
    [InlineData("bytes after the variable-bindings", "30 14 02 01 01 04 00 A0 0D 02 01 01 02 01 00 02 01 00 30 00 05 00", 20)]
    [InlineData("msgFlags of two octets", "30 0F 02 01 03 30 0A 02 01 01 02 01 00 04 02 00 00", 13)]
    [InlineData("msgData neither ScopedPDU nor OCTET STRING", "30 16 02 01 03 30 0D 02 01 01 02 02 01 E4 04 01 00 02 01 04 04 00 05 00", 22)]
    [InlineData("a Trap-PDU inside a ScopedPDU", "30 2C 02 01 03 30 0D 02 01 01 02 02 01 E4 04 01 00 02 01 04 04 00 30 16 04 00 04 00 A4 10 06 01 00 40 00 02 01 00 02 01 00 43 01 00 30 00", 28)]
    public void Malformed_messages_are_rejected_with_their_offset(string description, string hex, int offset)
    {
        SnmpDecodeException e = Assert.Throws<SnmpDecodeException>(() => SnmpMessageCodec.Decode(Hex(hex)));
        Assert.True(offset == e.Offset, $"{description}: expected the offset {offset}, got {e.Offset} ({e.Message})");
    }

    [Fact]
    public void Limits_bound_depth_bindings_and_size()
    {
        byte[] v3 = Hex(DiscoveryV3);
        Assert.IsType<SnmpV3Message>(SnmpMessageCodec.Decode(v3, new SnmpDecodeLimits { MaxDepth = 4 }));
        Assert.Throws<SnmpDecodeException>(() => SnmpMessageCodec.Decode(v3, new SnmpDecodeLimits { MaxDepth = 3 }));
        Assert.Throws<SnmpDecodeException>(() => SnmpMessageCodec.Decode(v3, new SnmpDecodeLimits { MaxMessageSize = 59 }));

        var three = new CommunityMessage(SnmpVersion.V2c, "public", Pdu.GetRequest(1, [.. Enumerable.Repeat(VarBind.Request(s_sysUpTime0), 3)]));
        byte[] encoded = SnmpMessageCodec.Encode(three);
        Assert.Equal(three, SnmpMessageCodec.Decode(encoded, new SnmpDecodeLimits { MaxVarBinds = 3 }));
        Assert.Throws<SnmpDecodeException>(() => SnmpMessageCodec.Decode(encoded, new SnmpDecodeLimits { MaxVarBinds = 2 }));
    }

    [Fact]
    public void Other_security_models_keep_their_parameters_raw()
    {
        var message = new SnmpV3Message
        {
            MessageId = 5,
            SecurityModel = 4,
            RawSecurityParameters = Hex("01 02 03"),
            ScopedPdu = new ScopedPdu(default, default, Pdu.GetRequest(1, [])),
        };

        var decoded = Assert.IsType<SnmpV3Message>(SnmpMessageCodec.Decode(SnmpMessageCodec.Encode(message, out int offset)));
        Assert.Equal(-1, offset);
        Assert.Equal(-1, decoded.AuthenticationParametersOffset);
        Assert.Null(decoded.Usm);
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Encoding_into_an_IBufferWriter_matches_the_array()
    {
        var message = new CommunityMessage(SnmpVersion.V2c, "public", Pdu.GetRequest(1234, [VarBind.Request(s_sysUpTime0)]));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        int written = SnmpMessageCodec.Encode(message, buffer, out _);
        Assert.Equal(41, written);
        Assert.Equal(Hex(GetRequestV2c), buffer.WrittenSpan.ToArray());
    }
}
