using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Network.CaptivePortal.Portal;

/// <summary>A page with a heading, one paragraph and a way on (a portal path and its label).</summary>
public sealed record PortalMessage(string Title, string Text, string NextPath, string NextLabel);

/// <summary>
/// The message page (<see cref="View"/>, in the portal's layout) with its status code, for a page handler (an action
/// result) and for a response written outside the pages (the rate limiter's refusal).
/// </summary>
public sealed class PortalMessageResult(PortalMessage message, int statusCode = StatusCodes.Status200OK) : IActionResult, IResult, IStatusCodeHttpResult
{
    /// <summary>The view, under the pages' layout.</summary>
    public const string View = "/Pages/Shared/Message.cshtml";

    public PortalMessage Message { get; } = message;

    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IModelMetadataProvider metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        return new ViewResult
        {
            ViewName = View,
            StatusCode = StatusCode,
            ViewData = new ViewDataDictionary<PortalMessage>(metadata, context.ModelState) { Model = Message },
        }.ExecuteResultAsync(context);
    }

    /// <summary>Writes the page outside a page handler (an endpoint, middleware).</summary>
    public Task ExecuteAsync(HttpContext httpContext) =>
        ExecuteResultAsync(new ActionContext(httpContext, httpContext.GetRouteData(), new ActionDescriptor()));
}
