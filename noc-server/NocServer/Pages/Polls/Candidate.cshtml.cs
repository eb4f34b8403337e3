using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Network.Contracts;
using Network.Noc.Inventory;
using Network.Noc.Plan;
using Network.Noc.Polls;
using Network.WebPages;

namespace Network.Noc.Pages.Polls;

/// <summary>
/// <c>/polls/{id}/plan/{proposal}</c>: an approved proposal becomes a candidate site of the rollout plan in one form,
/// planners and admins only. The form starts from the proposal (a site id made from its name, its name, address and point);
/// the planner completes what the plan needs (kind, commune, point, quarter). The plan entry's note keeps the link: the
/// poll, the proposal, and its score and number of ratings as the portal ranks it at that moment. A proposal already in
/// the plan, or a site id the plan already has, is refused (nothing is changed).
/// </summary>
[RequestFormLimits(KeyLengthLimit = 64, ValueCountLimit = 24, ValueLengthLimit = 1024)]
[RequestSizeLimit(16 * 1024)]
public sealed class CandidateModel(PollsClient client, IAuthorizationService authorization, IStringLocalizer<PollsText> texts, PlanService plan, TimeProvider time)
    : PollsPageModel(client, authorization, texts)
{
    /// <summary>The kinds a citizens' hotspot can be.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [SiteKinds.HotspotOutdoor, SiteKinds.HotspotIndoor];

    /// <summary>The quarters offered: this one and the next seven.</summary>
    public const int Quarters = 8;

    public long Id { get; private set; }

    public PollView? Poll { get; private set; }

    public RankedProposal? Proposal { get; private set; }

    /// <summary>The form's values by field name (as typed, or as the proposal suggests).</summary>
    public Dictionary<string, string> Form { get; } = new(StringComparer.Ordinal);

    public List<FieldError> Errors { get; } = [];

    /// <summary>The quarters offered, as <c>YYYY-Q</c> values, this quarter (Brussels) first.</summary>
    public IReadOnlyList<(int Year, int Quarter)> QuarterChoices { get; private set; } = [];

    /// <summary>The note the plan entry keeps: the link to the proposal and its score (English, as the plan's notes are).</summary>
    public static string Note(long poll, RankedProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return string.Create(CultureInfo.InvariantCulture,
            $"{LinkPrefix(poll, proposal.ProposalId)} score {proposal.Score:0.00} from {proposal.Ratings} ratings (mean {proposal.MeanHearts:0.00} hearts, rank {proposal.Rank})");
    }

    /// <summary>How a plan entry's note starts when it came from this proposal.</summary>
    public static string LinkPrefix(long poll, long proposal) => string.Create(CultureInfo.InvariantCulture, $"Citizens' poll {poll}, proposal {proposal}:");

    public async Task<IActionResult> OnGetAsync(long id, long proposal, CancellationToken cancellationToken)
    {
        if (!await MayEditAsync())
        {
            return Forbidden();
        }

        Id = id;
        IActionResult page = await ShowAsync(() => LoadAsync(proposal, cancellationToken));
        if (Proposal is null)
        {
            return Poll is null ? page : NotFound();
        }

        (int year, int quarter) = QuarterChoices[Math.Min(1, QuarterChoices.Count - 1)];
        Form["site"] = SiteIdFor(Proposal.Name);
        Form["name"] = Proposal.Name;
        Form["kind"] = SiteKinds.HotspotOutdoor;
        Form["commune"] = "";
        Form["address"] = Proposal.Address;
        Form["latitude"] = Proposal.Latitude?.ToString("0.######", CultureInfo.InvariantCulture) ?? "";
        Form["longitude"] = Proposal.Longitude?.ToString("0.######", CultureInfo.InvariantCulture) ?? "";
        Form["quarter"] = QuarterValue(year, quarter);
        return page;
    }

    public async Task<IActionResult> OnPostAsync(long id, long proposal, CancellationToken cancellationToken)
    {
        if (!await MayEditAsync())
        {
            return Forbidden();
        }

        Id = id;
        IFormCollection posted = await Request.ReadFormAsync(cancellationToken);
        foreach (string field in (string[])["site", "name", "kind", "commune", "address", "latitude", "longitude", "quarter"])
        {
            Form[field] = posted[field].ToString().Trim();
        }

        IActionResult page = await ShowAsync(() => LoadAsync(proposal, cancellationToken));
        if (Proposal is null)
        {
            return Poll is null ? page : NotFound();
        }

        double? latitude = Coordinate(Form["latitude"]);
        double? longitude = Coordinate(Form["longitude"]);
        if (latitude is null || longitude is null)
        {
            Errors.Add(new FieldError("latitude", Texts["PlanProblem_Coordinates"]));
        }

        (int Year, int Quarter)? when = QuarterChoices.Cast<(int, int)?>().FirstOrDefault(q => QuarterValue(q!.Value.Item1, q.Value.Item2) == Form["quarter"]);
        if (when is null)
        {
            Errors.Add(new FieldError("quarter", Texts["PlanProblem_Quarter"]));
        }

        string prefix = LinkPrefix(id, Proposal.ProposalId);
        IReadOnlyList<PlanEntry> entries = await plan.EntriesAsync(null, cancellationToken);
        if (entries.FirstOrDefault(e => e.Note.StartsWith(prefix, StringComparison.Ordinal)) is { } already)
        {
            Errors.Add(new FieldError("site", Texts["PlanAlreadyHasProposal", already.Site]));
        }
        else if (entries.Any(e => e.Site == Form["site"]))
        {
            Errors.Add(new FieldError("site", Texts["PlanAlreadyHasSite", Form["site"]]));
        }

        if (Errors.Count == 0)
        {
            var input = new PlanSiteInput(Form["site"], when!.Value.Year, when.Value.Quarter, null, null, User.Identity!.Name, Note(id, Proposal),
                PlanStates.Planned, null, Form["name"], Form["kind"], Form["commune"], Form["address"], latitude, longitude);
            try
            {
                PlanEntry entry = await plan.SaveAsync(input, User.Identity!.Name!, cancellationToken);
                return Redirect($"/polls/{id}/results?planned={Uri.EscapeDataString(entry.Site)}");
            }
            catch (PlanException ex)
            {
                Errors.AddRange(ex.Problems.Select(p => new FieldError(p.Field, Texts["PlanProblem_" + p.Code].ResourceNotFound
                    ? Texts["PlanProblem", p.Message] : Texts["PlanProblem_" + p.Code])));
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }

    /// <summary>The value of a quarter in the form (<c>2027-1</c>).</summary>
    public static string QuarterValue(int year, int quarter) => string.Create(CultureInfo.InvariantCulture, $"{year}-{quarter}");

    /// <summary>A site id from a proposal's name: <c>hs-</c> and the name's letters and digits (as a poll option's key is made).</summary>
    public static string SiteIdFor(string name)
    {
        string id = "hs-" + PollForm.KeyFrom(name);
        return (id.Length > 64 ? id[..64] : id).TrimEnd('-');
    }

    /// <summary>A coordinate in degrees, with a point or a comma for the decimals.</summary>
    private static double? Coordinate(string text) =>
        text.Length is > 0 and <= 32 && double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value) ? value : null;

    private async Task LoadAsync(long proposal, CancellationToken cancellationToken)
    {
        DateOnly today = PlanCalendar.Day(time.GetUtcNow());
        var first = new DateOnly(today.Year, (PlanCalendar.QuarterOf(today) - 1) * 3 + 1, 1);
        QuarterChoices = [.. Enumerable.Range(0, Quarters).Select(i => first.AddMonths(3 * i)).Select(d => (d.Year, PlanCalendar.QuarterOf(d)))];
        Poll = await AskAsync(c => c.GetAsync(Id, cancellationToken));
        PollResults? results = Poll is null ? null : await AskAsync(c => c.ResultsAsync(Id, cancellationToken));
        Proposal = results?.Proposals.FirstOrDefault(p => p.ProposalId == proposal);
    }
}
