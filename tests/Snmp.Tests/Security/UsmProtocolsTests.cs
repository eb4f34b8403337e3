using Network.Snmp.Security;

namespace Network.Snmp.Tests.Security;

public class UsmProtocolsTests
{
    [Theory]
    // net-snmp's -a names (snmpcmd(1)), case-insensitive; net-snmp 5.9.3 also takes each SHA name without its dash.
    [InlineData("MD5", AuthProtocol.HmacMd5)]
    [InlineData("md5", AuthProtocol.HmacMd5)]
    [InlineData("SHA", AuthProtocol.HmacSha1)]
    [InlineData("sha1", AuthProtocol.HmacSha1)]
    [InlineData("SHA-1", AuthProtocol.HmacSha1)]
    [InlineData("SHA-224", AuthProtocol.HmacSha224)]
    [InlineData("SHA224", AuthProtocol.HmacSha224)]
    [InlineData("sha-256", AuthProtocol.HmacSha256)]
    [InlineData("SHA256", AuthProtocol.HmacSha256)]
    [InlineData("SHA-384", AuthProtocol.HmacSha384)]
    [InlineData("Sha384", AuthProtocol.HmacSha384)]
    [InlineData("SHA-512", AuthProtocol.HmacSha512)]
    [InlineData("SHA512", AuthProtocol.HmacSha512)]
    public void Auth_names_of_net_snmp_parse(string name, AuthProtocol expected)
    {
        Assert.True(AuthProtocols.TryParse(name, out AuthProtocol parsed));
        Assert.Equal(expected, parsed);
        Assert.Equal(expected, AuthProtocols.Parse(name));
    }

    [Theory]
    // net-snmp 5.9.3 answers "Invalid authentication protocol specified after -3a flag" to MD-5.
    [InlineData("MD-5")]
    [InlineData("SHA-2")]
    [InlineData("HMAC-SHA")]
    [InlineData("NONE")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_auth_names_are_refused(string? name)
    {
        Assert.False(AuthProtocols.TryParse(name, out AuthProtocol parsed));
        Assert.Equal(AuthProtocol.None, parsed);
        Assert.Throws<ArgumentException>(() => AuthProtocols.Parse(name!));
    }

    [Theory]
    [InlineData("DES", PrivProtocol.Des)]
    [InlineData("des", PrivProtocol.Des)]
    [InlineData("AES", PrivProtocol.Aes128)]
    [InlineData("AES128", PrivProtocol.Aes128)]
    [InlineData("AES-128", PrivProtocol.Aes128)]
    [InlineData("AES192", PrivProtocol.Aes192)]
    [InlineData("aes-192", PrivProtocol.Aes192)]
    [InlineData("AES256", PrivProtocol.Aes256)]
    [InlineData("AES-256", PrivProtocol.Aes256)]
    [InlineData("AES192C", PrivProtocol.Aes192Reeder)]
    [InlineData("aes256c", PrivProtocol.Aes256Reeder)]
    public void Priv_names_of_net_snmp_parse(string name, PrivProtocol expected)
    {
        Assert.True(PrivProtocols.TryParse(name, out PrivProtocol parsed));
        Assert.Equal(expected, parsed);
        Assert.Equal(expected, PrivProtocols.Parse(name));
    }

    [Theory]
    // net-snmp 5.9.3 answers "Invalid privacy protocol specified after -3x flag" to both.
    [InlineData("AES-256C")]
    [InlineData("3DES")]
    [InlineData("AES512")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_priv_names_are_refused(string? name)
    {
        Assert.False(PrivProtocols.TryParse(name, out PrivProtocol parsed));
        Assert.Equal(PrivProtocol.None, parsed);
        Assert.Throws<ArgumentException>(() => PrivProtocols.Parse(name!));
    }

    [Theory]
    // RFC 3414 sections 6 and 7 (HMAC-96), RFC 7860 section 4.2.1; OIDs as net-snmp 5.9.3 stores them in usmUser lines.
    [InlineData(AuthProtocol.None, 0, "1.3.6.1.6.3.10.1.1.1")]
    [InlineData(AuthProtocol.HmacMd5, 12, "1.3.6.1.6.3.10.1.1.2")]
    [InlineData(AuthProtocol.HmacSha1, 12, "1.3.6.1.6.3.10.1.1.3")]
    [InlineData(AuthProtocol.HmacSha224, 16, "1.3.6.1.6.3.10.1.1.4")]
    [InlineData(AuthProtocol.HmacSha256, 24, "1.3.6.1.6.3.10.1.1.5")]
    [InlineData(AuthProtocol.HmacSha384, 32, "1.3.6.1.6.3.10.1.1.6")]
    [InlineData(AuthProtocol.HmacSha512, 48, "1.3.6.1.6.3.10.1.1.7")]
    public void Auth_table_has_the_RFC_MAC_lengths_and_OIDs(AuthProtocol protocol, int macLength, string oid)
    {
        Assert.Equal(macLength, protocol.MacLength());
        Assert.Equal(macLength, UsmAuthentication.MacLength(protocol));
        Assert.Equal(oid, protocol.ObjectIdentifier());
    }

    [Theory]
    [InlineData(PrivProtocol.Des, 16, PrivKeyExtension.None, "1.3.6.1.6.3.10.1.2.2")]
    [InlineData(PrivProtocol.Aes128, 16, PrivKeyExtension.None, "1.3.6.1.6.3.10.1.2.4")]
    [InlineData(PrivProtocol.Aes192, 24, PrivKeyExtension.Blumenthal, "1.3.6.1.4.1.14832.1.3")]
    [InlineData(PrivProtocol.Aes256, 32, PrivKeyExtension.Blumenthal, "1.3.6.1.4.1.14832.1.4")]
    [InlineData(PrivProtocol.Aes192Reeder, 24, PrivKeyExtension.Reeder, "1.3.6.1.4.1.9.12.6.1.1")]
    [InlineData(PrivProtocol.Aes256Reeder, 32, PrivKeyExtension.Reeder, "1.3.6.1.4.1.9.12.6.1.2")]
    public void Priv_table_has_key_lengths_extensions_and_OIDs(PrivProtocol protocol, int keyLength, PrivKeyExtension extension, string oid)
    {
        Assert.Equal(keyLength, protocol.KeyLength());
        Assert.Equal(extension, protocol.KeyExtension());
        Assert.Equal(oid, protocol.ObjectIdentifier());
    }
}
