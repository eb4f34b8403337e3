using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Network.WebPages.TagHelpers;

/// <summary>
/// The error summary at the top of a form that came back with problems (GOV.UK's pattern): a titled box, announced as
/// an alert and focusable, with one link per error to its field (<c>#name</c>). Nothing at all when there is no error.
/// <c>&lt;error-summary title="@T("ErrorSummaryTitle")" errors="Model.Errors" /&gt;</c>.
/// </summary>
[HtmlTargetElement("error-summary", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ErrorSummaryTagHelper : TagHelper
{
    public string Title { get; set; } = "";

    public IReadOnlyList<FieldError>? Errors { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        if (Errors is not { Count: > 0 })
        {
            output.SuppressOutput();
            return;
        }

        TagHelperContent html = output.Content;
        html.AppendHtml("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n<h2 id=\"error-summary-title\">")
            .Append(Title).AppendHtml("</h2>\n<ul>");
        foreach (FieldError error in Errors)
        {
            html.AppendHtml("<li><a href=\"#").Append(error.Field).AppendHtml("\">").Append(error.Message).AppendHtml("</a></li>");
        }

        html.AppendHtml("</ul>\n</div>\n");
    }
}
