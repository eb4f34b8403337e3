namespace Network.WebPages;

/// <summary>
/// One entry of the language switch: the language's code (<c>lang</c>, <c>hreflang</c>), its name in itself ("Français"),
/// and the current page in that language.
/// </summary>
public sealed record LanguageLink(string Code, string Autonym, string Href);
