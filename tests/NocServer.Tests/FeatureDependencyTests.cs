using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.Noc.Tests;

/// <summary>
/// The NOC's feature folders use each other without cycles, as docs/architecture.md draws them: read from the sources
/// (<c>using Network.Noc.X</c> and references qualified with a feature's name).
/// </summary>
public sealed partial class FeatureDependencyTests
{
    private static readonly string s_root = Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer");

    [Fact]
    public void No_feature_depends_on_itself_through_others()
    {
        Dictionary<string, HashSet<string>> uses = Uses();
        foreach (string feature in uses.Keys)
        {
            Assert.False(Reaches(uses, feature, feature, new HashSet<string>(StringComparer.Ordinal)), $"{feature} depends on itself through others: {Describe(uses)}");
        }
    }

    [Fact]
    public void Status_and_alarms_do_not_use_the_live_feed_and_ingest_does_not_use_the_inventory()
    {
        Dictionary<string, HashSet<string>> uses = Uses();

        Assert.DoesNotContain("Live", uses["Status"]);
        Assert.DoesNotContain("Live", uses["Alarms"]);
        Assert.DoesNotContain("Status", uses["Alarms"]);
        Assert.DoesNotContain("Inventory", uses["Ingest"]);
        Assert.DoesNotContain("Status", uses["Inventory"]);
        Assert.Empty(uses["TimeSeries"]);
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

    /// <summary>Each feature folder and the other features its sources name.</summary>
    private static Dictionary<string, HashSet<string>> Uses()
    {
        string[] features = [.. Directory.GetDirectories(s_root).Select(Path.GetFileName).OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "wwwroot" or "Properties") && Directory.GetFiles(Path.Combine(s_root, name), "*.cs").Length > 0)];
        Assert.Contains("Live", features);
        var uses = features.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var qualified = new Regex($@"(?<![\w.])(?:Network\.Noc\.)?({string.Join('|', features)})\.[A-Z]", RegexOptions.CultureInvariant);
        foreach (string feature in features)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(s_root, feature), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in qualified.Matches(NamespaceLine().Replace(File.ReadAllText(file), "")))
                {
                    if (match.Groups[1].Value != feature)
                    {
                        uses[feature].Add(match.Groups[1].Value);
                    }
                }

                foreach (Match match in UsingLine().Matches(File.ReadAllText(file)))
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

    [GeneratedRegex(@"^namespace [\w.]+;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using Network\.Noc\.(\w+);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
