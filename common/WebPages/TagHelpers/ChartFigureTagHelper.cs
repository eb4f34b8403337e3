using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Network.WebPages.TagHelpers;

/// <summary>
/// A chart's container: a figure named by its caption, the box a script draws the chart in
/// (<c>#chart-ID</c>), and a text alternative for screen readers and for a page without script
/// (<c>#ID-latest</c>, which the script keeps current; not announced on every change). What the element contains
/// (a table of the values, say) follows the text.
/// <c>&lt;chart-figure id="latency" caption="@T["ChartLatency"]" description="@T["NoDataYet"]" /&gt;</c>.
/// </summary>
[HtmlTargetElement("chart-figure")]
public sealed class ChartFigureTagHelper : TagHelper
{
    /// <summary>The chart's name: ids <c>chart-ID</c>, <c>ID-caption</c>, <c>ID-latest</c>.</summary>
    public string Id { get; set; } = "";

    public string Caption { get; set; } = "";

    /// <summary>The chart in words until the script writes what it shows.</summary>
    public string Description { get; set; } = "";

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        TagHelperContent inner = await output.GetChildContentAsync().ConfigureAwait(false);
        output.TagName = null;
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Content.AppendHtml("<figure class=\"chart-box\" aria-labelledby=\"").Append(Id).AppendHtml("-caption\">\n<figcaption id=\"")
            .Append(Id).AppendHtml("-caption\">").Append(Caption).AppendHtml("</figcaption>\n<div id=\"chart-").Append(Id)
            .AppendHtml("\" class=\"chart\"></div>\n<p class=\"chart-latest\" id=\"").Append(Id).AppendHtml("-latest\" aria-live=\"off\">")
            .Append(Description).AppendHtml("</p>\n").AppendHtml(inner).AppendHtml("</figure>");
    }
}
