using System.Globalization;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Network.WebPages.TagHelpers;

/// <summary>
/// Links to the pages of a list: previous, the first, the last and the two on each side of the current one (gaps
/// shown as "…"), next; each the same page with <c>?page=N</c> (the other parameters kept), the current one marked
/// with <c>aria-current="page"</c>. Nothing when everything fits on one page. Numbers are written in the page's
/// culture. <c>&lt;pagination label="@T["Pages"]" previous="@T["Previous"]" next="@T["Next"]" pages="Model.Pages" /&gt;</c>.
/// </summary>
[HtmlTargetElement("pagination", TagStructure = TagStructure.WithoutEndTag)]
public sealed class PaginationTagHelper : TagHelper
{
    private const int Around = 2;

    /// <summary>The navigation's accessible name ("Pages of the alarms").</summary>
    public string Label { get; set; } = "";

    public string Previous { get; set; } = "";

    public string Next { get; set; } = "";

    public Pagination Pages { get; set; } = new(1, 1);

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        if (Pages.PageCount <= 1)
        {
            output.SuppressOutput();
            return;
        }

        TagHelperContent html = output.Content;
        html.AppendHtml("<nav class=\"pagination\" aria-label=\"").Append(Label).AppendHtml("\"><ul>");
        if (Pages.Page > 1)
        {
            Link(html, Pages.Page - 1, Previous, "prev");
        }

        int shown = 0;
        for (int page = 1; page <= Pages.PageCount; page++)
        {
            if (page != 1 && page != Pages.PageCount && Math.Abs(page - Pages.Page) > Around)
            {
                continue;
            }

            if (shown != 0 && page != shown + 1)
            {
                html.AppendHtml("<li class=\"gap\" aria-hidden=\"true\">…</li>");
            }

            Link(html, page, page.ToString(CultureInfo.CurrentCulture), rel: null);
            shown = page;
        }

        if (Pages.Page < Pages.PageCount)
        {
            Link(html, Pages.Page + 1, Next, "next");
        }

        html.AppendHtml("</ul></nav>");
    }

    private void Link(TagHelperContent html, int page, string text, string? rel)
    {
        string href = PageLinks.With(ViewContext.HttpContext.Request, (Pagination.PageParameter, page.ToString(CultureInfo.InvariantCulture)));
        html.AppendHtml("<li><a href=\"").Append(href).AppendHtml("\"");
        if (rel is not null)
        {
            html.AppendHtml(" rel=\"").Append(rel).AppendHtml("\"");
        }
        else if (page == Pages.Page)
        {
            html.AppendHtml(" aria-current=\"page\"");
        }

        html.AppendHtml(">").Append(text).AppendHtml("</a></li>");
    }
}
