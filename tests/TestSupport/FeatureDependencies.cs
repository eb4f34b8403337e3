using System.Text.RegularExpressions;

namespace Network.TestSupport;

/// <summary>
/// Which feature folders of a service use which, read from the sources: <c>using Namespace.X</c> (in C# and Razor files,
/// <c>@using</c>) and references qualified with a feature's name (<c>X.Type</c>, <c>Namespace.X.Type</c>). A feature is a
/// folder directly under the project with at least one source file.
/// </summary>
public sealed partial class FeatureDependencies
{
    private FeatureDependencies(Dictionary<string, HashSet<string>> uses) => Uses = uses;

    /// <summary>Each feature and the other features its sources name.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Uses { get; }

    /// <summary>The features of the project in <paramref name="projectFolder"/>, whose root namespace is <paramref name="rootNamespace"/>.</summary>
    public static FeatureDependencies Read(string projectFolder, string rootNamespace)
    {
        string[] features = [.. Directory.GetDirectories(projectFolder).Select(Path.GetFileName).OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "wwwroot" or "Properties") && Sources(Path.Combine(projectFolder, name)).Any())];
        var uses = features.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        string prefix = Regex.Escape(rootNamespace + ".");
        var qualified = new Regex($@"(?<![\w.])(?:{prefix})?({string.Join('|', features)})\.[A-Z]", RegexOptions.CultureInvariant);
        var usingLine = new Regex($@"^@?using {prefix}(\w+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        foreach (string feature in features)
        {
            foreach (string file in Sources(Path.Combine(projectFolder, feature)))
            {
                string text = File.ReadAllText(file);
                foreach (Match match in qualified.Matches(NamespaceLine().Replace(text, "")))
                {
                    if (match.Groups[1].Value != feature)
                    {
                        uses[feature].Add(match.Groups[1].Value);
                    }
                }

                foreach (Match match in usingLine.Matches(text))
                {
                    if (match.Groups[1].Value != feature && uses.ContainsKey(match.Groups[1].Value))
                    {
                        uses[feature].Add(match.Groups[1].Value);
                    }
                }
            }
        }

        return new FeatureDependencies(uses);
    }

    /// <summary>Whether <paramref name="feature"/> reaches itself through the features it uses, leaving out the pairs in <paramref name="ignoredPairs"/>.</summary>
    public bool DependsOnItself(string feature, params (string A, string B)[] ignoredPairs) =>
        Reaches(feature, feature, new HashSet<string>(StringComparer.Ordinal), ignoredPairs);

    public override string ToString() =>
        string.Join("; ", Uses.Select(u => $"{u.Key} -> {string.Join(", ", u.Value.Order(StringComparer.Ordinal))}"));

    private bool Reaches(string from, string target, HashSet<string> seen, (string A, string B)[] ignoredPairs)
    {
        foreach (string next in Uses[from])
        {
            if (ignoredPairs.Any(p => (p.A == from && p.B == next) || (p.B == from && p.A == next)))
            {
                continue;
            }

            if (next == target || (seen.Add(next) && Reaches(next, target, seen, ignoredPairs)))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(folder, "*.cshtml", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"^@?namespace [\w.]+;?", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
