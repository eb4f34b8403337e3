using System.Text.RegularExpressions;
using Network.Noc.Pages;
using Network.TestSupport;

namespace Network.Noc.Tests.Pages;

/// <summary>
/// Every text of the NOC exists in Dutch, French and English, and every key the pages, their models and the
/// dashboards' scripts ask for exists: a missing key fails here, not on a page in front of an engineer.
/// </summary>
public sealed partial class NocTextTests
{
    private static readonly string s_root = Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer");
    private static readonly string s_pages = Path.Combine(s_root, "Pages");

    private static HashSet<string> Keys(string file) => ResourceTexts.Keys(Path.Combine(s_pages, file));

    private static IEnumerable<string> Sources(string folder, string pattern) =>
        Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)
                && !f.Contains("/lib/", StringComparison.Ordinal));

    [Theory]
    [InlineData("NocText.nl.resx")]
    [InlineData("NocText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file)
    {
        ResourceTexts.AssertSameKeys(Path.Combine(s_pages, "NocText.resx"), Path.Combine(s_pages, file));
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language)
    {
        ResourceTexts.AssertTranslatedWithoutFallback("Network.Noc.Pages.NocText", typeof(NocText).Assembly, language);
    }

    [Fact]
    public void Every_key_the_pages_and_their_models_use_is_in_the_resources()
    {
        HashSet<string> keys = Keys("NocText.resx");
        var used = Sources(s_pages, "*.cshtml").Concat(Sources(s_pages, "*.cs"))
            .SelectMany(f => PageTextCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
            .ToHashSet();

        Assert.Contains("LoginWrong", used); // a model's texts are found too
        Assert.Contains("BoardTitle", used);
        Assert.Empty(used.Except(keys));
    }

    [Fact]
    public void Every_text_the_scripts_ask_the_page_for_is_in_the_resources_as_a_script_text()
    {
        HashSet<string> keys = Keys("NocText.resx");
        var used = Sources(Path.Combine(s_root, "wwwroot", "js"), "*.js")
            .SelectMany(f => ScriptTextCall().Matches(File.ReadAllText(f)).SelectMany(m => m.Groups.Cast<Group>().Skip(1)
                .Where(g => g.Success).Select(g => g.Value)))
            .ToHashSet();

        Assert.Contains("LiveOn", used);
        Assert.Contains("AckDoneOther", used); // plural()'s keys are found too
        Assert.Empty(used.Select(k => NocText.ScriptTextPrefix + k).Except(keys));
    }

    [Fact]
    public void A_language_tag_is_one_of_the_three_or_nothing()
    {
        Assert.Equal("fr", NocText.Language("fr-BE"));
        Assert.Equal("nl", NocText.Language("NL"));
        Assert.Equal("en", NocText.Language("en_US"));
        Assert.Null(NocText.Language("de"));
        Assert.Null(NocText.Language(""));
        Assert.Null(NocText.Language(new string('n', 100)));
        Assert.Equal("nl-BE", NocText.Culture("nl").Name);
        Assert.Equal("en-GB", NocText.Culture("xx").Name);
    }

    // T["Key"] in the pages, text["Key"] in a model, and a model's Refused(status, "Key").
    [GeneratedRegex("""(?:\bT|\btext)\["([A-Za-z0-9]+)"\]|Refused\([^,]+, "([A-Za-z0-9]+)(?=")""")]
    private static partial Regex PageTextCall();

    // t("Key") and plural(n, "One", "Other") in the scripts.
    [GeneratedRegex("""(?<![\w.])t\("([A-Za-z0-9]+)"|(?<![\w.])plural\([^,]+, "([A-Za-z0-9]+)", "([A-Za-z0-9]+)"\)""")]
    private static partial Regex ScriptTextCall();
}
