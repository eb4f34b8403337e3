using System.Text.RegularExpressions;

namespace Network.TestSupport;

/// <summary>The antiforgery token a page's form carries (ASP.NET Core's <c>__RequestVerificationToken</c> field), for posting that form over HTTP.</summary>
public static partial class AntiforgeryField
{
    public const string Name = "__RequestVerificationToken";

    /// <summary>The token of the first form of <paramref name="html"/>; fails the test when there is none.</summary>
    public static string Of(string html)
    {
        Match match = Field().Match(html);
        Assert.True(match.Success, "the page has no antiforgery token");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex Field();
}
