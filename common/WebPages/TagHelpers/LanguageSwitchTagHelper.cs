using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Network.WebPages.TagHelpers;

/// <summary>
/// The language switch: a labelled navigation with one link per language, each the current page in that language
/// (the caller's links carry <c>?lang=</c>: never a cookie), named in its own language (<c>lang</c>) with
/// <c>hreflang</c>, the current one marked with <c>aria-current</c>.
/// <c>&lt;language-switch label="@T("LanguageNav")" current="nl" languages="Model.Languages" /&gt;</c>.
/// </summary>
[HtmlTargetElement("language-switch", TagStructure = TagStructure.WithoutEndTag)]
public sealed class LanguageSwitchTagHelper : TagHelper
{
    /// <summary>The navigation's accessible name ("Language").</summary>
    public string Label { get; set; } = "";

    /// <summary>The page's language code.</summary>
    public string Current { get; set; } = "";

    public IEnumerable<LanguageLink> Languages { get; set; } = [];

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        TagHelperContent html = output.Content;
        html.AppendHtml("<nav aria-label=\"").Append(Label).AppendHtml("\"><ul class=\"languages\">");
        foreach (LanguageLink language in Languages)
        {
            html.AppendHtml("<li><a href=\"").Append(language.Href).AppendHtml("\" lang=\"").Append(language.Code)
                .AppendHtml("\" hreflang=\"").Append(language.Code)
                .AppendHtml(language.Code == Current ? "\" aria-current=\"true\">" : "\">")
                .Append(language.Autonym).AppendHtml("</a></li>");
        }

        html.AppendHtml("</ul></nav>");
    }
}
