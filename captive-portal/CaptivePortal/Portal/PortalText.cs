using Network.WebPages;

namespace Network.CaptivePortal.Portal;

/// <summary>
/// The portal's texts: <c>PortalText.resx</c> (English, the fallback), <c>PortalText.nl.resx</c>, <c>PortalText.fr.resx</c>,
/// read through <c>IStringLocalizer&lt;PortalText&gt;</c> (served from <see cref="TextTables"/>). Every key is in all three files.
/// </summary>
public sealed class PortalText
{
    /// <summary>The cultures the portal speaks, in the order of the language switch.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["nl", "fr", "en"];

    /// <summary>Each language's name in itself, for the switch (names, not translations).</summary>
    public static string Autonym(string language) => language switch
    {
        "nl" => "Nederlands",
        "fr" => "Français",
        _ => "English",
    };
}
