using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Network.Noc.Pages;

/// <summary>
/// What a page tells the layout: its title, the scripts that fill it (modules under <c>/js</c>), whether it draws
/// charts (uPlot's script and style sheet), the site it shows (the body's <c>data-site</c>, for its script), and
/// whether it has the header with the navigation and who is signed in (not the login page), and its own style sheets
/// after the NOC's (under <c>/css</c>).
/// </summary>
public sealed record NocPageInfo(string Title, IReadOnlyList<string> Scripts, bool Charts = false, string? Site = null, bool Header = true,
    IReadOnlyList<string>? Styles = null)
{
    private const string Key = nameof(NocPageInfo);

    /// <summary>The page's information for its layout.</summary>
    public void Set(ViewDataDictionary viewData) => viewData[Key] = this;

    /// <summary>What the page set, or a page without scripts or header titled <paramref name="fallbackTitle"/>.</summary>
    public static NocPageInfo Of(ViewDataDictionary viewData, string fallbackTitle) =>
        viewData[Key] as NocPageInfo ?? new NocPageInfo(fallbackTitle, [], Header: false);
}
