using Network.Snmp.Ber;
using Network.Snmp.Pdus;

namespace Network.Snmp.Tests.Ber;

/// <summary>
/// Hand-written encodings, checked both ways: BerWriter writes exactly these bytes and BerReader reads them back.
/// Hex may carry spaces for readability.
/// </summary>
public sealed class BerVectorTests
{
    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [InlineData("zero", 0, "02 01 00")]
    [InlineData("one", 1, "02 01 01")]
    [InlineData("largest one-octet", 127, "02 01 7F")]
    [InlineData("128 needs a leading zero", 128, "02 02 00 80")]
    [InlineData("255", 255, "02 02 00 FF")]
    [InlineData("256", 256, "02 02 01 00")]
    [InlineData("minus one", -1, "02 01 FF")]
    [InlineData("smallest one-octet", -128, "02 01 80")]
    [InlineData("-129 needs two octets", -129, "02 02 FF 7F")]
    [InlineData("32767", 32767, "02 02 7F FF")]
    [InlineData("32768", 32768, "02 03 00 80 00")]
    [InlineData("int.MaxValue", int.MaxValue, "02 04 7F FF FF FF")]
    [InlineData("int.MinValue", int.MinValue, "02 04 80 00 00 00")]
    public void Integer_vectors(string description, int value, string hex)
    {
        byte[] encoding = Hex(hex);
        var writer = new BerWriter();
        writer.WriteInteger(value);
        Assert.Equal(encoding, writer.ToArray());

        var reader = new BerReader(encoding);
        Assert.Equal(value, reader.ReadInteger32());
        reader.ThrowIfNotEnd(description);
    }

    [Theory]
    [InlineData("Counter32 zero", "41 01 00", "Counter32: 0")]
    [InlineData("Counter32 127", "41 01 7F", "Counter32: 127")]
    [InlineData("Counter32 128 with its leading zero", "41 02 00 80", "Counter32: 128")]
    [InlineData("Counter32 2^31", "41 05 00 80 00 00 00", "Counter32: 2147483648")]
    [InlineData("Counter32 max, five octets with a leading zero", "41 05 00 FF FF FF FF", "Counter32: 4294967295")]
    [InlineData("Gauge32 1000000000 (ifSpeed of a gigabit port)", "42 04 3B 9A CA 00", "Gauge32: 1000000000")]
    [InlineData("TimeTicks 33000", "43 03 00 80 E8", "TimeTicks: 33000")]
    [InlineData("UInteger32 7", "47 01 07", "UInteger32: 7")]
    [InlineData("Counter64 zero", "46 01 00", "Counter64: 0")]
    [InlineData("Counter64 2^63", "46 09 00 80 00 00 00 00 00 00 00", "Counter64: 9223372036854775808")]
    [InlineData("Counter64 max, nine octets with a leading zero", "46 09 00 FF FF FF FF FF FF FF FF", "Counter64: 18446744073709551615")]
    [InlineData("OCTET STRING empty", "04 00", "OctetString: ")]
    [InlineData("OCTET STRING public", "04 06 70 75 62 6C 69 63", "OctetString: 7075626C6963")]
    [InlineData("NULL", "05 00", "Null: 0")]
    [InlineData("IpAddress 192.168.1.1", "40 04 C0 A8 01 01", "IpAddress: C0A80101")]
    [InlineData("Opaque", "44 03 01 02 03", "Opaque: 010203")]
    [InlineData("NsapAddress", "45 02 47 00", "NsapAddress: 4700")]
    [InlineData("noSuchObject [0] IMPLICIT NULL", "80 00", "NoSuchObject: 0")]
    [InlineData("noSuchInstance [1] IMPLICIT NULL", "81 00", "NoSuchInstance: 0")]
    [InlineData("endOfMibView [2] IMPLICIT NULL", "82 00", "EndOfMibView: 0")]
    [InlineData("OID sysUpTime.0", "06 08 2B 06 01 02 01 01 03 00", "ObjectIdentifier: 1.3.6.1.2.1.1.3.0")]
    [InlineData("OID 0.0, the smallest", "06 01 00", "ObjectIdentifier: 0.0")]
    [InlineData("OID 1.39, last second arc under 1", "06 01 4F", "ObjectIdentifier: 1.39")]
    [InlineData("OID 2.0: first sub-identifier 80", "06 01 50", "ObjectIdentifier: 2.0")]
    [InlineData("OID 2.999.3, arc 2 allows Y over 39 (X.690 8.19.5 example)", "06 03 88 37 03", "ObjectIdentifier: 2.999.3")]
    [InlineData("OID with a sub-identifier of 2^32-1", "06 06 2B 8F FF FF FF 7F", "ObjectIdentifier: 1.3.4294967295")]
    [InlineData("OID whose first sub-identifier is 2^32-1", "06 05 8F FF FF FF 7F", "ObjectIdentifier: 2.4294967215")]
    [InlineData("OID with 128 in a sub-identifier", "06 03 2B 81 00", "ObjectIdentifier: 1.3.128")]
    public void Value_vectors(string description, string hex, string expected)
    {
        byte[] encoding = Hex(hex);
        var reader = new BerReader(encoding);
        SnmpValue value = reader.ReadValue();
        reader.ThrowIfNotEnd(description);
        Assert.Equal(expected, value.ToString());

        var writer = new BerWriter();
        writer.WriteValue(value);
        Assert.Equal(encoding, writer.ToArray());
    }

    [Theory]
    [InlineData("short form, 127", 127, "04 7F")]
    [InlineData("long form, one octet, 128", 128, "04 81 80")]
    [InlineData("long form, one octet, 255", 255, "04 81 FF")]
    [InlineData("long form, two octets, 256", 256, "04 82 01 00")]
    [InlineData("long form, two octets, 65535", 65535, "04 82 FF FF")]
    [InlineData("long form, three octets, 65536", 65536, "04 83 01 00 00")]
    public void Long_form_lengths(string description, int length, string header)
    {
        byte[] content = new byte[length];
        content.AsSpan().Fill(0x5A);
        byte[] encoding = [.. Hex(header), .. content];

        var writer = new BerWriter();
        writer.WriteOctetString(content);
        Assert.Equal(encoding, writer.ToArray());

        // The same through Push/Pop, which moves the content when the length needs the long form.
        writer.Reset();
        writer.Push(SnmpType.OctetString);
        writer.WriteRaw(content);
        writer.Pop();
        Assert.Equal(encoding, writer.ToArray());

        var reader = new BerReader(encoding);
        Assert.Equal(content, reader.ReadOctetString().ToArray());
        reader.ThrowIfNotEnd(description);
    }

    [Theory]
    [InlineData("a non-minimal one-octet long form", "04 81 03 61 62 63")]
    [InlineData("a non-minimal two-octet long form, as net-snmp writes sequences", "04 82 00 03 61 62 63")]
    [InlineData("a four-octet long form", "04 84 00 00 00 03 61 62 63")]
    public void Non_minimal_lengths_are_read(string description, string hex)
    {
        var reader = new BerReader(Hex(hex));
        Assert.Equal("abc"u8.ToArray(), reader.ReadOctetString().ToArray());
        reader.ThrowIfNotEnd(description);
    }

    // Broken agents, one test each, with the bug that documents the capture.

    [Fact]
    public void Integer_with_a_redundant_sign_octet_is_read_sharpsnmplib_issue_700()
    {
        // https://github.com/lextudio/sharpsnmplib/issues/700: five octets where four suffice.
        var reader = new BerReader(Hex("02 05 FF FB 6A 65 17"));
        Assert.Equal(-76913385, reader.ReadInteger32());

        var writer = new BerWriter();
        writer.WriteInteger(-76913385);
        Assert.Equal(Hex("02 04 FB 6A 65 17"), writer.ToArray());
    }

    [Fact]
    public void Counter32_without_its_leading_zero_is_read_mini_snmpd_issue_8()
    {
        // https://github.com/troglobit/mini-snmpd/issues/8: 33000 sent as 80 E8, which strict BER reads as -32536.
        var reader = new BerReader(Hex("41 02 80 E8"));
        Assert.Equal(SnmpValue.Counter32(33000), reader.ReadValue());

        var writer = new BerWriter();
        writer.WriteValue(SnmpValue.Counter32(33000));
        Assert.Equal(Hex("41 03 00 80 E8"), writer.ToArray());
    }

    [Fact]
    public void Counter32_of_four_octets_with_the_top_bit_set_is_read_as_unsigned()
    {
        // The same bug at the top of the range: 2^32-1 sent as FF FF FF FF.
        var reader = new BerReader(Hex("41 04 FF FF FF FF"));
        Assert.Equal(uint.MaxValue, reader.ReadUnsigned32(SnmpType.Counter32));
    }

    [Fact]
    public void Unsigned_values_with_redundant_leading_zeros_are_read()
    {
        var reader = new BerReader(Hex("42 06 00 00 00 00 00 05 46 0A 00 00 00 00 00 00 00 00 00 07"));
        Assert.Equal(SnmpValue.Gauge32(5), reader.ReadValue());
        Assert.Equal(SnmpValue.Counter64(7), reader.ReadValue());
        reader.ThrowIfNotEnd("two values");
    }

    [Fact]
    public void Counter64_without_its_leading_zero_is_read()
    {
        var reader = new BerReader(Hex("46 08 FF FF FF FF FF FF FF FF"));
        Assert.Equal(SnmpValue.Counter64(ulong.MaxValue), reader.ReadValue());
    }

    [Fact]
    public void IpAddress_of_the_wrong_length_is_kept_as_sent()
    {
        var reader = new BerReader(Hex("40 03 0A 00 01"));
        Assert.Equal(Hex("0A 00 01"), reader.ReadValue().AsBytes().ToArray());
    }

    [Theory]
    [InlineData("indefinite length (RFC 3417 section 8)", "04 80 61 00 00", 1)]
    [InlineData("length past the end", "04 05 61 62", 0)]
    [InlineData("long-form length past the end", "04 82 01", 2)]
    [InlineData("length-of-length of five octets", "04 85 00 00 00 00 01 61", 1)]
    [InlineData("length of 2^32-1", "04 84 FF FF FF FF 61", 0)]
    [InlineData("no length octet", "04", 1)]
    [InlineData("nothing at all", "", 0)]
    [InlineData("high-tag-number form", "1F 81 00 00", 0)]
    [InlineData("empty INTEGER", "02 00", 0)]
    [InlineData("INTEGER over 32 bits", "02 05 00 FB 6A 65 17", 0)]
    [InlineData("INTEGER over 32 bits, negative", "02 05 FE FB 6A 65 17", 0)]
    [InlineData("INTEGER whose redundant octet disagrees with the sign", "02 05 FF 7B 6A 65 17", 0)]
    [InlineData("Counter32 over 32 bits", "41 05 01 00 00 00 00", 0)]
    [InlineData("Counter64 over 64 bits", "46 09 01 00 00 00 00 00 00 00 00", 0)]
    [InlineData("empty Counter32", "41 00", 0)]
    [InlineData("NULL with content", "05 01 00", 0)]
    [InlineData("endOfMibView with content", "82 01 00", 0)]
    [InlineData("empty OID", "06 00", 2)]
    [InlineData("OID sub-identifier of 2^32", "06 06 2B 90 80 80 80 00", 3)]
    [InlineData("OID first sub-identifier of 2^32", "06 05 90 80 80 80 00", 2)]
    [InlineData("OID sub-identifier with a leading 0x80 (X.690 8.19.2)", "06 03 2B 80 01", 3)]
    [InlineData("OID cut inside a sub-identifier", "06 02 2B 86", 3)]
    [InlineData("constructed OCTET STRING (RFC 3417 section 8: primitive only)", "24 03 04 01 61", 0)]
    [InlineData("BIT STRING is no SNMP type", "03 02 00 FF", 0)]
    [InlineData("a PDU tag where a value belongs", "A0 00", 0)]
    public void Malformed_values_are_rejected_with_their_offset(string description, string hex, int offset)
    {
        byte[] encoding = Hex(hex);
        SnmpDecodeException e = Assert.Throws<SnmpDecodeException>(() =>
        {
            var reader = new BerReader(encoding);
            reader.ReadValue();
        });
        Assert.True(offset == e.Offset, $"{description}: expected the offset {offset}, got {e.Offset} ({e.Message})");
    }

    [Fact]
    public void An_OID_of_129_sub_identifiers_is_rejected()
    {
        byte[] longest = [0x06, 0x7F, 0x2B, .. new byte[126]];
        Assert.Equal(Oid.MaxLength, new BerReader(longest).ReadOid().Length);

        byte[] tooLong = [0x06, 0x81, 0x80, 0x2B, .. new byte[127]];
        SnmpDecodeException e = Assert.Throws<SnmpDecodeException>(() => new BerReader(tooLong).ReadOid());
        Assert.Equal(3 + 127, e.Offset);
    }

    [Fact]
    public void A_specific_tag_is_required_where_one_is_expected()
    {
        SnmpDecodeException e = Assert.Throws<SnmpDecodeException>(() => new BerReader(Hex("04 01 01")).ReadInteger32());
        Assert.Equal(0, e.Offset);
        Assert.Contains("expected Integer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_bound_is_rejected()
    {
        byte[] nested = Hex("30 08 30 06 30 04 30 02 05 00");
        var shallow = new BerReader(nested, maxDepth: 3);
        BerReader one = shallow.ReadSequence();
        BerReader two = one.ReadSequence();
        BerReader three = two.ReadSequence();
        SnmpDecodeException? caught = null;
        try
        {
            three.ReadSequence();
        }
        catch (SnmpDecodeException e)
        {
            caught = e;
        }

        Assert.NotNull(caught);
        Assert.Equal(6, caught.Offset);
    }

    [Theory]
    [InlineData("one arc", "1")]
    [InlineData("first arc 3", "3.1")]
    [InlineData("second arc 40 under arc 1", "1.40")]
    [InlineData("second arc 40 under arc 0", "0.40")]
    [InlineData("arc 2 with a second arc past 2^32-81", "2.4294967216")]
    public void The_writer_refuses_OIDs_without_an_encoding(string description, string oid)
    {
        var writer = new BerWriter();
        ArgumentException e = Assert.Throws<ArgumentException>(() => writer.WriteOid(Oid.Parse(oid)));
        Assert.False(string.IsNullOrEmpty(e.Message), description);
    }
}
