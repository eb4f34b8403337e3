using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Network.WebPages.TagHelpers;

/// <summary>
/// A labelled input with its hint and its error wired for screen readers: <c>&lt;form-field name="username"
/// label="@T("Username")" type="text" autocomplete="username" value="@Model.Username" hint="@T("UsernameHint")"
/// errors="Model.Errors" error-prefix="@T("ErrorPrefix")" verbatim="true" /&gt;</c>. The hint and the error are named by
/// <c>aria-describedby</c>, an error sets <c>aria-invalid</c> and carries a visually hidden prefix ("Error:") for
/// screen readers. Paste is never blocked; <c>autocomplete</c> lets password managers fill the field. Every text comes
/// from the caller (its own localizer) and is HTML-encoded; the ids are the field's name, so the error summary's links
/// (<c>#name</c>) land on the input.
/// </summary>
[HtmlTargetElement("form-field", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FormFieldTagHelper : TagHelper
{
    /// <summary>The input's <c>name</c> and <c>id</c>.</summary>
    public string Name { get; set; } = "";

    public string Label { get; set; } = "";

    /// <summary>
    /// The input's <c>type</c>: <c>text</c>, <c>password</c>, <c>email</c>..., or <c>textarea</c> for a
    /// <c>&lt;textarea&gt;</c> of <see cref="Rows"/> lines with the same label, hint and error.
    /// </summary>
    public string Type { get; set; } = "text";

    /// <summary>The lines of a <c>textarea</c> field.</summary>
    public int Rows { get; set; } = 4;

    /// <summary>The <c>autocomplete</c> token (<c>username</c>, <c>current-password</c>, <c>new-password</c>, <c>email</c>...).</summary>
    public string Autocomplete { get; set; } = "off";

    /// <summary>The value to show again (never a password's).</summary>
    public string? Value { get; set; }

    public string? Hint { get; set; }

    /// <summary>The form's errors; the first one for <see cref="Name"/> is shown at the field.</summary>
    public IReadOnlyList<FieldError>? Errors { get; set; }

    /// <summary>Read out before the error ("Error:"), hidden on screen.</summary>
    public string ErrorPrefix { get; set; } = "";

    public bool Required { get; set; } = true;

    /// <summary>A name or an address typed as it is: no automatic capital, no spelling check.</summary>
    public bool Verbatim { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string? error = null;
        if (Errors is not null)
        {
            foreach (FieldError candidate in Errors)
            {
                if (candidate.Field == Name)
                {
                    error = candidate.Message;
                    break;
                }
            }
        }

        output.TagName = null;
        TagHelperContent html = output.Content;
        html.AppendHtml(error is null ? "<div class=\"field\">\n<label for=\"" : "<div class=\"field field-invalid\">\n<label for=\"")
            .Append(Name).AppendHtml("\">").Append(Label).AppendHtml("</label>\n");
        if (Hint is not null)
        {
            html.AppendHtml("<p class=\"hint\" id=\"").Append(Name).AppendHtml("-hint\">").Append(Hint).AppendHtml("</p>");
        }

        if (error is not null)
        {
            html.AppendHtml("<p class=\"field-error\" id=\"").Append(Name).AppendHtml("-error\"><span class=\"visually-hidden\">")
                .Append(ErrorPrefix).AppendHtml(" </span>").Append(error).AppendHtml("</p>");
        }

        bool area = Type == "textarea";
        if (area)
        {
            html.AppendHtml("<textarea id=\"").Append(Name).AppendHtml("\" name=\"").Append(Name).AppendHtml("\" rows=\"")
                .Append(Rows.ToString(System.Globalization.CultureInfo.InvariantCulture)).AppendHtml("\" autocomplete=\"").Append(Autocomplete).AppendHtml("\"");
        }
        else
        {
            html.AppendHtml("<input id=\"").Append(Name).AppendHtml("\" name=\"").Append(Name).AppendHtml("\" type=\"").Append(Type)
                .AppendHtml("\" autocomplete=\"").Append(Autocomplete).AppendHtml("\" value=\"").Append(Value ?? "").AppendHtml("\"");
        }

        if (Hint is not null || error is not null)
        {
            html.AppendHtml(" aria-describedby=\"");
            if (Hint is not null)
            {
                html.Append(Name).AppendHtml(error is null ? "-hint" : "-hint ");
            }

            if (error is not null)
            {
                html.Append(Name).AppendHtml("-error");
            }

            html.AppendHtml("\"");
        }

        if (error is not null)
        {
            html.AppendHtml(" aria-invalid=\"true\"");
        }

        if (Verbatim)
        {
            html.AppendHtml(" autocapitalize=\"none\" spellcheck=\"false\"");
        }

        html.AppendHtml(Required ? " required>" : ">");
        if (area)
        {
            // A newline right after the start tag is dropped by the HTML parser: one is written so that a value's own first newline stays.
            html.AppendHtml("\n").Append(Value ?? "").AppendHtml("</textarea>");
        }

        html.AppendHtml("\n</div>");
    }
}
