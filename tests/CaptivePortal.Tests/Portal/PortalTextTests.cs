using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Network.CaptivePortal.Portal;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Portal;

/// <summary>Every text exists in Dutch, French and English, and every key the code asks for exists.</summary>
public partial class PortalTextTests
{
    private static readonly string s_folder = Path.Combine(ServiceProcess.RepositoryRoot, "captive-portal", "CaptivePortal", "Portal");

    private static HashSet<string> Keys(string file) =>
        [.. XDocument.Load(Path.Combine(s_folder, file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];

    [Theory]
    [InlineData("PortalText.nl.resx")]
    [InlineData("PortalText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file)
    {
        HashSet<string> english = Keys("PortalText.resx");
        HashSet<string> other = Keys(file);

        Assert.Empty(english.Except(other));
        Assert.Empty(other.Except(english));
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language)
    {
        var manager = new ResourceManager("Network.CaptivePortal.Portal.PortalText", typeof(PortalText).Assembly);
        ResourceSet english = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        ResourceSet translated = manager.GetResourceSet(CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false)!;
        var missing = english.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key)
            .Where(key => translated.GetString(key) is null).ToList();

        Assert.NotEmpty(english.Cast<object>());
        Assert.Empty(missing);
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

    [GeneratedRegex("""\.T\("([A-Za-z0-9]+)"[,)]""")]
    private static partial Regex TextCall();
}
