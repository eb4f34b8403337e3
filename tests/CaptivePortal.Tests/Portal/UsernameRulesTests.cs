using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Tests.Portal;

public class UsernameRulesTests
{
    [Theory]
    [InlineData("plain", "marie.dubois", UsernameVerdict.Allowed, "marie.dubois")]
    [InlineData("full-width letters become ASCII (NFKC)", "ｍａｒｉｅ", UsernameVerdict.Allowed, "marie")]
    [InlineData("spaces around are dropped", "  jan_peeters ", UsernameVerdict.Allowed, "jan_peeters")]
    [InlineData("Cyrillic a among Latin letters", "m\u0430rie", UsernameVerdict.OtherScript, "m\u0430rie")]
    [InlineData("Greek omicron", "r\u03BFot.user", UsernameVerdict.OtherScript, "r\u03BFot.user")]
    [InlineData("accented Latin letter", "zoë", UsernameVerdict.OtherScript, "zoë")]
    [InlineData("space inside", "marie dubois", UsernameVerdict.Invalid, "marie dubois")]
    [InlineData("too short", "mj", UsernameVerdict.Invalid, "mj")]
    [InlineData("empty", "   ", UsernameVerdict.Invalid, "")]
    [InlineData("reserved", "Admin", UsernameVerdict.Reserved, "Admin")]
    [InlineData("reserved look-alike", "adm1n", UsernameVerdict.Reserved, "adm1n")]
    [InlineData("reserved prefix", "helpdesk-brussel", UsernameVerdict.Reserved, "helpdesk-brussel")]
    [InlineData("reserved with rn for m", "adrnin", UsernameVerdict.Reserved, "adrnin")]
    public void Checks_and_normalises(string description, string typed, UsernameVerdict verdict, string normalized)
    {
        Assert.True(verdict == UsernameRules.Check(typed, out string result), description);
        Assert.Equal(normalized, result);
    }

    [Theory]
    [InlineData("marie", "rnarie")]
    [InlineData("jan.peeters", "jan_peeters")]
    [InlineData("lola", "1o1a")]
    [InlineData("wim", "vvim")]
    [InlineData("dara", "clara")]
    public void Look_alikes_share_a_skeleton(string one, string other)
    {
        Assert.Equal(UsernameRules.Skeleton(one), UsernameRules.Skeleton(other));
    }

    [Fact]
    public void Different_names_keep_different_skeletons()
    {
        Assert.NotEqual(UsernameRules.Skeleton("marie"), UsernameRules.Skeleton("maria"));
    }
}
