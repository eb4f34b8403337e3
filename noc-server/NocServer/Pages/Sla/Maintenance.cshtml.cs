using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Sla;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages.Sla;

/// <summary>
/// Maintenance windows (<c>/sla/maintenance?site=</c>): those of the last and the coming 90 days, of one site or all,
/// and a form to announce one for one or many sites (engineers, planners, admins: every NOC role; a window that has
/// already begun only by admins, and flagged as made after the fact, as <see cref="MaintenanceService"/> decides).
/// </summary>
public sealed class MaintenanceModel(MaintenanceService maintenance, TimeProvider time, IStringLocalizer<SlaText> sla) : PageModel
{
    public const int MaxSitesText = 20_000;

    public IReadOnlyList<MaintenanceWindow> Windows { get; private set; } = [];

    public string? Site { get; private set; }

    public long? Created { get; private set; }

    public string Sites { get; private set; } = "";

    public string Start { get; private set; } = "";

    public string End { get; private set; } = "";

    public string Reason { get; private set; } = "";

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public bool IsAdmin => User.IsInRole(NocRoles.Admin);

    public async Task OnGetAsync(string? site, long? created, CancellationToken cancellationToken)
    {
        Site = string.IsNullOrEmpty(site) || site.Length > 128 ? null : site;
        Created = created;
        Sites = Site ?? "";
        DateTimeOffset now = time.GetUtcNow();
        Start = SlaText.LocalInput(now.AddDays(1));
        End = SlaText.LocalInput(now.AddDays(1).AddHours(2));
        await ListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string? site, CancellationToken cancellationToken)
    {
        Site = string.IsNullOrEmpty(site) || site.Length > 128 ? null : site;
        IFormCollection form = await Request.ReadFormAsync(cancellationToken);
        Sites = Cut(form["sites"].ToString(), MaxSitesText);
        Start = Cut(form["start"].ToString(), 32);
        End = Cut(form["end"].ToString(), 32);
        Reason = Cut(form["reason"].ToString(), MaintenanceService.MaxReasonLength + 100);
        var errors = new List<FieldError>();
        DateTimeOffset? start = Local(Start, "start", errors);
        DateTimeOffset? end = Local(End, "end", errors);
        if (errors.Count == 0)
        {
            try
            {
                string[] sites = Sites.Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries);
                MaintenanceWindow window = await maintenance.CreateAsync(sites, start, end, Reason, User.Identity?.Name ?? "?", IsAdmin, cancellationToken);
                string back = Site is null ? "" : "site=" + Uri.EscapeDataString(Site) + "&";
                return Redirect($"/sla/maintenance?{back}created={window.Id.ToString(CultureInfo.InvariantCulture)}");
            }
            catch (MaintenanceException ex)
            {
                errors.Add(ex.Field switch
                {
                    "sites" => new FieldError("sites", sla["MaintenanceBadSites"]),
                    "start" => new FieldError("start", sla["MaintenanceAfterTheFact"]),
                    "reason" => new FieldError("reason", sla["MaintenanceBadReason"]),
                    _ => new FieldError("end", sla["MaintenanceBadEnd"]),
                });
            }
        }

        Errors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await ListAsync(cancellationToken);
        return Page();
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        Windows = await maintenance.ListAsync(now.AddDays(-90), now.AddDays(90), Site, cancellationToken);
    }

    // A datetime-local value (2026-03-10T09:00) in the region's time; a time the spring change skips is refused.
    private DateTimeOffset? Local(string text, string field, List<FieldError> errors)
    {
        if (DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local)
            && !SlaText.Zone.IsInvalidTime(local))
        {
            return new DateTimeOffset(local, SlaText.Zone.GetUtcOffset(local));
        }

        errors.Add(new FieldError(field, sla["NotADateTime"]));
        return null;
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text.Trim();
}
