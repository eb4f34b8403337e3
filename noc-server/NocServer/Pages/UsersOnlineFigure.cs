using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;
using Network.Noc.Reports;

namespace Network.Noc.Pages;

/// <summary>
/// A hotspot's users online as the board and the site page write it on the server: the number (its <c>data-users</c>)
/// and when the portal reported it, or that there is no figure yet (never 0). The scripts rewrite the same elements
/// when a newer figure arrives (<c>showUsersOnline</c> in <c>noc.js</c>).
/// </summary>
public static class UsersOnlineFigure
{
    public static IHtmlContent Html(HotspotOnline? online, IStringLocalizer<NocText> text, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new HtmlContentBuilder();
        if (online is not HotspotOnline figure)
        {
            return html.AppendHtml("<span class=\"users-online empty\" data-users=\"\">").Append(text["OnlineNone"]).AppendHtml("</span> <span class=\"small\" data-online-at></span>");
        }

        return html.AppendHtml("<span class=\"users-online\" data-users=\"").Append(figure.Users.ToString(CultureInfo.InvariantCulture)).AppendHtml("\">")
            .Append(figure.Users.ToString("N0", culture)).AppendHtml("</span> <span class=\"small\" data-online-at>(<time datetime=\"")
            .Append(figure.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).AppendHtml("\">").Append(NocText.LocalTime(figure.At, culture)).AppendHtml("</time>)</span>");
    }
}
