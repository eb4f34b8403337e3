using Microsoft.AspNetCore.Mvc;

namespace Network.CaptivePortal.Portal;

/// <summary>303 See Other: the "redirect" of post/redirect/get, so a reload never posts a form twice (pages and endpoints alike).</summary>
public sealed class SeeOther(string location) : IResult, IStatusCodeHttpResult, IActionResult
{
    public string Location { get; } = location;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }
}
