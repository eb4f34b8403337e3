using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Contracts;
using Network.Noc.Polls;
using Network.Noc.Users;

namespace Network.Noc.Pages.Polls;

/// <summary>
/// What every planners' poll page shares: the client of the portal, whether the signed-in person may change polls
/// (planners and admins; engineers read), and the one message a page shows instead of its content when the polls are not
/// configured or the portal cannot be asked (with 502 then). Every handler that changes something calls
/// <see cref="MayEditAsync"/> first: Razor Pages has no per-handler authorization attribute.
/// </summary>
public abstract class PollsPageModel(PollsClient client, IAuthorizationService authorization, IStringLocalizer<PollsText> texts) : PageModel
{
    protected PollsClient Client => client;

    protected IStringLocalizer<PollsText> Texts => texts;

    /// <summary>Whether the person may create, edit and moderate (set by <see cref="MayEditAsync"/>, which every handler calls).</summary>
    public bool CanEdit { get; private set; }

    /// <summary>Shown instead of the page's content: the polls are not configured, or the portal cannot be asked.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The page's language (nl, fr, en), for the poll's texts.</summary>
    public static string Language => NocText.Language(CultureInfo.CurrentUICulture.Name) ?? "en";

    /// <summary>A poll's text in the page's language.</summary>
    public static string In(PollTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Language switch
        {
            "nl" => texts.Nl,
            "fr" => texts.Fr,
            _ => texts.En,
        };
    }

    /// <summary>Whether the signed-in person may change polls; sets <see cref="CanEdit"/>.</summary>
    protected async Task<bool> MayEditAsync()
    {
        CanEdit = (await authorization.AuthorizeAsync(User, NocPolicies.Planner).ConfigureAwait(false)).Succeeded;
        return CanEdit;
    }

    /// <summary>403 with the error page, for a person who may read but not change.</summary>
    protected StatusCodeResult Forbidden() => StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>
    /// Runs a call to the portal; when the polls are not configured or the portal cannot be asked, the page shows why
    /// (with 502 for the portal) and the call's result is null.
    /// </summary>
    protected async Task<T?> AskAsync<T>(Func<PollsClient, Task<T>> call)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(client).ConfigureAwait(false);
        }
        catch (PollsNotConfiguredException)
        {
            Unavailable = texts["NotConfigured"];
        }
        catch (PortalUnavailableException ex)
        {
            Unavailable = texts[ex.Failure switch
            {
                PortalFailure.Timeout => "PortalTimeout",
                PortalFailure.TokenRefused => "PortalTokenRefused",
                PortalFailure.Failed => "PortalFailed",
                _ => "PortalUnreachable",
            }];
            Response.StatusCode = StatusCodes.Status502BadGateway;
        }

        return null;
    }

    /// <summary>The page itself, or 404 when the portal says there is no such poll or proposal.</summary>
    protected async Task<IActionResult> ShowAsync(Func<Task> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            await load().ConfigureAwait(false);
        }
        catch (PollRefusedException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return NotFound();
        }

        return Page();
    }
}
