using System.Net;
using CsCheck;
using Network.Radius.Codec;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Tests.Codec;

namespace Network.Radius.Tests.Dictionary;

/// <summary>Typed accessors: each RFC 8044 type round trips through the wire, long values split where the RFC allows.</summary>
public sealed class RadiusPacketExtensionsTests
{
    [Fact]
    public void Every_type_round_trips_through_the_wire()
    {
        var packet = new RadiusPacket(RadiusCode.AccountingRequest, 3);
        packet.SetString(RadiusAttributes.UserName, "élève@école.fr");
        packet.SetOctets(RadiusAttributes.Class, [0, 1, 2, 255]);
        packet.SetInteger(RadiusAttributes.SessionTimeout, uint.MaxValue);
        packet.SetEnum(RadiusAttributes.AcctStatusType, "interim-update");
        packet.SetTime(RadiusAttributes.EventTimestamp, DateTimeOffset.Parse("2024-07-09T12:34:56Z", System.Globalization.CultureInfo.InvariantCulture));
        packet.SetIPv4Address(RadiusAttributes.FramedIpAddress, IPAddress.Parse("10.1.2.3"));
        packet.SetIPv6Address(RadiusAttributes.NasIpv6Address, IPAddress.Parse("2001:db8::1"));
        packet.SetIPv6Prefix(RadiusAttributes.FramedIpv6Prefix, IPNetwork.Parse("2001:db8:ab00::/40"));
        packet.SetOctets(RadiusAttributes.FramedInterfaceId, [1, 2, 3, 4, 5, 6, 7, 8]);
        packet.SetInteger(RadiusAttributes.WisprBandwidthMaxDown, 2_000_000);
        packet.SetString(RadiusAttributes.MikrotikRateLimit, "2M/4M");
        packet.SetInteger(RadiusAttributes.ChilliSpotMaxTotalOctets, 500_000_000);

        RadiusPacket read = RadiusCodec.Decode(RadiusCodec.Encode(packet));

        Assert.Equal("élève@école.fr", read.GetString(RadiusAttributes.UserName));
        Assert.True(read.TryGetOctets(RadiusAttributes.Class, out byte[] cls));
        Assert.Equal([0, 1, 2, 255], cls);
        Assert.True(read.TryGetInteger(RadiusAttributes.SessionTimeout, out uint timeout));
        Assert.Equal(uint.MaxValue, timeout);
        Assert.True(read.TryGetEnumName(RadiusAttributes.AcctStatusType, out string status));
        Assert.Equal("Interim-Update", status);
        Assert.True(read.TryGetInteger(RadiusAttributes.AcctStatusType, out uint statusValue));
        Assert.Equal(AcctStatusType.InterimUpdate, (AcctStatusType)statusValue);
        Assert.True(read.TryGetTime(RadiusAttributes.EventTimestamp, out DateTimeOffset time));
        Assert.Equal(1720528496, time.ToUnixTimeSeconds());
        Assert.True(read.TryGetIPv4Address(RadiusAttributes.FramedIpAddress, out IPAddress v4));
        Assert.Equal(IPAddress.Parse("10.1.2.3"), v4);
        Assert.True(read.TryGetIPv6Address(RadiusAttributes.NasIpv6Address, out IPAddress v6));
        Assert.Equal(IPAddress.Parse("2001:db8::1"), v6);
        Assert.True(read.TryGetIPv6Prefix(RadiusAttributes.FramedIpv6Prefix, out IPNetwork prefix));
        Assert.Equal(IPNetwork.Parse("2001:db8:ab00::/40"), prefix);
        Assert.True(read.TryGetInteger(RadiusAttributes.WisprBandwidthMaxDown, out uint down));
        Assert.Equal(2_000_000u, down);
        Assert.Equal("2M/4M", read.GetString(RadiusAttributes.MikrotikRateLimit));
        Assert.True(read.TryGetInteger(RadiusAttributes.ChilliSpotMaxTotalOctets, out uint total));
        Assert.Equal(500_000_000u, total);
    }

    [Theory]
    [InlineData("RFC 3162 2.3: /64 in its 8 significant octets", "00 40 20010db8 00000001", "2001:db8:0:1::/64")]
    [InlineData("a full 16-octet prefix field, as some NASes send", "00 30 20010db8 00010000 00000000 00000000", "2001:db8:1::/48")]
    [InlineData("host bits set past the prefix are cleared", "00 20 20010db8 ffff", "2001:db8::/32")]
    [InlineData("::/0", "00 00", "::/0")]
    public void IPv6_prefixes_are_read_leniently(string description, string hex, string expected)
    {
        Assert.True(RadiusValues.TryReadIPv6Prefix(RfcVectors.Bytes(hex), out IPNetwork prefix), description);
        Assert.Equal(IPNetwork.Parse(expected), prefix);
    }

    [Theory]
    [InlineData("prefix length 129", "00 81 20010db8 00000000 00000000 00000000")]
    [InlineData("prefix length longer than the field", "00 40 20010db8")]
    [InlineData("one octet", "00")]
    [InlineData("19 octets", "00 80 20010db8 00000000 00000000 00000000 00")]
    public void Malformed_IPv6_prefixes_are_refused(string description, string hex)
    {
        Assert.False(RadiusValues.TryReadIPv6Prefix(RfcVectors.Bytes(hex), out _), description);
    }

    [Fact]
    public void Malformed_values_read_as_false_not_an_exception()
    {
        var packet = new RadiusPacket(RadiusCode.AccessRequest, 0);
        packet.Attributes.Add(new RadiusAttribute(27, [1, 2, 3])); // Session-Timeout of 3 octets
        packet.Attributes.Add(new RadiusAttribute(4, [10, 0, 0])); // NAS-IP-Address of 3 octets
        packet.Attributes.Add(new RadiusAttribute(26, [0, 0, 0x37, 0x2A, 8, 9, 0])); // a VSA whose vendor length overruns

        Assert.False(packet.TryGetInteger(RadiusAttributes.SessionTimeout, out _));
        Assert.False(packet.TryGetIPv4Address(RadiusAttributes.NasIpAddress, out _));
        Assert.False(packet.TryGetInteger(RadiusAttributes.WisprBandwidthMaxDown, out _));
        Assert.False(packet.TryGetEnumName(RadiusAttributes.AcctStatusType, out _));
        Assert.Throws<ArgumentException>(() => packet.TryGetInteger(RadiusAttributes.UserName, out _));
        Assert.Throws<ArgumentException>(() => packet.SetEnum(RadiusAttributes.AcctStatusType, "Nope"));
    }

    [Fact]
    public void EAP_Message_splits_over_253_octet_attributes_and_concatenates_on_read()
    {
        byte[] eap = new byte[1000];
        new Random(79).NextBytes(eap);
        var packet = new RadiusPacket(RadiusCode.AccessChallenge, 1);
        packet.SetString(RadiusAttributes.ReplyMessage, "first");
        packet.SetOctets(RadiusAttributes.EapMessage, eap);
        packet.AddString(RadiusAttributes.ReplyMessage, "second");

        RadiusPacket read = RadiusCodec.Decode(RadiusCodec.Encode(packet));

        Assert.Equal([253, 253, 253, 241], read.GetValues(RadiusAttributes.EapMessage).Select(v => v.Length));
        Assert.True(read.TryGetOctets(RadiusAttributes.EapMessage, out byte[] joined));
        Assert.Equal(eap, joined);
        // Reply-Message is not concatenated: each is its own message, shown in order (RFC 2865 section 5.18).
        Assert.Equal(["first", "second"], read.GetStrings(RadiusAttributes.ReplyMessage));
        Assert.Equal("first", read.GetString(RadiusAttributes.ReplyMessage));
        Assert.Throws<ArgumentException>(() => packet.SetString(RadiusAttributes.ReplyMessage, new string('x', 254)));
        Assert.Throws<ArgumentException>(() => packet.SetOctets(RadiusAttributes.Class, new byte[254]));
        Assert.Throws<ArgumentException>(() => packet.SetString(RadiusAttributes.WisprLocationName, new string('x', 248)));
    }

    [Fact]
    public void Vendor_attributes_are_replaced_and_removed_inside_shared_Vendor_Specific_attributes()
    {
        var packet = new RadiusPacket(RadiusCode.AccessAccept, 1);
        // One Vendor-Specific carrying WISPr Max-Up (7) and Max-Down (8), as some servers pack them.
        packet.Attributes.Add(new RadiusAttribute(26, RfcVectors.Bytes("0000372A 07 06 000F4240 08 06 001E8480")));

        packet.SetInteger(RadiusAttributes.WisprBandwidthMaxDown, 3_000_000);

        Assert.True(packet.TryGetInteger(RadiusAttributes.WisprBandwidthMaxUp, out uint up));
        Assert.Equal(1_000_000u, up);
        Assert.True(packet.TryGetInteger(RadiusAttributes.WisprBandwidthMaxDown, out uint down));
        Assert.Equal(3_000_000u, down);
        Assert.Equal(1, packet.Remove(RadiusAttributes.WisprBandwidthMaxUp));
        Assert.False(packet.Contains(RadiusAttributes.WisprBandwidthMaxUp));
        Assert.Single(packet.Attributes);
    }

    [Fact]
    public void Dictionary_lookups_by_number_and_name()
    {
        Assert.True(RadiusDictionary.Default.TryGet(80, out RadiusAttributeDefinition? ma));
        Assert.Equal("Message-Authenticator", ma.Name);
        Assert.True(RadiusDictionary.Default.TryGet(RadiusVendors.Mikrotik, 8, out RadiusAttributeDefinition? rate));
        Assert.Same(RadiusAttributes.MikrotikRateLimit, rate);
        Assert.True(RadiusDictionary.Default.TryGet("wispr-bandwidth-max-down", out RadiusAttributeDefinition? down));
        Assert.Same(RadiusAttributes.WisprBandwidthMaxDown, down);
        Assert.Equal(101, RadiusAttributes.ErrorCause.Type);
        Assert.Equal((uint)ErrorCause.SessionContextNotFound, RadiusAttributes.ErrorCause.Values.Single(v => v.Name == "Session-Context-Not-Found").Value);
        Assert.False(RadiusDictionary.Default.TryGet(254, out _));
    }

    [Fact]
    public void Text_integer_and_address_accessors_round_trip_for_any_value()
    {
        RadiusGen.ForAll(Gen.Select(Gen.String[0, 60], Gen.UInt, Gen.Byte.Array[4], Gen.Byte.Array[16], Gen.Int[0, 128]), 3_000, seed: 8044, t =>
        {
            (string text, uint number, byte[] v4, byte[] v6, int prefixLength) = t;
            var packet = new RadiusPacket(RadiusCode.AccessAccept, 0);
            bool textFits;
            try
            {
                textFits = RadiusValues.WriteText(text).Length <= 253;
            }
            catch (ArgumentException)
            {
                textFits = false; // a lone surrogate has no UTF-8 form
            }

            if (textFits)
            {
                packet.SetString(RadiusAttributes.FilterId, text);
            }

            packet.SetInteger(RadiusAttributes.IdleTimeout, number);
            packet.SetIPv4Address(RadiusAttributes.NasIpAddress, new IPAddress(v4));
            IPAddress prefixBase = new IPNetwork(Masked(v6, prefixLength), prefixLength).BaseAddress;
            packet.SetIPv6Prefix(RadiusAttributes.FramedIpv6Prefix, new IPNetwork(prefixBase, prefixLength));
            packet.SetInteger(RadiusAttributes.ChilliSpotBandwidthMaxUp, number);

            RadiusPacket read = RadiusCodec.Decode(RadiusCodec.Encode(packet));

            if (textFits)
            {
                Assert.Equal(text, read.GetString(RadiusAttributes.FilterId));
            }

            Assert.True(read.TryGetInteger(RadiusAttributes.IdleTimeout, out uint n) && n == number);
            Assert.True(read.TryGetIPv4Address(RadiusAttributes.NasIpAddress, out IPAddress a) && a.Equals(new IPAddress(v4)));
            Assert.True(read.TryGetIPv6Prefix(RadiusAttributes.FramedIpv6Prefix, out IPNetwork p));
            Assert.Equal(new IPNetwork(prefixBase, prefixLength), p);
            Assert.True(read.TryGetInteger(RadiusAttributes.ChilliSpotBandwidthMaxUp, out uint c) && c == number);
        });
    }

    private static IPAddress Masked(byte[] address, int prefixLength)
    {
        byte[] copy = (byte[])address.Clone();
        for (int bit = prefixLength; bit < 128; bit++)
        {
            copy[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(copy);
    }
}
