using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Plan;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages.Plan;

/// <summary>
/// The CSV import (<c>/plan/import</c>): planners and admins upload a spreadsheet; the whole file is stored or, when a row
/// is refused, nothing, and the page names every refused line (the first <see cref="PlanCsv.MaxRefusalsListed"/>, then how
/// many more) and what is wrong with each, in the page's language. The form is read here within the upload's
/// limit (<see cref="PlanCsv.MaxBytes"/>) and its antiforgery token checked here, so a file too large comes back as the
/// page with a message rather than an error.
/// </summary>
[RequirePolicy(NocPolicies.Planner)]
[IgnoreAntiforgeryToken]
[RequestSizeLimit(PlanCsv.MaxBytes + FormOverhead)]
public sealed class ImportModel(IAntiforgery antiforgery, PlanService plan, IStringLocalizer<PlanText> planText) : PageModel
{
    private const int FormOverhead = 16 * 1024;

    private static readonly FormOptions s_form = new()
    {
        BufferBody = false,
        ValueCountLimit = 8,
        KeyLengthLimit = 64,
        ValueLengthLimit = 1024,
        MultipartBodyLengthLimit = PlanCsv.MaxBytes + FormOverhead,
    };

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    /// <summary>The refused lines (0: the file as a whole) and what is wrong with each, in the page's language; the first <see cref="PlanCsv.MaxRefusalsListed"/>.</summary>
    public IReadOnlyList<(int Line, string Problems)> Refusals { get; private set; } = [];

    /// <summary>How many more rows were refused than <see cref="Refusals"/> lists.</summary>
    public int MoreRefused { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Request.HasFormContentType)
        {
            return RefuseWith(StatusCodes.Status415UnsupportedMediaType, "ProblemFileMissing");
        }

        IFormCollection form;
        try
        {
            form = await Request.ReadFormAsync(s_form, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return RefuseWith(StatusCodes.Status413PayloadTooLarge, "ProblemFileTooLarge");
        }

        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }

        if (form.Files.GetFile("file") is not IFormFile file || file.Length == 0)
        {
            return RefuseWith(StatusCodes.Status400BadRequest, "ProblemFileMissing");
        }

        if (file.Length > PlanCsv.MaxBytes)
        {
            return RefuseWith(StatusCodes.Status413PayloadTooLarge, "ProblemFileTooLarge");
        }

        byte[] bytes = new byte[file.Length];
        await using (Stream stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        try
        {
            IReadOnlyList<PlanEntry> stored = await plan.ImportAsync(PlanCsv.Parse(PlanCsv.Decode(bytes)), User.Identity?.Name ?? "?", cancellationToken);
            int year = stored.GroupBy(e => e.Year).MaxBy(g => g.Count())?.Key ?? 0;
            return Redirect($"/plan?year={year}&imported={stored.Count}");
        }
        catch (PlanImportException ex)
        {
            CultureInfo culture = CultureInfo.CurrentCulture;
            Refusals = [.. ex.Refusals.Take(PlanCsv.MaxRefusalsListed).Select(r => (r.Line, string.Join(" ", r.Problems.Select(p =>
                string.Format(culture, planText["ProblemColumn"], planText["Problem" + p.Code].Value, p.Field)))))];
            MoreRefused = Math.Max(0, ex.Refusals.Count - PlanCsv.MaxRefusalsListed);
            Errors = [new FieldError("file", ex.Refusals.Count > 1 ? string.Format(culture, planText["ImportRefusedRows"], ex.Refusals.Count)
                : ex.Line > 0 ? string.Format(culture, planText["ImportRefused"], ex.Line)
                : planText["ImportRefusedFile"])];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
    }

    private PageResult RefuseWith(int status, string message)
    {
        Errors = [new FieldError("file", planText[message])];
        Response.StatusCode = status;
        return Page();
    }
}
