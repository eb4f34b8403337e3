using System.Text.RegularExpressions;
using Network.Noc.Pages.Sla;
using Network.TestSupport;

namespace Network.Noc.Tests.Pages;

/// <summary>The SLA pages' texts (Pages/Sla/SlaText*.resx): every language has every key, and every key the pages and their models ask for exists.</summary>
public sealed partial class SlaTextTests
{
    private static readonly string s_folder = Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer", "Pages", "Sla");

    [Theory]
    [InlineData("SlaText.nl.resx")]
    [InlineData("SlaText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file) =>
        ResourceTexts.AssertSameKeys(Path.Combine(s_folder, "SlaText.resx"), Path.Combine(s_folder, file));

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language) =>
        ResourceTexts.AssertTranslatedWithoutFallback("Network.Noc.Pages.Sla.SlaText", typeof(SlaText).Assembly, language);

    [Fact]
    public void Every_key_the_SLA_pages_and_their_models_use_is_in_the_resources()
    {
        HashSet<string> keys = ResourceTexts.Keys(Path.Combine(s_folder, "SlaText.resx"));
        var used = Directory.EnumerateFiles(s_folder).Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => SlaTextCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();

        Assert.Contains("SchoolHeading", used); // a page's texts
        Assert.Contains("RangePercent", used); // a model's texts
        Assert.Contains("DurationHours", used); // SlaText's own
        Assert.Empty(used.Except(keys));
    }

    // S["Key"] in the pages, sla["Key"] in the models and in SlaText.
    [GeneratedRegex("""\b(?:S|sla)\["([A-Za-z0-9]+)"\]""")]
    private static partial Regex SlaTextCall();
}
