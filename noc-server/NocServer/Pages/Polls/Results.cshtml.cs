using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Network.Contracts;
using Network.Noc.Polls;
using Network.WebPages;

namespace Network.Noc.Pages.Polls;

/// <summary>
/// <c>/polls/{id}/results</c>: the options' shares (a table and a bar chart drawn on the server, so no script), the
/// approved proposals ranked by their score, all or one zone's (<c>?zone=KEY</c>), and the portal's CSV
/// (<c>?handler=csv</c>). Planners and admins have a link on each proposal to its form for the rollout plan
/// (<see cref="CandidateModel"/>).
/// </summary>
public sealed class ResultsModel(PollsClient client, IAuthorizationService authorization, IStringLocalizer<PollsText> texts)
    : PollsPageModel(client, authorization, texts)
{
    public long Id { get; private set; }

    public PollView? Poll { get; private set; }

    public PollResults? Results { get; private set; }

    /// <summary>The zone (option key) the ranking is cut to, or null for all.</summary>
    public string? Zone { get; private set; }

    /// <summary>The ranked proposals shown (all, or the zone's; ranks stay those of the whole poll).</summary>
    public IReadOnlyList<RankedProposal> Ranked { get; private set; } = [];

    /// <summary>The site a proposal has just become in the rollout plan (<c>?planned=SITE</c>), shown once.</summary>
    public string? Planned { get; private set; }

    public IReadOnlyList<DataColumn> OptionColumns { get; private set; } = [];

    public IReadOnlyList<IReadOnlyList<DataCell>> OptionRows { get; private set; } = [];

    public IReadOnlyList<DataColumn> ProposalColumns { get; private set; } = [];

    public IReadOnlyList<IReadOnlyList<DataCell>> ProposalRows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, string? zone, string? planned, CancellationToken cancellationToken)
    {
        await MayEditAsync();
        Id = id;
        Planned = planned is { Length: > 0 and <= 64 } ? planned : null;
        return await ShowAsync(() => LoadAsync(zone, cancellationToken));
    }

    /// <summary>The portal's CSV of the results, as a download.</summary>
    public async Task<IActionResult> OnGetCsvAsync(long id, CancellationToken cancellationToken)
    {
        await MayEditAsync();
        Id = id;
        byte[]? csv = null;
        IActionResult page = await ShowAsync(async () => csv = await AskAsync(c => c.ResultsCsvAsync(id, cancellationToken)));
        return csv is null ? page : File(csv, "text/csv; charset=utf-8", $"poll-{id.ToString(CultureInfo.InvariantCulture)}-results.csv");
    }

    /// <summary>
    /// The options' shares as a bar chart in SVG, drawn here (no script; presentation attributes only, no inline style,
    /// so the CSP holds), named for screen readers by its values; the table that follows it holds the same numbers.
    /// </summary>
    public static IHtmlContent Bars(IReadOnlyList<OptionResult> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const int RowHeight = 40;
        const int Width = 520;
        string Invariant(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new HtmlContentBuilder();
        svg.AppendHtml($"<svg class=\"bars\" viewBox=\"0 0 600 {Math.Max(1, options.Count) * RowHeight}\" role=\"img\" focusable=\"false\" aria-label=\"")
            .Append(string.Join("; ", options.Select(o => $"{In(o.Label)}: {Percent(o.Share)}"))).AppendHtml("\">\n");
        for (int i = 0; i < options.Count; i++)
        {
            OptionResult option = options[i];
            int y = i * RowHeight;
            svg.AppendHtml($"<text x=\"0\" y=\"{y + 13}\" fill=\"#1a1a1a\" font-size=\"13\">").Append(In(option.Label)).AppendHtml("</text>")
                .AppendHtml($"<rect x=\"0\" y=\"{y + 18}\" width=\"{Invariant(Math.Clamp(option.Share, 0, 1) * Width)}\" height=\"14\" fill=\"#1f5f99\"></rect>")
                .AppendHtml($"<text x=\"{Width + 8}\" y=\"{y + 30}\" fill=\"#1a1a1a\" font-size=\"13\">").Append(Percent(option.Share)).AppendHtml("</text>\n");
        }

        return svg.AppendHtml("</svg>");
    }

    /// <summary>A percentage in the page's culture.</summary>
    public static string Percent(double share) => share.ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>A number with two decimals in the page's culture.</summary>
    public static string Decimal(double value) => value.ToString("N2", CultureInfo.CurrentCulture);

    /// <summary>An option's label in the page's language, or its key for one the poll no longer has.</summary>
    public string ZoneName(string? key) =>
        key is null ? "–" : Poll?.Poll.Options.FirstOrDefault(o => o.Key == key) is { } option ? In(option.Label) : key;

    private async Task LoadAsync(string? zone, CancellationToken cancellationToken)
    {
        Poll = await AskAsync(c => c.GetAsync(Id, cancellationToken));
        Results = Poll is null ? null : await AskAsync(c => c.ResultsAsync(Id, cancellationToken));
        if (Results is null)
        {
            return;
        }

        Zone = Results.Options.Any(o => o.Key == zone) ? zone : null;
        Ranked = [.. Results.Proposals.Where(p => Zone is null || p.OptionKey == Zone).OrderBy(p => p.Rank)];
        OptionColumns =
        [
            new("option", Texts["ColOption"], Sortable: false),
            new("votes", Texts["ColVotes"], Sortable: false, Numeric: true),
            new("share", Texts["ColShare"], Sortable: false, Numeric: true),
        ];
        OptionRows = [.. Results.Options.Select(o => (IReadOnlyList<DataCell>)
            [new(In(o.Label)), new(o.Votes.ToString("N0", CultureInfo.CurrentCulture)), new(Percent(o.Share))])];
        ProposalColumns =
        [
            new("rank", Texts["ColRank"], Sortable: false, Numeric: true),
            new("name", Texts["ColProposal"], Sortable: false),
            new("commune", Texts["Commune"], Sortable: false),
            new("zone", Texts["Zone"], Sortable: false),
            new("ratings", Texts["ColRatings"], Sortable: false, Numeric: true),
            new("mean", Texts["ColMeanHearts"], Sortable: false, Numeric: true),
            new("score", Texts["ColScore"], Sortable: false, Numeric: true),
            .. CanEdit ? [new DataColumn("plan", Texts["ColPlan"], Sortable: false)] : Array.Empty<DataColumn>(),
        ];
        ProposalRows = [.. Ranked.Select(p => (IReadOnlyList<DataCell>)
        [
            new(p.Rank.ToString(CultureInfo.CurrentCulture)), new(p.Name), new(p.Commune), new(ZoneName(p.OptionKey)),
            new(p.Ratings.ToString("N0", CultureInfo.CurrentCulture)), new(Decimal(p.MeanHearts)), new(Decimal(p.Score)),
            .. CanEdit ? [new DataCell(Texts["AddToPlan"], $"/polls/{Id}/plan/{p.ProposalId}")] : Array.Empty<DataCell>(),
        ])];
    }
}
