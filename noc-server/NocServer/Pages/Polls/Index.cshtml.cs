using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Network.Contracts;
using Network.Noc.Polls;
using Network.WebPages;

namespace Network.Noc.Pages.Polls;

/// <summary><c>/polls</c>: every poll, newest opening first, with links to its results, its moderation queue and (for planners) its form.</summary>
public sealed class IndexModel(PollsClient client, IAuthorizationService authorization, IStringLocalizer<PollsText> texts)
    : PollsPageModel(client, authorization, texts)
{
    public IReadOnlyList<DataColumn> Columns { get; private set; } = [];

    public IReadOnlyList<IReadOnlyList<DataCell>> Rows { get; private set; } = [];

    /// <summary>The page follows a saved poll's form (<c>?saved=ID</c>).</summary>
    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? saved, CancellationToken cancellationToken)
    {
        Saved = saved is not null;
        await MayEditAsync();
        IReadOnlyList<PollView>? polls = await AskAsync(c => c.ListAsync(cancellationToken));
        Columns =
        [
            new("title", Texts["ColTitle"], Sortable: false),
            new("state", Texts["ColState"], Sortable: false),
            new("opens", Texts["ColOpens"], Sortable: false),
            new("closes", Texts["ColCloses"], Sortable: false),
            new("votes", Texts["ColVotes"], Sortable: false, Numeric: true),
            new("new", Texts["ColNewProposals"], Sortable: false, Numeric: true),
            new("approved", Texts["ColApprovedProposals"], Sortable: false, Numeric: true),
            .. CanEdit ? [new DataColumn("edit", Texts["ColEdit"], Sortable: false)] : Array.Empty<DataColumn>(),
        ];
        Rows = [.. (polls ?? []).OrderByDescending(p => p.Poll.OpensAt).ThenByDescending(p => p.Id).Select(Row)];
        return Page();
    }

    private IReadOnlyList<DataCell> Row(PollView poll)
    {
        string title = In(poll.Poll.Title);
        List<DataCell> cells =
        [
            new(title, $"/polls/{poll.Id}/results"),
            new(Texts["State_" + poll.State]),
            new(PollTimes.Show(poll.Poll.OpensAt)),
            new(PollTimes.Show(poll.Poll.ClosesAt)),
            new(Number(poll.Votes)),
            new(Number(poll.ProposalsNew), $"/polls/{poll.Id}/moderation"),
            new(Number(poll.ProposalsApproved)),
        ];
        if (CanEdit)
        {
            cells.Add(new(Texts["EditPoll"], $"/polls/edit/{poll.Id}"));
        }

        return cells;
    }

    private static string Number(long n) => n.ToString("N0", System.Globalization.CultureInfo.CurrentCulture);
}
