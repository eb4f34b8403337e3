using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace Network.WebPages;

/// <summary>
/// <c>IStringLocalizer</c> served from <see cref="TextTables"/>: pages and models ask <c>IStringLocalizer&lt;T&gt;</c> as
/// ASP.NET Core has them do, and each text is one dictionary look-up in the table of the request's UI language
/// (<c>ResourceManagerStringLocalizer</c> walks the culture chain and the resource reader on every call).
/// </summary>
public static class TextTableLocalization
{
    /// <summary>Localization with the texts of every resource type read once, for <paramref name="languages"/>.</summary>
    public static IServiceCollection AddTextTableLocalization(this IServiceCollection services, IEnumerable<string> languages)
    {
        ArgumentNullException.ThrowIfNull(languages);
        string[] spoken = [.. languages];
        services.AddLocalization();
        services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory>(new TextTableLocalizerFactory(spoken)));
        return services;
    }
}

/// <summary>One <see cref="TextTableLocalizer"/> per resource type, made on first use and kept.</summary>
public sealed class TextTableLocalizerFactory(IReadOnlyList<string> languages) : IStringLocalizerFactory
{
    private readonly ConcurrentDictionary<Type, TextTableLocalizer> _localizers = new();

    public IStringLocalizer Create(Type resourceSource) =>
        _localizers.GetOrAdd(resourceSource, type => new TextTableLocalizer(new TextTables(type, languages)));

    /// <summary>Texts by resource name are not used here: every feature names its texts by their type.</summary>
    public IStringLocalizer Create(string baseName, string location) =>
        throw new NotSupportedException($"texts are read by their resource type, not by name ({baseName})");
}

/// <summary>The texts of one resource type in the current UI language (its two-letter name picks the table).</summary>
public sealed class TextTableLocalizer(TextTables texts) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            string? text = texts.Find(Language, name);
            return new LocalizedString(name, text ?? name, resourceNotFound: text is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            LocalizedString format = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        texts.All(Language).Select(text => new LocalizedString(text.Key, text.Value, resourceNotFound: false));

    private static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
}
