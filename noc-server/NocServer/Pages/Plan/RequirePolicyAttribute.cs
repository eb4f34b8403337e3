using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Network.Noc.Pages.Plan;

/// <summary>
/// A page only <paramref name="policy"/>'s roles may use: anyone else signed in gets 403 with the error page in their
/// language. (An <c>[Authorize(Policy = ...)]</c> on the page is judged before the error pages can run, so it answers an
/// empty 403 that a browser shows as its own error.) Runs before the form's antiforgery check, so a post from someone
/// without the role is a 403 too.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequirePolicyAttribute(string policy) : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public string Policy { get; } = policy;

    public int Order => int.MinValue;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IAuthorizationService authorization = context.HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        if (!(await authorization.AuthorizeAsync(context.HttpContext.User, Policy)).Succeeded)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
        }
    }
}
