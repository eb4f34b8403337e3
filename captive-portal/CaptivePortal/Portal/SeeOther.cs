namespace Network.CaptivePortal.Portal;

/// <summary>303 See Other: the "redirect" of post/redirect/get, so a reload never posts a form twice.</summary>
public sealed class SeeOther(string location) : IResult, IStatusCodeHttpResult
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
}
