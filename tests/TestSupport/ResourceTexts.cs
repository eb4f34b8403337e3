using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Xml.Linq;

namespace Network.TestSupport;

/// <summary>The resource discipline both web services' texts keep: every language has the English file's keys, and the built satellite assemblies answer each one.</summary>
public static class ResourceTexts
{
    /// <summary>The keys of a .resx file.</summary>
    public static HashSet<string> Keys(string resxPath) =>
        [.. XDocument.Load(resxPath).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];

    /// <summary>Fails unless <paramref name="translatedResx"/> has exactly the keys of <paramref name="englishResx"/>.</summary>
    public static void AssertSameKeys(string englishResx, string translatedResx)
    {
        HashSet<string> english = Keys(englishResx);
        HashSet<string> other = Keys(translatedResx);

        Assert.Empty(english.Except(other));
        Assert.Empty(other.Except(english));
    }

    /// <summary>Fails unless the built resources <paramref name="baseName"/> answer every English key in <paramref name="language"/> without falling back.</summary>
    public static void AssertTranslatedWithoutFallback(string baseName, Assembly assembly, string language)
    {
        var manager = new ResourceManager(baseName, assembly);
        ResourceSet english = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        ResourceSet translated = manager.GetResourceSet(CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false)!;
        var missing = english.Cast<DictionaryEntry>().Select(e => (string)e.Key).Where(key => translated.GetString(key) is null).ToList();

        Assert.NotEmpty(english.Cast<object>());
        Assert.Empty(missing);
    }
}
