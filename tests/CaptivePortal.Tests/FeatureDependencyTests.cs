using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests;

/// <summary>
/// The portal's feature folders use each other without cycles, as docs/architecture.md draws them: read from the sources
/// (<c>using Network.CaptivePortal.X</c> in C# and Razor files, and references qualified with a feature's name). The pages
/// (<c>Pages</c>) sit on top; the gateway integration, the privacy rules and the mail do not use the pages or the portal's web plumbing.
/// </summary>
public sealed partial class FeatureDependencyTests
{
    private static readonly string s_root = Path.Combine(ServiceProcess.RepositoryRoot, "captive-portal", "CaptivePortal");

    /// <summary>
    /// Radius and Sessions still use each other (the RADIUS handler writes accounting, the session policy reads RADIUS
    /// options); that pair is being untangled with the stores' move and is left out here until then.
    /// </summary>
    private static readonly (string, string)[] s_knownCycles = [("Radius", "Sessions")];

    [Fact]
    public void No_feature_depends_on_itself_through_others()
    {
        Dictionary<string, HashSet<string>> uses = Uses();
        foreach ((string a, string b) in s_knownCycles)
        {
            uses[a].Remove(b);
            uses[b].Remove(a);
        }

        foreach (string feature in uses.Keys)
        {
            Assert.False(Reaches(uses, feature, feature, new HashSet<string>(StringComparer.Ordinal)), $"{feature} depends on itself through others: {Describe(uses)}");
        }
    }

    [Fact]
    public void The_gateway_privacy_and_mail_do_not_use_the_portal_or_its_pages()
    {
        Dictionary<string, HashSet<string>> uses = Uses();

        Assert.Contains("Gateway", uses["Pages"]);
        Assert.Contains("Portal", uses["Pages"]);
        foreach (string lower in (string[])["Gateway", "Privacy", "Mail", "Accounts"])
        {
            Assert.DoesNotContain("Portal", uses[lower]);
            Assert.DoesNotContain("Pages", uses[lower]);
        }

        Assert.DoesNotContain("Pages", uses["Portal"]);
        Assert.Empty(uses["Mail"]);
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> uses, string from, string target, HashSet<string> seen)
    {
        foreach (string next in uses[from])
        {
            if (next == target || (seen.Add(next) && Reaches(uses, next, target, seen)))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(Dictionary<string, HashSet<string>> uses) =>
        string.Join("; ", uses.Select(u => $"{u.Key} -> {string.Join(", ", u.Value.Order(StringComparer.Ordinal))}"));

    /// <summary>Each feature folder and the other features its sources (C# and Razor) name.</summary>
    private static Dictionary<string, HashSet<string>> Uses()
    {
        string[] features = [.. Directory.GetDirectories(s_root).Select(Path.GetFileName).OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "Properties") && Sources(Path.Combine(s_root, name)).Any())];
        Assert.Contains("Pages", features);
        Assert.Contains("Gateway", features);
        var uses = features.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var qualified = new Regex($@"(?<![\w.])(?:Network\.CaptivePortal\.)?({string.Join('|', features)})\.[A-Z]", RegexOptions.CultureInvariant);
        foreach (string feature in features)
        {
            foreach (string file in Sources(Path.Combine(s_root, feature)))
            {
                string text = File.ReadAllText(file);
                foreach (Match match in qualified.Matches(NamespaceLine().Replace(text, "")))
                {
                    if (match.Groups[1].Value != feature)
                    {
                        uses[feature].Add(match.Groups[1].Value);
                    }
                }

                foreach (Match match in UsingLine().Matches(text))
                {
                    if (match.Groups[1].Value != feature && uses.ContainsKey(match.Groups[1].Value))
                    {
                        uses[feature].Add(match.Groups[1].Value);
                    }
                }
            }
        }

        return uses;
    }

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(folder, "*.cshtml", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"^@?namespace [\w.]+;?", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^@?using Network\.CaptivePortal\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
