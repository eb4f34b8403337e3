using Microsoft.AspNetCore.Razor.TagHelpers;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages;

/// <summary>
/// The opt-in to MAC authentication on the login and registration forms, or why this device cannot have it (a randomised,
/// locally administered MAC); nothing without a gateway visit. <c>&lt;remember-device /&gt;</c>. A tag helper rather than a
/// partial: a partial is a view lookup, a page activation and a buffer on every login a crowd posts.
/// </summary>
[HtmlTargetElement("remember-device", TagStructure = TagStructure.WithoutEndTag)]
public sealed class RememberDeviceTagHelper(PortalVisit visit) : TagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        if (visit.Uam?.Mac is not { } mac)
        {
            output.SuppressOutput();
            return;
        }

        TagHelperContent html = output.Content;
        if (DeviceAddress.IsLocallyAdministered(mac))
        {
            html.AppendHtml("<p class=\"notice\" id=\"remember-note\">").Append(visit.T("RandomMac")).AppendHtml("</p>");
            return;
        }

        html.AppendHtml("<div class=\"checkbox\">\n<input type=\"checkbox\" id=\"remember\" name=\"remember\" value=\"yes\" aria-describedby=\"remember-hint\">\n<label for=\"remember\">")
            .Append(visit.T("RememberDevice")).AppendHtml("</label>\n<p class=\"hint\" id=\"remember-hint\">")
            .Append(visit.T("RememberDeviceHint")).AppendHtml("</p>\n</div>");
    }
}
