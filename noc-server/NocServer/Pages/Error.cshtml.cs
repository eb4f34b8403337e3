using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Network.Noc.Pages;

/// <summary>
/// The page a person's browser gets for an error without a body of its own (a page that does not exist, a form
/// refused, too many sign-in attempts), in the person's language, with the status code it was sent with. The API and
/// the hub keep their own answers (<see cref="PagesExtensions.MapPages"/>). Open to anyone: it runs after the
/// request's own authorization, and shows the header only to someone signed in.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>The status shown; any other is shown as 404.</summary>
    public static IReadOnlyList<int> Known { get; } = [400, 403, 404, 405, 429];

    public int Status { get; private set; } = StatusCodes.Status404NotFound;

    /// <summary>Whether the original request was a page of the NOC a signed-in person can go back from.</summary>
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public void OnGet(int status) => Show(status);

    public void OnPost(int status) => Show(status);

    private void Show(int status)
    {
        // Asked for directly (not re-executed for another request's error), the page is one that does not exist.
        bool reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        Status = reExecuted && Known.Contains(status) ? status : StatusCodes.Status404NotFound;
        Response.StatusCode = Status;
    }
}
