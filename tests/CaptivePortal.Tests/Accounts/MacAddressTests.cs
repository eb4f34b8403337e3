using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Tests.Accounts;

public class MacAddressTests
{
    [Theory]
    [InlineData("RFC 3580 section 3.21 form", "00-10-A4-23-19-C0", "00-10-A4-23-19-C0")]
    [InlineData("lower case, hyphens (CoovaChilli)", "00-10-a4-23-19-c0", "00-10-A4-23-19-C0")]
    [InlineData("colons (openNDS, MikroTik)", "00:10:a4:23:19:c0", "00-10-A4-23-19-C0")]
    [InlineData("Cisco dotted", "0010.a423.19c0", "00-10-A4-23-19-C0")]
    [InlineData("bare hex", "0010A42319C0", "00-10-A4-23-19-C0")]
    [InlineData("surrounding spaces", " 00:10:A4:23:19:C0 ", "00-10-A4-23-19-C0")]
    public void Normalises_the_forms_gateways_send(string description, string text, string expected)
    {
        Assert.True(MacAddress.TryNormalize(text, out string? normalized), description);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("too short", "00-10-A4-23-19")]
    [InlineData("mixed separators", "00-10:A4-23-19-C0")]
    [InlineData("not hex", "00-10-A4-23-19-CG")]
    [InlineData("a username", "alice.dupont")]
    [InlineData("seven groups", "00-10-A4-23-19-C0-11")]
    [InlineData("misplaced dots", "00.10a423.19c0")]
    [InlineData("empty", "")]
    public void Rejects_what_is_not_a_MAC(string description, string text)
    {
        Assert.False(MacAddress.TryNormalize(text, out _), description);
    }

    [Fact]
    public void Null_is_not_a_MAC()
    {
        Assert.False(MacAddress.TryNormalize(null, out _));
    }
}
