using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Network.WebPages;
using Network.WebPages.TagHelpers;

namespace Network.Noc.Tests.Pages;

/// <summary>
/// The shared chart figure, data table and pagination (Network.WebPages) as they write HTML: links that keep the rest
/// of the query, <c>aria-sort</c> and <c>aria-current</c>, every text encoded. (The chart figure is also checked in
/// Chromium with axe-core on the NOC's site page.)
/// </summary>
public sealed partial class SharedTagHelperTests
{
    private static readonly DataColumn[] s_columns =
    [
        new("name", "Site"),
        new("commune", "Commune"),
        new("note", "Note", Sortable: false),
        new("alarms", "Open alarms", Numeric: true),
    ];

    private static async Task<string> RenderAsync(TagHelper helper, string tag)
    {
        var context = new TagHelperContext(tag, [], new Dictionary<object, object>(), "id");
        var output = new TagHelperOutput(tag, [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent().AppendHtml("<table id=\"values\"></table>")));
        await helper.ProcessAsync(context, output);
        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    private static ViewContext Request(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = "/sites";
        http.Request.QueryString = new QueryString(query);
        return new ViewContext { HttpContext = http };
    }

    [Fact]
    public async Task A_sorted_table_links_each_sortable_heading_and_marks_the_sorted_column()
    {
        var table = new DataTableTagHelper
        {
            Id = "sites",
            Caption = "Sites by name",
            Columns = s_columns,
            Rows = [[new DataCell("Beursplein", "/sites/hs-beursplein"), new DataCell("Brussel"), new DataCell("<b>"), new DataCell("2")]],
            Sort = new DataSort("name", Descending: false),
            ViewContext = Request("?state=open&sort=commune&page=3"),
        };

        string html = await RenderAsync(table, "data-table");

        Assert.Contains("<caption>Sites by name</caption>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\" aria-sort=\"ascending\"><a href=\"/sites?state=open&amp;sort=name&amp;dir=desc\">Site</a></th>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\"><a href=\"/sites?state=open&amp;sort=commune&amp;dir=asc\">Commune</a></th>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Note</th>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\"><a href=\"/sites/hs-beursplein\">Beursplein</a></th>", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;b&gt;</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">2</td>", html, StringComparison.Ordinal);
        Assert.Equal(1, AriaSort().Count(html));
    }

    [Fact]
    public async Task A_table_sorted_descending_says_so_and_a_table_without_rows_says_it_is_empty()
    {
        var sorted = new DataTableTagHelper { Id = "t", Columns = s_columns, Rows = [[new DataCell("a")]], Sort = new DataSort("alarms", true), ViewContext = Request("") };
        var empty = new DataTableTagHelper { Id = "t", Columns = s_columns, Rows = [], Empty = "No site.", ViewContext = Request("") };

        string html = await RenderAsync(sorted, "data-table");
        string none = await RenderAsync(empty, "data-table");

        Assert.Contains("aria-sort=\"descending\"><a href=\"/sites?sort=alarms&amp;dir=asc\">Open alarms</a>", html, StringComparison.Ordinal);
        Assert.Equal("<p class=\"empty\" id=\"t-empty\">No site.</p>", none);
    }

    [Theory]
    [InlineData("commune", "desc", "commune", true)]
    [InlineData("commune", "asc", "commune", false)]
    [InlineData("commune", "sideways", "commune", false)]
    [InlineData("note", "asc", "name", true)] // not sortable
    [InlineData("password", "asc", "name", true)] // no such column
    [InlineData(null, null, "name", true)]
    public void The_sort_asked_for_is_one_the_table_offers(string? sort, string? dir, string key, bool descending) =>
        Assert.Equal(new DataSort(key, descending), DataSort.Parse(sort, dir, s_columns, "name", defaultDescending: true));

    [Fact]
    public async Task Pagination_links_the_neighbours_first_and_last_with_gaps_and_marks_the_current_page()
    {
        var pagination = new PaginationTagHelper
        {
            Label = "Pages of the alarms",
            Previous = "Previous",
            Next = "Next",
            Pages = new Pagination(6, 20),
            ViewContext = Request("?state=cleared&page=6"),
        };

        string html = await RenderAsync(pagination, "pagination");
        string[] texts = [.. LinkText().Matches(html).Select(m => m.Groups[1].Value)];

        Assert.StartsWith("<nav class=\"pagination\" aria-label=\"Pages of the alarms\"><ul>", html, StringComparison.Ordinal);
        Assert.Equal(["Previous", "1", "4", "5", "6", "7", "8", "20", "Next"], texts);
        Assert.Equal(2, GapCount().Count(html));
        Assert.Contains("<a href=\"/sites?state=cleared&amp;page=6\" aria-current=\"page\">6</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/sites?state=cleared&amp;page=5\" rel=\"prev\">Previous</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/sites?state=cleared&amp;page=7\" rel=\"next\">Next</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_that_fits_on_one_page_gets_no_pagination()
    {
        var pagination = new PaginationTagHelper { Pages = new Pagination(1, 1), ViewContext = Request("") };

        Assert.Equal("", await RenderAsync(pagination, "pagination"));
    }

    [Theory]
    [InlineData(null, 95, 1, 10)]
    [InlineData("3", 95, 3, 10)]
    [InlineData("11", 95, 10, 10)]
    [InlineData("0", 95, 1, 10)]
    [InlineData("-2", 95, 1, 10)]
    [InlineData("two", 95, 1, 10)]
    [InlineData("99999999999999999999", 95, 1, 10)]
    [InlineData("1", 0, 1, 1)]
    public void The_page_asked_for_is_within_the_pages(string? page, int total, int expected, int pages)
    {
        Pagination pagination = Pagination.Parse(page, total, pageSize: 10);

        Assert.Equal(new Pagination(expected, pages), pagination);
        Assert.Equal((expected - 1) * 10, pagination.Skip(10));
    }

    [Fact]
    public async Task A_chart_figure_is_named_by_its_caption_and_carries_its_text_alternative_and_content()
    {
        var chart = new ChartFigureTagHelper { Id = "latency", Caption = "Latency (ms)", Description = "No data <yet>." };

        string html = await RenderAsync(chart, "chart-figure");

        Assert.Equal(
            "<figure class=\"chart-box\" aria-labelledby=\"latency-caption\">\n<figcaption id=\"latency-caption\">Latency (ms)</figcaption>\n" +
            "<div id=\"chart-latency\" class=\"chart\"></div>\n<p class=\"chart-latest\" id=\"latency-latest\" aria-live=\"off\">No data &lt;yet&gt;.</p>\n" +
            "<table id=\"values\"></table></figure>", html);
    }

    [Fact]
    public async Task A_textarea_field_has_the_label_hint_and_error_of_an_input_and_keeps_its_value_encoded_with_its_first_line_break()
    {
        var field = new FormFieldTagHelper
        {
            Name = "description-en", Label = "Description", Type = "textarea", Rows = 3, Value = "\nFirst <b>line</b>\nsecond", Hint = "Shown to citizens",
            Errors = [new FieldError("description-en", "Required")], ErrorPrefix = "Error:",
        };

        string html = await RenderAsync(field, "form-field");

        Assert.Equal(
            "<div class=\"field field-invalid\">\n<label for=\"description-en\">Description</label>\n<p class=\"hint\" id=\"description-en-hint\">Shown to citizens</p>" +
            "<p class=\"field-error\" id=\"description-en-error\"><span class=\"visually-hidden\">Error: </span>Required</p>" +
            "<textarea id=\"description-en\" name=\"description-en\" rows=\"3\" autocomplete=\"off\" aria-describedby=\"description-en-hint description-en-error\" aria-invalid=\"true\" required>" +
            "\n&#xA;First &lt;b&gt;line&lt;/b&gt;&#xA;second</textarea>\n</div>", html);
    }

    [System.Text.RegularExpressions.GeneratedRegex("aria-sort=")]
    private static partial System.Text.RegularExpressions.Regex AriaSort();

    [System.Text.RegularExpressions.GeneratedRegex("<a [^>]*>([^<]*)</a>")]
    private static partial System.Text.RegularExpressions.Regex LinkText();

    [System.Text.RegularExpressions.GeneratedRegex("class=\"gap\"")]
    private static partial System.Text.RegularExpressions.Regex GapCount();
}
