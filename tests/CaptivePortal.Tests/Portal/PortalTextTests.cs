using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Localization;
using Network.CaptivePortal.Portal;
using Network.TestSupport;
using Network.WebPages;

namespace Network.CaptivePortal.Tests.Portal;

/// <summary>Every text exists in Dutch, French and English, and every key the code asks for exists.</summary>
public partial class PortalTextTests
{
    private static readonly string s_folder = Path.Combine(ServiceProcess.RepositoryRoot, "captive-portal", "CaptivePortal", "Portal");

    private static HashSet<string> Keys(string file) => ResourceTexts.Keys(Path.Combine(s_folder, file));

    [Theory]
    [InlineData("PortalText.nl.resx")]
    [InlineData("PortalText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file)
    {
        ResourceTexts.AssertSameKeys(Path.Combine(s_folder, "PortalText.resx"), Path.Combine(s_folder, file));
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language)
    {
        ResourceTexts.AssertTranslatedWithoutFallback("Network.CaptivePortal.Portal.PortalText", typeof(PortalText).Assembly, language);
    }

    [Fact]
    public void Every_key_the_code_uses_is_in_the_resources()
    {
        HashSet<string> keys = Keys("PortalText.resx");
        string root = Path.Combine(ServiceProcess.RepositoryRoot, "captive-portal", "CaptivePortal");
        var used = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => TextCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(keys));
    }

    [Theory]
    [InlineData("nl", "PortalText.nl.resx")]
    [InlineData("fr", "PortalText.fr.resx")]
    [InlineData("en", "PortalText.resx")]
    public void The_pages_text_tables_hold_each_languages_own_words(string language, string file)
    {
        var texts = XDocument.Load(Path.Combine(s_folder, file)).Root!.Elements("data")
            .ToDictionary(data => (string)data.Attribute("name")!, data => (string)data.Element("value")!);

        Assert.NotEmpty(texts);
        Assert.All(texts, text => Assert.Equal(text.Value, s_tables.Find(language, text.Key)));
    }

    [Fact]
    public void A_language_without_a_file_reads_English_and_a_missing_key_shows_as_itself()
    {
        Assert.Equal("Log in", s_tables.Find("de", "LogIn"));
        Assert.Equal("Aanmelden", s_tables.Find("nl", "LogIn"));
        Assert.Null(s_tables.Find("nl", "NoSuchText"));
        LocalizedString missing = new TextTableLocalizer(s_tables)["NoSuchText"];
        Assert.Equal("NoSuchText", missing.Value);
        Assert.True(missing.ResourceNotFound);
    }

    [Theory]
    [InlineData("nl-BE", "Aanmelden")]
    [InlineData("fr", "Se connecter")]
    [InlineData("en-GB", "Log in")]
    public void The_pages_localizer_answers_in_the_current_ui_language(string culture, string expected)
    {
        IStringLocalizer texts = new TextTableLocalizerFactory(PortalText.Languages).Create(typeof(PortalText));
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(expected, texts["LogIn"].Value);
            Assert.False(texts["LogIn"].ResourceNotFound);
            Assert.True(texts["NoSuchText"].ResourceNotFound);
            Assert.Equal("NoSuchText", texts["NoSuchText"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static readonly TextTables s_tables = new(typeof(PortalText), PortalText.Languages);

    [GeneratedRegex("""\.T\("([A-Za-z0-9]+)"[,)]""")]
    private static partial Regex TextCall();
}
