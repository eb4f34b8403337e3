using System.Text.RegularExpressions;
using Network.Contracts;
using Network.Noc.Pages.Polls;
using Network.TestSupport;

namespace Network.Noc.Tests.Polls;

/// <summary>
/// The planners' poll pages' texts exist in Dutch, French and English, and every key the pages and their models ask
/// for (literal or made from a state, a language, a reason or a kind) is in the resources.
/// </summary>
public sealed partial class PollsTextTests
{
    private static readonly string s_folder = Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer", "Pages", "Polls");

    [Theory]
    [InlineData("PollsText.nl.resx")]
    [InlineData("PollsText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file)
    {
        ResourceTexts.AssertSameKeys(Path.Combine(s_folder, "PollsText.resx"), Path.Combine(s_folder, file));
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language)
    {
        ResourceTexts.AssertTranslatedWithoutFallback("Network.Noc.Pages.Polls.PollsText", typeof(PollsText).Assembly, language);
    }

    [Fact]
    public void Every_key_the_pages_and_their_models_use_is_in_the_resources()
    {
        HashSet<string> keys = ResourceTexts.Keys(Path.Combine(s_folder, "PollsText.resx"));
        var literal = Directory.EnumerateFiles(s_folder).Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => TextCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(k => !k.EndsWith('_'))
            .ToHashSet();
        string[] made =
        [
            .. new[] { PollStates.Upcoming, PollStates.Open, PollStates.Closed }.Select(s => "State_" + s),
            .. PollForm.Languages.SelectMany(l => new[] { "Title_" + l, "Description_" + l, "OptionLabel_" + l }),
            .. RefusalReasons.All.Select(r => "Reason_" + r),
            .. ModerationModel.Outcomes.Select(o => "Done_" + o),
            .. CandidateModel.Kinds.Select(k => "Kind_" + k),
            "PortalTimeout", "PortalTokenRefused", "PortalFailed", "PortalUnreachable", "ErrMoment", "ErrSkippedTime",
        ];

        Assert.Contains("ModerationTitle", literal); // the pages' texts are found
        Assert.Contains("ErrMergeTarget", literal); // and the models'
        Assert.Empty(literal.Concat(made).Except(keys));
    }

    // P["Key"] in the pages, Texts["Key"] and texts["Key"] in the models (a key ending in "_" is completed at run time).
    [GeneratedRegex(""""(?:\bP|\bTexts|\btexts)\["([A-Za-z0-9_-]+)"""")]
    private static partial Regex TextCall();
}
