using System.Collections;
using System.Collections.Frozen;
using System.Globalization;
using System.Resources;

namespace Network.WebPages;

/// <summary>
/// A feature's texts in each of its languages, read once from its .resx files into one table a language: the neutral file
/// (English) under each language's own file, so a key missing in a translation falls back to English as a localizer's
/// would. A page reads a text with one dictionary look-up, where <c>ResourceManagerStringLocalizer</c> walks the culture
/// chain and the resource reader on every call (a crowd at a captive portal pays for every look-up). Pages read them
/// through <c>IStringLocalizer&lt;T&gt;</c> (<see cref="TextTableLocalization"/>).
/// </summary>
public sealed class TextTables
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _tables;
    private readonly FrozenDictionary<string, string> _fallback;

    /// <param name="resources">The texts' resource type (the class next to <c>Name.resx</c>, <c>Name.nl.resx</c>, ...).</param>
    /// <param name="languages">The languages that have their own file; any other language reads the neutral one.</param>
    public TextTables(Type resources, IEnumerable<string> languages)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(languages);
        var manager = new ResourceManager(resources);
        Dictionary<string, string> neutral = Read(manager, CultureInfo.InvariantCulture);
        _fallback = neutral.ToFrozenDictionary(StringComparer.Ordinal);
        _tables = languages.Distinct().ToFrozenDictionary(
            language => language,
            language =>
            {
                var table = new Dictionary<string, string>(neutral, StringComparer.Ordinal);
                foreach ((string key, string text) in Read(manager, CultureInfo.GetCultureInfo(language)))
                {
                    table[key] = text;
                }

                return table.ToFrozenDictionary(StringComparer.Ordinal);
            },
            StringComparer.Ordinal);
    }

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>, or null when no file has the key.</summary>
    public string? Find(string language, string key) => Table(language).TryGetValue(key, out string? text) ? text : null;

    /// <summary>Every text in <paramref name="language"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> All(string language) => Table(language);

    private FrozenDictionary<string, string> Table(string language) =>
        _tables.TryGetValue(language, out FrozenDictionary<string, string>? table) ? table : _fallback;

    private static Dictionary<string, string> Read(ResourceManager manager, CultureInfo culture)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        // A culture without a file of its own has no set (the neutral file is the invariant culture's).
        ResourceSet? set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        if (set is null)
        {
            return texts;
        }

        foreach (DictionaryEntry entry in set)
        {
            if (entry is { Key: string key, Value: string text })
            {
                texts[key] = text;
            }
        }

        return texts;
    }
}
