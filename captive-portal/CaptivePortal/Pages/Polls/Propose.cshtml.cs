using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;
using Network.Contracts;
using Network.WebPages;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>
/// Proposing a place: a name, the commune (from the list) and the address, why, optionally the poll's option (zone) it
/// belongs to, and whether to show the proposer's name. Lengths are limited (<see cref="PollLimits"/>); what is typed is
/// kept and shown as text, never as HTML. A form too big to read is refused with a message rather than an error page.
/// </summary>
public sealed class ProposeModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn) : PollPageModel(visit, words, polls, signIn)
{
    public StoredPoll Poll { get; private set; } = null!;

    public string Name { get; private set; } = "";

    public string Commune { get; private set; } = "";

    public string Address { get; private set; } = "";

    public string Why { get; private set; } = "";

    public string OptionKey { get; private set; } = "";

    public bool ShowName { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        long id = PollId;
        if (await Polls.Store.PollAsync(id, HttpContext.RequestAborted).ConfigureAwait(false) is not StoredPoll poll)
        {
            return NoSuchPoll();
        }

        Poll = poll;
        return Citizen is null ? ToSignIn($"/polls/{id}/propose") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        long id = PollId;
        if (await Polls.Store.PollAsync(id, HttpContext.RequestAborted).ConfigureAwait(false) is not StoredPoll poll)
        {
            return NoSuchPoll();
        }

        Poll = poll;
        IFormCollection form;
        bool valid;
        try
        {
            (form, valid) = await ReadFormAsync().ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            // A value over the portal's form limits (FormOptions): far more than any field here takes.
            return Form([new("why", Words.Say("ErrFormTooLarge"))], StatusCodes.Status413PayloadTooLarge);
        }

        Name = PollRules.Clean(form["name"]);
        Commune = form["commune"].ToString();
        Address = PollRules.Clean(form["address"]);
        Why = PollRules.Clean(form["why"]);
        OptionKey = form["option"].ToString();
        ShowName = form["show-name"] == "yes";
        if (!valid)
        {
            return Expired("name");
        }

        if (Citizen is not PollCitizen citizen)
        {
            return ToSignIn($"/polls/{id}/propose");
        }

        var errors = new List<FieldError>();
        Check(errors, "name", Name, PollLimits.ProposalNameLength, Words.Say("ErrNameRequired"), Words.Say("ErrNameTooLong", PollLimits.ProposalNameLength));
        if (!Communes.IsKnown(Commune))
        {
            errors.Add(new("commune", Words.Say("ErrCommuneRequired")));
        }

        Check(errors, "address", Address, PollLimits.AddressLength, Words.Say("ErrAddressRequired"), Words.Say("ErrAddressTooLong", PollLimits.AddressLength));
        Check(errors, "why", Why, PollLimits.WhyLength, Words.Say("ErrWhyRequired"), Words.Say("ErrWhyTooLong", PollLimits.WhyLength));
        if (OptionKey.Length > 0 && !poll.Draft.Options.Any(o => o.Key == OptionKey))
        {
            errors.Add(new("option", Words.Say("ErrNoSuchOption")));
        }

        if (errors.Count > 0)
        {
            return Form(errors, StatusCodes.Status422UnprocessableEntity);
        }

        var proposal = new NewProposal(Name, Commune, Address, null, null, Why, OptionKey.Length > 0 ? OptionKey : null, ShowName ? citizen.Username : null);
        (CitizenOutcome outcome, _) = await Polls.ProposeAsync(id, citizen, proposal, HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome == CitizenOutcome.Recorded
            ? new SeeOther(Visit.Link($"/polls/{id}/mine", ("done", "proposed")))
            : Form([new("name", Words.Refusal(outcome))], StatusOf(outcome));
    }

    private static void Check(List<FieldError> errors, string field, string value, int max, string required, string tooLong)
    {
        if (value.Length == 0)
        {
            errors.Add(new(field, required));
        }
        else if (value.Length > max)
        {
            errors.Add(new(field, tooLong));
        }
    }
}
