using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>The polls open, coming and closed, the running ones first.</summary>
public sealed class IndexModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn) : PollPageModel(visit, words, polls, signIn)
{
    public IReadOnlyList<StoredPoll> All { get; private set; } = [];

    public async Task OnGetAsync() => All = await Polls.Store.PollsAsync(HttpContext.RequestAborted).ConfigureAwait(false);
}
