using Network.CaptivePortal.Gateway;

namespace Network.CaptivePortal.Tests.Gateway;

public class UamSignatureTests
{
    private const string Url = "http://portal.example/hotspot?res=notyet&uamip=10.1.0.1&uamport=3990&challenge=00112233445566778899aabbccddeeff&mac=00-11-22-33-44-55";

    // MD5(Url + "uamsecret"), upper-case hex, computed outside this code base.
    private const string Md = "30B730AD3216058C8B4E9339ABF874B1";

    [Fact]
    public void Signs_as_the_gateway_does()
    {
        Assert.Equal(Url + "&md=" + Md, UamSignature.Sign(Url, "uamsecret"));
        Assert.True(UamSignature.Verify(Url + "&md=" + Md, "uamsecret"));
        Assert.True(UamSignature.Verify(Url + "&md=" + Md.ToLowerInvariant(), "uamsecret"));
    }

    [Theory]
    [InlineData("another gateway address", "uamip=10.1.0.1", "uamip=10.6.6.6")]
    [InlineData("another MAC", "mac=00-11-22-33-44-55", "mac=00-11-22-33-44-56")]
    [InlineData("a parameter added", "res=notyet", "res=notyet&uid=admin")]
    [InlineData("another portal host", "portal.example", "evil.example")]
    public void A_changed_redirect_is_refused(string description, string from, string to)
    {
        string tampered = Url.Replace(from, to, StringComparison.Ordinal) + "&md=" + Md;

        Assert.False(UamSignature.Verify(tampered, "uamsecret"), description);
    }

    [Theory]
    [InlineData("no md", Url)]
    [InlineData("md too short", Url + "&md=30B730AD")]
    [InlineData("md not hex", Url + "&md=ZZB730AD3216058C8B4E9339ABF874B1")]
    [InlineData("md with more after it", Url + "&md=" + Md + "&x=1")]
    public void A_missing_or_malformed_md_is_refused(string description, string url)
    {
        Assert.False(UamSignature.Verify(url, "uamsecret"), description);
    }

    [Fact]
    public void The_wrong_secret_or_none_is_refused()
    {
        Assert.False(UamSignature.Verify(Url + "&md=" + Md, "another-secret"));
        Assert.False(UamSignature.Verify(Url + "&md=" + Md, ""));
    }
}
