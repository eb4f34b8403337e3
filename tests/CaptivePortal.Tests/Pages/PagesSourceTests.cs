using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Pages;

/// <summary>
/// What the CSP and the encoding rules ask of every Razor file of the portal and of the shared library: nothing written
/// unencoded (<c>Html.Raw</c>), no inline script, style or event handler.
/// </summary>
public sealed partial class PagesSourceTests
{
    [Fact]
    public void No_page_writes_raw_markup_or_inline_script_style_or_handlers()
    {
        string[] files = [.. ((string[])["captive-portal/CaptivePortal/Pages", "common/WebPages"])
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(ServiceProcess.RepositoryRoot, folder), "*.*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cshtml", StringComparison.Ordinal) || path.EndsWith(".cs", StringComparison.Ordinal))
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))];

        Assert.Contains(files, path => path.EndsWith("_Layout.cshtml", StringComparison.Ordinal));
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            Assert.DoesNotContain("Html.Raw", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(InlineScriptOrStyle(), text);
        }
    }

    /// <summary>A script element without <c>src</c>, a style element or attribute, an <c>on…=</c> handler.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScriptOrStyle();
}
