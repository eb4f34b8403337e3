using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;

namespace Network.Noc.Pages;

/// <summary>One page of the dashboard: where it lives, its title, its body and the scripts that fill it.</summary>
internal sealed record NocPage(string Path, string Title, string Body, IReadOnlyList<string> Scripts, bool Charts = false);

/// <summary>
/// Writes the static HTML shell every dashboard page shares: landmarks, the navigation, who is signed in, the logout
/// form with its antiforgery token. Data comes later from the API and the hub; the shell holds no inline script or
/// style, so <see cref="SecurityHeaders.ContentSecurityPolicy"/> can forbid both.
/// </summary>
internal static class PageShell
{
    private static readonly (string Path, string Label)[] s_navigation =
    [
        ("/", "Status board"),
        ("/map", "Map"),
        ("/alarms", "Alarms"),
    ];

    /// <summary>The page for <paramref name="user"/>; <paramref name="data"/> becomes <c>data-*</c> attributes of the body.</summary>
    public static string Render(NocPage page, ClaimsPrincipal user, string antiforgeryToken, IReadOnlyDictionary<string, string>? data = null)
    {
        HtmlEncoder html = HtmlEncoder.Default;
        string name = user.Identity?.Name ?? "";
        string role = user.FindFirstValue(ClaimTypes.Role) ?? "";
        var sb = new StringBuilder(4096);
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta name=\"request-verification-token\" content=\"").Append(html.Encode(antiforgeryToken)).Append("\">\n")
          .Append("<title>").Append(html.Encode(page.Title)).Append(" · NOC</title>\n");
        if (page.Charts)
        {
            sb.Append("<link rel=\"stylesheet\" href=\"/lib/uPlot.min.css\">\n");
        }

        sb.Append("<link rel=\"stylesheet\" href=\"/css/noc.css\">\n")
          .Append("<script src=\"/lib/signalr.min.js\" defer></script>\n");
        if (page.Charts)
        {
            sb.Append("<script src=\"/lib/uPlot.iife.min.js\" defer></script>\n");
        }

        foreach (string script in page.Scripts)
        {
            sb.Append("<script type=\"module\" src=\"").Append(html.Encode(script)).Append("\"></script>\n");
        }

        sb.Append("</head>\n<body data-user=\"").Append(html.Encode(name)).Append("\" data-role=\"").Append(html.Encode(role)).Append('"');
        foreach ((string key, string value) in data ?? new Dictionary<string, string>())
        {
            sb.Append(" data-").Append(key).Append("=\"").Append(html.Encode(value)).Append('"');
        }

        sb.Append(">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"top\">\n")
          .Append("<span class=\"brand\">NOC <span class=\"brand-sub\">Urbizone · Fiber to the School</span></span>\n")
          .Append("<nav aria-label=\"Main\"><ul>\n");
        foreach ((string path, string label) in s_navigation)
        {
            bool current = path == "/" ? page.Path == "/" : page.Path.StartsWith(path, StringComparison.Ordinal);
            sb.Append("<li><a href=\"").Append(path).Append('"').Append(current ? " aria-current=\"page\"" : "").Append('>')
              .Append(label).Append("</a></li>\n");
        }

        sb.Append("</ul></nav>\n")
          .Append("<p id=\"live-status\" class=\"live live-connecting\" role=\"status\">Connecting…</p>\n")
          .Append("<div class=\"who\"><span class=\"user\">").Append(html.Encode(name)).Append("</span> <span class=\"role\">")
          .Append(html.Encode(role)).Append("</span>\n")
          .Append("<form method=\"post\" action=\"/logout\" class=\"logout\">")
          .Append("<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"").Append(html.Encode(antiforgeryToken)).Append("\">")
          .Append("<button type=\"submit\">Log out</button></form></div>\n")
          .Append("</header>\n<main id=\"main\" tabindex=\"-1\">\n")
          .Append(page.Body)
          .Append("\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }
}
