using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>
/// What the polls' pages share: their words (<see cref="PollWords"/>), the citizen signed in to the polls (the <c>polls</c>
/// cookie, <see cref="PollSignIn"/>), the way to the sign-in page and back, and "no such poll".
/// </summary>
public abstract class PollPageModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn) : PortalPageModel(visit)
{
    private PollCitizen? _citizen;
    private bool _citizenRead;

    public PollWords Words => words;

    protected PollService Polls => polls;

    protected PollSignIn Tickets => signIn;

    /// <summary>The citizen of this request, or null when nobody is signed in to the polls.</summary>
    public PollCitizen? Citizen
    {
        get
        {
            if (!_citizenRead)
            {
                _citizen = signIn.Citizen(HttpContext);
                _citizenRead = true;
            }

            return _citizen;
        }
    }

    public DateTimeOffset Now => polls.Time.GetUtcNow();

    /// <summary>
    /// The poll of the route (<c>{id:long}</c>), read from the route alone: a handler parameter would be bound from the form
    /// too (a field named <c>id</c> would win), and a form too big to read would leave it unbound.
    /// </summary>
    protected long PollId => long.Parse(RouteData.Values["id"]?.ToString() ?? "0", NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>A link to a page of the polls in this visit's language.</summary>
    public string Link(string path, params (string Name, string? Value)[] extra) => Visit.Link(path, extra);

    /// <summary>To the sign-in page, which comes back to <paramref name="back"/> (a path under /polls) once signed in.</summary>
    protected SeeOther ToSignIn(string back) => new(Visit.Link("/polls/signin", ("back", back)));

    /// <summary>The message page for a poll that does not exist (404).</summary>
    protected IActionResult NoSuchPoll() =>
        Visit.Message(words.Say("NoSuchPollTitle"), words.Say("ErrNoSuchPoll"), ("/polls", words.Say("BackToPolls")), StatusCodes.Status404NotFound);

    /// <summary>The HTTP status of a refused vote, rating or proposal.</summary>
    protected static int StatusOf(CitizenOutcome outcome) => outcome switch
    {
        CitizenOutcome.NoSuchPoll => StatusCodes.Status404NotFound,
        CitizenOutcome.AccountLocked or CitizenOutcome.NotOnlineYet => StatusCodes.Status403Forbidden,
        CitizenOutcome.NotOpen => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };
}
