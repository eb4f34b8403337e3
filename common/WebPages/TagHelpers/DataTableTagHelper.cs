using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Network.WebPages.TagHelpers;

/// <summary>
/// A table sorted by links, without script: each sortable heading is a link to the same page with
/// <c>?sort=KEY&amp;dir=asc|desc</c> (the other parameters kept, <c>page</c> dropped: a new order starts at its first
/// page), the sorted column carries <c>aria-sort</c>, and the first cell of a row is its header. The rows come sorted
/// and cut to the page by the caller (the store sorts; <see cref="DataSort.Parse"/> reads the request).
/// <c>&lt;data-table id="sites" caption="@T["Sites"]" columns="Model.Columns" rows="Model.Rows" sort="Model.Sort" empty="@T["NoSite"]" /&gt;</c>.
/// </summary>
[HtmlTargetElement("data-table", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DataTableTagHelper : TagHelper
{
    public string Id { get; set; } = "";

    /// <summary>The table's caption (shown; say what the rows are and how they are sorted).</summary>
    public string Caption { get; set; } = "";

    public IReadOnlyList<DataColumn> Columns { get; set; } = [];

    public IEnumerable<IReadOnlyList<DataCell>> Rows { get; set; } = [];

    public DataSort? Sort { get; set; }

    /// <summary>The text in place of the table when there is no row.</summary>
    public string Empty { get; set; } = "";

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        TagHelperContent html = output.Content;
        List<IReadOnlyList<DataCell>> rows = [.. Rows];
        if (rows.Count == 0)
        {
            html.AppendHtml("<p class=\"empty\" id=\"").Append(Id).AppendHtml("-empty\">").Append(Empty).AppendHtml("</p>");
            return;
        }

        html.AppendHtml("<table class=\"grid\" id=\"").Append(Id).AppendHtml("\">\n<caption>").Append(Caption)
            .AppendHtml("</caption>\n<thead>\n<tr>");
        foreach (DataColumn column in Columns)
        {
            html.AppendHtml("<th scope=\"col\"");
            if (column.Numeric)
            {
                html.AppendHtml(" class=\"num\"");
            }

            bool sorted = Sort is not null && Sort.Key == column.Key;
            if (sorted)
            {
                html.AppendHtml(Sort!.Descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"");
            }

            html.AppendHtml(">");
            if (column.Sortable)
            {
                string direction = sorted && !Sort!.Descending ? "desc" : "asc";
                string href = PageLinks.With(ViewContext.HttpContext.Request,
                    (DataSort.SortParameter, column.Key), (DataSort.DirectionParameter, direction), (Pagination.PageParameter, null));
                html.AppendHtml("<a href=\"").Append(href).AppendHtml("\">").Append(column.Label).AppendHtml("</a>");
            }
            else
            {
                html.Append(column.Label);
            }

            html.AppendHtml("</th>");
        }

        html.AppendHtml("</tr>\n</thead>\n<tbody>\n");
        foreach (IReadOnlyList<DataCell> row in rows)
        {
            html.AppendHtml("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                DataCell cell = row[i];
                bool numeric = i < Columns.Count && Columns[i].Numeric;
                html.AppendHtml(i == 0 ? "<th scope=\"row\"" : "<td").AppendHtml(numeric ? " class=\"num\">" : ">");
                if (cell.Href is null)
                {
                    html.Append(cell.Text);
                }
                else
                {
                    html.AppendHtml("<a href=\"").Append(cell.Href).AppendHtml("\">").Append(cell.Text).AppendHtml("</a>");
                }

                html.AppendHtml(i == 0 ? "</th>" : "</td>");
            }

            html.AppendHtml("</tr>\n");
        }

        html.AppendHtml("</tbody>\n</table>");
    }
}
