using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Network.Contracts;
using Network.Noc.Pages.Polls;
using Network.Noc.Polls;
using Network.WebPages;

namespace Network.Noc.Tests.Polls;

/// <summary>The poll form read into a draft: moments in Brussels time, the portal's limits, each problem at its field in the planner's language.</summary>
public sealed class PollFormTests
{
    private static readonly IStringLocalizer<PollsText> s_texts = new StringLocalizer<PollsText>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static Dictionary<string, StringValues> Complete() => new()
    {
        ["title-nl"] = "Waar komen de hotspots?", ["title-fr"] = "Où vont les hotspots ?", ["title-en"] = "Where do the hotspots go?",
        ["description-nl"] = "Kies een zone.", ["description-fr"] = "Choisissez une zone.", ["description-en"] = "Choose a zone.\r\nSecond line.",
        ["opens"] = "2026-06-03T09:00", ["closes"] = "2026-09-24T18:00", ["proposals"] = "on", ["proposals-until"] = "2026-08-31T23:59",
        ["results-while-open"] = "on",
        ["option-0-nl"] = "Metrostations", ["option-0-fr"] = "Stations de métro", ["option-0-en"] = "Metro stations",
        ["option-1-nl"] = "Pleinen", ["option-1-fr"] = "Places", ["option-1-en"] = "Squares", ["option-1-key"] = "squares",
        // an empty row between two filled ones is left out
        ["option-3-nl"] = "Scholen", ["option-3-fr"] = "Écoles", ["option-3-en"] = "Écoles & schools",
    };

    private static (PollDraft? Draft, List<FieldError> Errors, PollForm Form) Read(Dictionary<string, StringValues> fields)
    {
        PollForm form = PollForm.Read(new FormCollection(fields));
        var errors = new List<FieldError>();
        return (form.ToDraft(s_texts, errors), errors, form);
    }

    [Fact]
    public void A_complete_form_is_a_draft_with_Brussels_times_as_instants_and_keys_made_from_the_English_labels()
    {
        var (draft, errors, _) = Read(Complete());

        Assert.Empty(errors);
        Assert.NotNull(draft);
        Assert.Equal(new DateTimeOffset(2026, 6, 3, 7, 0, 0, TimeSpan.Zero), draft.OpensAt); // summer time: UTC+2
        Assert.Equal(new DateTimeOffset(2026, 9, 24, 16, 0, 0, TimeSpan.Zero), draft.ClosesAt);
        Assert.Equal(new DateTimeOffset(2026, 8, 31, 21, 59, 0, TimeSpan.Zero), draft.ProposalsOpenUntil);
        Assert.Equal(["metro-stations", "squares", "ecoles-schools"], draft.Options.Select(o => o.Key));
        Assert.Equal("Stations de métro", draft.Options[0].Label.Fr);
        Assert.Equal("Choose a zone.\nSecond line.", draft.Description.En);
        Assert.True(draft.ResultsWhileOpen);
        Assert.False(draft.RequiresOnlineAccount); // an unchecked box is not sent
    }

    [Fact]
    public void Proposals_without_a_date_run_until_the_close_and_without_the_box_there_are_none()
    {
        Dictionary<string, StringValues> fields = Complete();
        fields["proposals-until"] = "";
        PollDraft untilClose = Read(fields).Draft!;
        fields.Remove("proposals");
        fields["proposals-until"] = "not even a date"; // ignored without the box
        PollDraft none = Read(fields).Draft!;

        Assert.Equal(untilClose.ClosesAt, untilClose.ProposalsOpenUntil);
        Assert.Null(none.ProposalsOpenUntil);
    }

    [Fact]
    public void Each_problem_is_an_error_at_its_field_and_no_draft()
    {
        Dictionary<string, StringValues> fields = Complete();
        fields["title-fr"] = "";
        fields["description-nl"] = new string('x', PollLimits.DescriptionLength + 1);
        fields["opens"] = "2026-03-29T02:30"; // skipped when summer time starts
        fields["closes"] = "yesterday";
        fields["option-1-key"] = "metro-stations"; // the first option's key, made from its label
        fields["option-3-fr"] = "";

        var (draft, errors, _) = Read(fields);

        Assert.Null(draft);
        Assert.Equal(["title-fr", "description-nl", "opens", "closes", "option-1-key", "option-2-fr"], errors.Select(e => e.Field));
        Assert.Equal("Title in French: required, at most 200 characters.", errors[0].Message);
        Assert.Contains("summer time", errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Closing_before_opening_and_proposals_after_closing_and_a_single_option_are_refused()
    {
        Dictionary<string, StringValues> fields = Complete();
        fields["closes"] = "2026-06-01T09:00";
        fields["proposals-until"] = "2026-06-02T09:00";
        fields.Remove("option-1-nl");
        fields.Remove("option-1-fr");
        fields.Remove("option-1-en");
        fields.Remove("option-1-key");
        fields.Remove("option-3-nl");
        fields.Remove("option-3-fr");
        fields.Remove("option-3-en");

        var (draft, errors, _) = Read(fields);

        Assert.Null(draft);
        Assert.Equal(["closes", "proposals-until", "option-0-nl"], errors.Select(e => e.Field));
        Assert.Equal("Give at least 2 and at most 20 options.", errors[2].Message);
    }

    [Theory]
    [InlineData("nl", "Titel in het Frans: verplicht, hoogstens 200 tekens.")]
    [InlineData("fr", "Titre en français : obligatoire, au plus 200 caractères.")]
    public void The_errors_speak_the_planners_language(string language, string expected)
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language == "nl" ? "nl-BE" : "fr-BE");
            Dictionary<string, StringValues> fields = Complete();
            fields["title-fr"] = "   ";

            Assert.Equal(expected, Read(fields).Errors.Single().Message);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void A_stored_poll_comes_back_into_the_form_as_it_was_typed_with_blank_rows_to_add_options()
    {
        PollDraft draft = Read(Complete()).Draft!;

        PollForm form = PollForm.From(draft);
        var again = new List<FieldError>();
        PollDraft? same = PollForm.Read(new FormCollection(Fields(form))).ToDraft(s_texts, again);

        Assert.Equal("2026-06-03T09:00", form.Opens);
        Assert.Equal(3 + PollForm.BlankOptionRows, form.Rows.Count);
        Assert.Empty(again);
        Assert.Equal(draft with { Options = [] }, same! with { Options = [] });
        Assert.Equal(draft.Options, same.Options);
    }

    [Theory]
    [InlineData("Gare du Midi / Zuidstation", "gare-du-midi-zuidstation")]
    [InlineData("  Écoles & schools!  ", "ecoles-schools")]
    [InlineData("Ōsaka 2", "osaka-2")]
    [InlineData("مترو", "")]
    public void A_key_is_made_of_the_labels_latin_letters_and_digits(string label, string key)
    {
        Assert.Equal(key, PollForm.KeyFrom(label));
        Assert.Equal(key.Length > 0, PollForm.IsKey(key));
    }

    [Fact]
    public void Control_characters_are_dropped_and_only_descriptions_keep_their_lines()
    {
        Dictionary<string, StringValues> fields = Complete();
        fields["title-en"] = "Where\tdo\nthe\u0000 hotspots go?";
        PollDraft draft = Read(fields).Draft!;

        Assert.Equal("Wheredothe hotspots go?", draft.Title.En);
    }

    [Theory]
    [InlineData("2026-10-25T02:30", "2026-10-25T00:30:00+00:00")] // passed twice: the first pass, in summer time
    [InlineData("2026-01-15T12:00:00", "2026-01-15T11:00:00+00:00")]
    public void Local_times_are_read_as_the_region_reads_them(string local, string utc)
    {
        Assert.Equal(PollTimes.Problem.None, PollTimes.TryParse(local, out DateTimeOffset instant));
        Assert.Equal(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture), instant);
        Assert.Equal(PollTimes.Problem.Unreadable, PollTimes.TryParse("2026-01-15T12:00:00.0000000000", out _));
        Assert.Equal(PollTimes.Problem.Missing, PollTimes.TryParse(" ", out _));
    }

    [Fact]
    public void The_options_are_both_or_neither_and_the_token_long_enough()
    {
        static IReadOnlyList<string> Problems(string? url, string token) =>
            [.. new PollsOptions { PortalUrl = url, ManagementToken = token }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object()))
                .Select(r => r.ErrorMessage!)];
        string token = new('t', PollsOptions.MinTokenLength);

        Assert.Empty(Problems(null, ""));
        Assert.Empty(Problems("https://portal.example.org/base", token));
        Assert.StartsWith("PortalUrl:", Problems(null, token).Single(), StringComparison.Ordinal);
        Assert.StartsWith("ManagementToken:", Problems("https://portal.example.org", token[1..]).Single(), StringComparison.Ordinal);
        Assert.StartsWith("ManagementToken:", Problems("https://portal.example.org", token[1..] + " ").Single(), StringComparison.Ordinal);
        Assert.StartsWith("PortalUrl:", Problems("ftp://portal.example.org", token).Single(), StringComparison.Ordinal);
        Assert.StartsWith("PortalUrl:", Problems("https://portal.example.org/?a=b", token).Single(), StringComparison.Ordinal);
        Assert.Equal("https://portal.example.org/base/", new PollsOptions { PortalUrl = "https://portal.example.org/base" }.BaseAddress().ToString());
    }

    private static Dictionary<string, StringValues> Fields(PollForm form)
    {
        var fields = new Dictionary<string, StringValues>
        {
            ["opens"] = form.Opens, ["closes"] = form.Closes, ["proposals-until"] = form.ProposalsUntil,
        };
        foreach (string language in PollForm.Languages)
        {
            fields["title-" + language] = form.Title[language];
            fields["description-" + language] = form.Description[language];
        }

        for (int i = 0; i < form.Rows.Count; i++)
        {
            (fields[$"option-{i}-key"], fields[$"option-{i}-nl"], fields[$"option-{i}-fr"], fields[$"option-{i}-en"]) =
                (form.Rows[i].Key, form.Rows[i].Nl, form.Rows[i].Fr, form.Rows[i].En);
        }

        if (form.Proposals)
        {
            fields["proposals"] = "on";
        }

        if (form.ResultsWhileOpen)
        {
            fields["results-while-open"] = "on";
        }

        if (form.RequiresOnlineAccount)
        {
            fields["requires-online"] = "on";
        }

        return fields;
    }
}
