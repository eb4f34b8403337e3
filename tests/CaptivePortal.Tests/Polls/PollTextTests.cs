using System.Text.RegularExpressions;
using Network.CaptivePortal.Polls;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Polls;

/// <summary>Every text of the polls pages exists in Dutch, French and English, and every key the code asks for exists.</summary>
public partial class PollTextTests
{
    private static readonly string s_folder = Path.Combine(ServiceProcess.RepositoryRoot, "captive-portal", "CaptivePortal", "Polls");

    [Theory]
    [InlineData("PollText.nl.resx")]
    [InlineData("PollText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file)
    {
        ResourceTexts.AssertSameKeys(Path.Combine(s_folder, "PollText.resx"), Path.Combine(s_folder, file));
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language)
    {
        ResourceTexts.AssertTranslatedWithoutFallback("Network.CaptivePortal.Polls.PollText", typeof(PollText).Assembly, language);
    }

    [Fact]
    public void Every_key_the_polls_code_and_pages_use_is_in_the_resources()
    {
        HashSet<string> keys = ResourceTexts.Keys(Path.Combine(s_folder, "PollText.resx"));
        string root = Path.Combine(ServiceProcess.RepositoryRoot, "captive-portal", "CaptivePortal");
        var used = new[] { Path.Combine(root, "Polls"), Path.Combine(root, "Pages", "Polls") }
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs*"))
            .SelectMany(f => Key().Matches(File.ReadAllText(f)).SelectMany(m => (string[])[m.Groups[1].Value, m.Groups[2].Value]))
            .Where(key => key.Length > 0)
            .ToHashSet();

        Assert.Contains("RankingExplained", used);
        Assert.Contains("OneHeart", used);
        Assert.Contains("ErrWhyTooLong", used);
        Assert.Empty(used.Except(keys));
    }

    // Say("Key"), and Say(h == 1 ? "OneHeart" : "Hearts") for both keys.
    [GeneratedRegex("""Say\((?:[^()"]*\? "([A-Za-z0-9]+)" : )?"([A-Za-z0-9]+)"[,)]""")]
    private static partial Regex Key();
}
