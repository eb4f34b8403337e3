using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Network.Contracts;
using Network.Noc.Polls;
using Network.WebPages;

namespace Network.Noc.Pages.Polls;

/// <summary>
/// <c>/polls/edit</c> makes a poll, <c>/polls/edit/{id}</c> changes one: planners and admins only (403 for engineers,
/// on the page and on the post). The form posts back here; a saved poll goes to the list (post/redirect/get), a refused
/// one comes back with its errors and what was typed.
/// </summary>
[RequestFormLimits(KeyLengthLimit = 64, ValueCountLimit = 200, ValueLengthLimit = 3 * PollLimits.DescriptionLength)]
[RequestSizeLimit(PollLimits.RequestBodyBytes)]
public sealed class EditModel(PollsClient client, IAuthorizationService authorization, IStringLocalizer<PollsText> texts)
    : PollsPageModel(client, authorization, texts)
{
    public long? Id { get; private set; }

    public PollForm Form { get; private set; } = new();

    public List<FieldError> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken cancellationToken)
    {
        if (!await MayEditAsync())
        {
            return Forbidden();
        }

        Id = id;
        if (id is not long poll)
        {
            return Page();
        }

        return await ShowAsync(async () =>
        {
            if (await AskAsync(c => c.GetAsync(poll, cancellationToken)) is { } view)
            {
                Form = PollForm.From(view.Poll);
            }
        });
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken cancellationToken)
    {
        if (!await MayEditAsync())
        {
            return Forbidden();
        }

        Id = id;
        Form = PollForm.Read(await Request.ReadFormAsync(cancellationToken));
        if (Form.ToDraft(Texts, Errors) is not { } draft)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            PollView? saved = await AskAsync(c => id is long poll ? c.UpdateAsync(poll, draft, cancellationToken) : c.CreateAsync(draft, cancellationToken));
            return saved is null ? Page() : Redirect($"/polls?saved={saved.Id}");
        }
        catch (PollRefusedException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return NotFound();
        }
        catch (PollRefusedException ex)
        {
            Errors.Add(new FieldError(ex.Status == HttpStatusCode.Conflict ? "option-0-nl" : "title-nl",
                ex.Status == HttpStatusCode.Conflict ? Texts["ErrOptionsFixed"] : Texts["ErrPortalRefused", ex.Problem.Code]));
            Response.StatusCode = (int)ex.Status == StatusCodes.Status409Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Page();
        }
    }
}
