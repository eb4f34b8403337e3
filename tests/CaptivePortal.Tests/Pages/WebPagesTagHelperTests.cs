using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Network.WebPages;
using Network.WebPages.TagHelpers;

namespace Network.CaptivePortal.Tests.Pages;

/// <summary>The shared tag helpers of Network.WebPages, as both services' pages use them: markup, accessibility wiring, encoding.</summary>
public sealed class WebPagesTagHelperTests
{
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);

    [Fact]
    public void A_field_with_a_hint_and_an_error_names_both_marks_itself_invalid_and_reads_out_the_prefix()
    {
        string html = Render(new FormFieldTagHelper
        {
            Name = "username", Label = "Username", Autocomplete = "username", Value = "marie", Hint = "3 to 32 letters",
            Errors = [new FieldError("password", "Too short"), new FieldError("username", "Taken")], ErrorPrefix = "Error:", Verbatim = true,
        });

        Assert.Equal("""
            <div class="field field-invalid">
            <label for="username">Username</label>
            <p class="hint" id="username-hint">3 to 32 letters</p><p class="field-error" id="username-error"><span class="visually-hidden">Error: </span>Taken</p><input id="username" name="username" type="text" autocomplete="username" value="marie" aria-describedby="username-hint username-error" aria-invalid="true" autocapitalize="none" spellcheck="false" required>
            </div>
            """.ReplaceLineEndings("\n"), html);
    }

    [Fact]
    public void A_field_without_hint_or_error_has_no_description_and_an_optional_one_is_not_required()
    {
        string html = Render(new FormFieldTagHelper { Name = "email", Label = "Email", Type = "email", Autocomplete = "email", Required = false });

        Assert.DoesNotContain("aria-describedby", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-invalid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("required", html, StringComparison.Ordinal);
        Assert.StartsWith("<div class=\"field\">", html, StringComparison.Ordinal);
        Assert.Contains("type=\"email\" autocomplete=\"email\" value=\"\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_text_a_person_typed_or_a_translation_holds_is_encoded_and_letters_stay_letters()
    {
        string html = Render(new FormFieldTagHelper
        {
            Name = "username", Label = "Nom d'utilisateur à <b>", Value = "\"><script>alert(1)</script>",
            Errors = [new FieldError("username", "<img src=x onerror=alert(1)>")],
        });

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&quot;&gt;&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("utilisateur à &lt;b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_summary_links_each_error_to_its_field_and_is_focusable_and_absent_without_errors()
    {
        string html = Render(new ErrorSummaryTagHelper
        {
            Title = "There is a problem", Errors = [new FieldError("username", "Taken"), new FieldError("password", "Too <short>")],
        });
        string none = Render(new ErrorSummaryTagHelper { Title = "There is a problem", Errors = [] });

        Assert.Contains("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"error-summary-title\">There is a problem</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"#username\">Taken</a></li><li><a href=\"#password\">Too &lt;short&gt;</a></li>", html, StringComparison.Ordinal);
        Assert.Equal("", none);
    }

    [Fact]
    public void The_language_switch_marks_the_current_language_and_names_each_in_itself()
    {
        string html = Render(new LanguageSwitchTagHelper
        {
            Label = "Taal", Current = "nl",
            Languages = [new LanguageLink("nl", "Nederlands", "/?lang=nl"), new LanguageLink("fr", "Français", "/login?lang=fr&uam=a+b")],
        });

        Assert.Equal("<nav aria-label=\"Taal\"><ul class=\"languages\">"
            + "<li><a href=\"/?lang=nl\" lang=\"nl\" hreflang=\"nl\" aria-current=\"true\">Nederlands</a></li>"
            + "<li><a href=\"/login?lang=fr&amp;uam=a&#x2B;b\" lang=\"fr\" hreflang=\"fr\">Français</a></li></ul></nav>", html);
    }

    private static string Render(TagHelper helper)
    {
        var context = new TagHelperContext([], new Dictionary<object, object>(), "test");
        var output = new TagHelperOutput("test", [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        helper.Process(context, output);
        using var writer = new StringWriter();
        output.WriteTo(writer, s_encoder);
        return writer.ToString();
    }
}
