using System.Net;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Tests.Codec;

/// <summary>The RFC 2865 section 7 packets decode to what the RFC says and re-encode byte for byte; framing rules as hex tables.</summary>
public sealed class RadiusCodecVectorTests
{
    [Theory]
    [InlineData("7.1 Access-Request", RfcVectors.TelnetAccessRequest)]
    [InlineData("7.1 Access-Accept", RfcVectors.TelnetAccessAccept)]
    [InlineData("7.2 Access-Request (CHAP)", RfcVectors.ChapAccessRequest)]
    public void RFC_2865_examples_reencode_byte_for_byte(string description, string hex)
    {
        byte[] wire = RfcVectors.Bytes(hex);

        RadiusPacket packet = RadiusCodec.Decode(wire);

        Assert.True(wire.AsSpan().SequenceEqual(RadiusCodec.Encode(packet)), description);
        Assert.True(wire.AsSpan().SequenceEqual(packet.Raw.Span), description);
    }

    [Fact]
    public void RFC_2865_7_1_Access_Request_reads_as_the_RFC_describes()
    {
        RadiusPacket request = RadiusCodec.Decode(RfcVectors.Bytes(RfcVectors.TelnetAccessRequest));

        Assert.Equal(RadiusCode.AccessRequest, request.Code);
        Assert.Equal(0, request.Identifier);
        Assert.Equal("0F403F9473978057BD83D5CB98F4227A", Convert.ToHexString(request.Authenticator.Span));
        Assert.Equal([1, 2, 4, 5], request.Attributes.Select(a => a.Type));
        Assert.Equal("nemo", request.GetString(RadiusAttributes.UserName));
        Assert.True(request.TryGetIPv4Address(RadiusAttributes.NasIpAddress, out IPAddress nas));
        Assert.Equal(IPAddress.Parse("192.168.1.16"), nas);
        Assert.True(request.TryGetInteger(RadiusAttributes.NasPort, out uint port));
        Assert.Equal(3u, port);
        Assert.True(UserPassword.TryGet(request, RfcVectors.SecretBytes, out byte[] password));
        Assert.Equal("arctangent", System.Text.Encoding.ASCII.GetString(password));
        // The raw bytes of each attribute are where Offset says.
        Assert.Equal(20, request.Attributes[0].Offset);
        Assert.Equal(26, request.Attributes[1].Offset);
        Assert.Equal(0x12, request.Raw.Span[request.Attributes[1].Offset + 1]);
    }

    [Fact]
    public void RFC_2865_7_1_Access_Accept_reads_as_the_RFC_describes()
    {
        RadiusPacket accept = RadiusCodec.Decode(RfcVectors.Bytes(RfcVectors.TelnetAccessAccept));

        Assert.Equal(RadiusCode.AccessAccept, accept.Code);
        Assert.True(accept.TryGetEnumName(RadiusAttributes.ServiceType, out string service));
        Assert.Equal("Login-User", service);
        Assert.True(accept.TryGetEnumName(RadiusAttributes.LoginService, out string login));
        Assert.Equal("Telnet", login);
        Assert.True(accept.TryGetIPv4Address(RadiusAttributes.LoginIpHost, out IPAddress host));
        Assert.Equal(IPAddress.Parse("192.168.1.3"), host);
    }

    [Fact]
    public void RFC_2865_7_2_CHAP_request_reads_as_the_RFC_describes()
    {
        RadiusPacket request = RadiusCodec.Decode(RfcVectors.Bytes(RfcVectors.ChapAccessRequest));

        Assert.Equal("flopsy", request.GetString(RadiusAttributes.UserName));
        Assert.True(request.TryGetOctets(RadiusAttributes.ChapPassword, out byte[] chap));
        Assert.Equal(17, chap.Length); // CHAP Ident + 16-octet response (RFC 2865 section 5.3)
        Assert.Equal(0x16, chap[0]);
        Assert.True(request.TryGetInteger(RadiusAttributes.NasPort, out uint port));
        Assert.Equal(20u, port);
        Assert.True(request.TryGetEnumName(RadiusAttributes.ServiceType, out string service));
        Assert.Equal("Framed-User", service);
        Assert.True(request.TryGetEnumName(RadiusAttributes.FramedProtocol, out string protocol));
        Assert.Equal("PPP", protocol);
    }

    [Theory]
    [InlineData("padding after Length is ignored (RFC 2865 section 3)", "0C 07 00 14 00000000000000000000000000000000 DEADBEEF", 20, 0)]
    [InlineData("an empty attribute (Length 2) is framing-valid", "0C 07 00 16 00000000000000000000000000000000 12 02", 22, 1)]
    [InlineData("an unknown Code is the policy's to discard", "FF 07 00 14 00000000000000000000000000000000", 20, 0)]
    [InlineData("a Vendor-Specific not in the recommended format stays opaque", "01 07 00 17 00000000000000000000000000000000 1A 03 FF", 23, 1)]
    [InlineData("Length 4096, the maximum, full of empty attributes", "", 4096, 2038)]
    public void Accepted_framing(string description, string hex, int length, int attributes)
    {
        byte[] wire = hex.Length > 0 ? RfcVectors.Bytes(hex) : MaxSizePacket();

        var limits = new RadiusDecodeLimits { MaxAttributes = 4096 };

        Assert.True(RadiusCodec.TryRead(wire, out RadiusPacket? packet, out int consumed, limits), description);
        Assert.Equal(length, consumed);
        Assert.Equal(attributes, packet!.Attributes.Count);
        Assert.Equal(length, RadiusCodec.Validate(wire, limits));
    }

    [Theory]
    [InlineData("Length 19, under the minimum of 20", "01 00 00 13 00000000000000000000000000000000", 2)]
    [InlineData("Length 0", "01 00 00 00 00000000000000000000000000000000", 2)]
    [InlineData("Length 4097, over the maximum of 4096", "01 00 10 01 00000000000000000000000000000000", 2)]
    [InlineData("Length 65535", "01 00 FF FF 00000000000000000000000000000000", 2)]
    [InlineData("attribute Length 0", "01 00 00 16 00000000000000000000000000000000 01 00", 21)]
    [InlineData("attribute Length 1", "01 00 00 16 00000000000000000000000000000000 01 01", 21)]
    [InlineData("attribute runs past Length", "01 00 00 16 00000000000000000000000000000000 01 03 41", 21)]
    [InlineData("attribute runs past Length, the datagram has the octet as padding", "01 00 00 16 00000000000000000000000000000000 01 03 41 42", 21)]
    [InlineData("a lone attribute Type octet", "01 00 00 15 00000000000000000000000000000000 01", 20)]
    public void Rejected_framing(string description, string hex, int offset)
    {
        byte[] wire = RfcVectors.Bytes(hex);

        RadiusDecodeException e = Assert.Throws<RadiusDecodeException>(() => RadiusCodec.Decode(wire));
        Assert.True(offset == e.Offset, $"{description}: offset {e.Offset}, expected {offset}");
        Assert.Throws<RadiusDecodeException>(() => RadiusCodec.Validate(wire));
    }

    [Theory]
    [InlineData("fewer than 20 octets", "01 00 00 14 0000")]
    [InlineData("Length 40 in a datagram of 20: RFC 2865 section 3, discard", "01 00 00 28 00000000000000000000000000000000")]
    public void Truncated_packets_are_not_read(string description, string hex)
    {
        byte[] wire = RfcVectors.Bytes(hex);

        Assert.False(RadiusCodec.TryRead(wire, out RadiusPacket? packet, out int consumed), description);
        Assert.Null(packet);
        Assert.Equal(0, consumed);
        Assert.Throws<RadiusDecodeException>(() => RadiusCodec.Decode(wire));
    }

    [Fact]
    public void More_attributes_than_the_limit_are_rejected()
    {
        byte[] wire = MaxSizePacket();

        RadiusDecodeException e = Assert.Throws<RadiusDecodeException>(() => RadiusCodec.Decode(wire, new RadiusDecodeLimits { MaxAttributes = 100 }));
        Assert.Equal(20 + (100 * 2), e.Offset);
        Assert.Equal(2038, RadiusCodec.Decode(wire, new RadiusDecodeLimits { MaxAttributes = 2038 }).Attributes.Count);
    }

    [Fact]
    public void The_encoder_refuses_a_packet_over_4096_octets_and_an_attribute_over_253()
    {
        var packet = new RadiusPacket(RadiusCode.AccessAccept, 1);
        for (int i = 0; i < 15; i++)
        {
            packet.Attributes.Add(new RadiusAttribute(18, new byte[253]));
        }

        packet.Attributes.Add(new RadiusAttribute(18, new byte[4096 - 20 - (15 * 255) - 2]));
        Assert.Equal(4096, RadiusCodec.Encode(packet).Length);
        packet.Attributes.Add(new RadiusAttribute(18, []));
        Assert.Throws<ArgumentException>(() => RadiusCodec.Encode(packet));
        Assert.Throws<ArgumentException>(() => new RadiusAttribute(18, new byte[254]));
    }

    [Fact]
    public void Vendor_Specific_attributes_read_and_write_in_the_RFC_2865_5_26_format()
    {
        // Vendor 14122 (WISPr), type 8 (Bandwidth-Max-Down) = 2000000, then type 7 = 1000000 in the same attribute.
        byte[] value = RfcVectors.Bytes("0000372A 08 06 001E8480 07 06 000F4240");
        RadiusAttribute vsa = new(26, value);

        VendorAttribute[] inner = VendorSpecific.Decode(vsa);

        Assert.Equal([new VendorAttribute(14122, 8, RfcVectors.Bytes("001E8480")), new VendorAttribute(14122, 7, RfcVectors.Bytes("000F4240"))], inner);
        Assert.Equal(RfcVectors.Bytes("1A 0C 0000372A 08 06 001E8480"), RadiusCodec.Encode(WithAttribute(VendorSpecific.Create(inner[0])))[20..]);
        Assert.False(VendorSpecific.TryDecode(new RadiusAttribute(26, RfcVectors.Bytes("0000372A 08 07 001E8480")), out _));
        Assert.False(VendorSpecific.TryDecode(new RadiusAttribute(26, RfcVectors.Bytes("0100372A 08 06 001E8480")), out _));
        Assert.Throws<RadiusDecodeException>(() => VendorSpecific.Decode(new RadiusAttribute(26, RfcVectors.Bytes("0000372A 08 01"))));
    }

    private static RadiusPacket WithAttribute(RadiusAttribute attribute)
    {
        var packet = new RadiusPacket(RadiusCode.AccessAccept, 0);
        packet.Attributes.Add(attribute);
        return packet;
    }

    // 4096 octets: the header and 2038 empty attributes of type 18.
    private static byte[] MaxSizePacket()
    {
        byte[] wire = new byte[4096];
        wire[0] = 2;
        wire[2] = 0x10;
        for (int i = 20; i < wire.Length; i += 2)
        {
            wire[i] = 18;
            wire[i + 1] = 2;
        }

        return wire;
    }
}
