using System.Globalization;
using System.Text;
using Network.Noc.Csv;
using Network.Noc.Inventory;

namespace Network.Noc.Plan;

/// <summary>An import file as read: its good rows with their lines, and the rows it could not read (number, day), with every problem of each.</summary>
public sealed record PlanCsvRows(IReadOnlyList<(int Line, PlanSiteInput Input)> Rows, IReadOnlyList<PlanRowRefusal> Refused);

/// <summary>
/// The plan as a spreadsheet file. Export: the language's Excel conventions (Dutch and French: <c>;</c> between fields,
/// a decimal comma; English: <c>,</c> and a decimal point), days as dd/mm/yyyy, headings in the language, UTF-8 with a
/// BOM. Why: Excel in nl-BE and fr-BE splits a double-clicked .csv on the system's list separator, which is <c>;</c>
/// there (the comma is the decimal separator), and reads it as UTF-8 only when it starts with a BOM (without, it takes
/// the ANSI code page and "Sint-Pieters-Woluwe, Hôtel communal" comes out garbled). Import: comma or semicolon (read
/// from the heading line), a BOM or not, UTF-8 (else Latin-1, what an ANSI export of Western text is), quoted fields,
/// the heading row mapped by name in Dutch, French or English (case and accents ignored, unknown columns ignored), a
/// decimal comma in a semicolon file and a decimal point in a comma file, thousands separators and "EUR"/"€" ignored,
/// days as dd/mm/yyyy (or yyyy-mm-dd).
/// </summary>
public static class PlanCsv
{
    /// <summary>The largest file the import takes.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The most rows one import takes.</summary>
    public const int MaxRows = 5000;

    /// <summary>The most refused rows a refused import lists (the API and the page); the rest are counted.</summary>
    public const int MaxRefusalsListed = 50;

    private static readonly string[] s_required = ["site", "year", "quarter"];

    private static readonly string[] s_dateFormats = ["dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd"];

    /// <summary>The columns, in the export's order, with their headings in English, Dutch and French (and a few other names the import takes).</summary>
    private static readonly Column[] s_columns =
    [
        new("site", ["Site", "Site", "Site", "id", "locatie"]),
        new("name", ["Name", "Naam", "Nom"]),
        new("kind", ["Kind", "Soort", "Type"]),
        new("commune", ["Commune", "Gemeente", "Commune", "municipality"]),
        new("address", ["Address", "Adres", "Adresse"]),
        new("latitude", ["Latitude", "Breedtegraad", "Latitude", "lat"]),
        new("longitude", ["Longitude", "Lengtegraad", "Longitude", "lon", "lng"]),
        new("programme", ["Programme", "Programma", "Programme", "program"]),
        new("year", ["Year", "Jaar", "Année", "annee"]),
        new("quarter", ["Quarter", "Kwartaal", "Trimestre"]),
        new("estimatedCost", ["Estimated cost (EUR)", "Geraamde kost (EUR)", "Coût estimé (EUR)", "estimated cost", "geraamde kost", "coût estimé"]),
        new("actualCost", ["Actual cost (EUR)", "Werkelijke kost (EUR)", "Coût réel (EUR)", "actual cost", "werkelijke kost", "coût réel"]),
        new("responsible", ["Responsible", "Verantwoordelijke", "Responsable"]),
        new("note", ["Note", "Opmerking", "Remarque", "notes", "nota"]),
        new("state", ["State", "Status", "État", "etat"]),
        new("stateDate", ["State date", "Datum status", "Date de l'état", "date de l’état", "date"]),
    ];

    /// <summary>The states' names the import takes, and the export writes (the first of each language).</summary>
    private static readonly (string State, string En, string Nl, string Fr, string[] Other)[] s_states =
    [
        (PlanStates.Planned, "planned", "gepland", "prévu", ["planifié", "prevu", "planifie"]),
        (PlanStates.Ordered, "ordered", "besteld", "commandé", ["commande"]),
        (PlanStates.Installing, "installing", "in installatie", "en installation", ["installatie", "installation"]),
        (PlanStates.Active, "active", "actief", "actif", ["in gebruik", "en service"]),
        (PlanStates.Retired, "retired", "buiten gebruik", "retiré", ["retire", "hors service"]),
    ];

    /// <summary>The plan's entries as a file in a language's conventions (nl, fr or en), BOM included.</summary>
    public static byte[] Export(IReadOnlyList<PlanEntry> entries, IReadOnlyDictionary<string, Site> sites, string language)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(sites);
        int column = language switch { "nl" => 1, "fr" => 2, _ => 0 };
        char separator = language is "nl" or "fr" ? ';' : ',';
        NumberFormatInfo numbers = language is "nl" or "fr" ? new NumberFormatInfo { NumberDecimalSeparator = ",", NegativeSign = "-" } : NumberFormatInfo.InvariantInfo;
        var csv = new StringBuilder();
        CsvText.AppendRecord(csv, s_columns.Select(c => c.Names[column]), separator);
        foreach (PlanEntry e in entries)
        {
            Site? site = sites.GetValueOrDefault(e.Site);
            CsvText.AppendRecord(csv,
            [
                e.Site, site?.Name ?? "", site?.Kind ?? "", site?.Commune ?? "", site?.Address ?? "",
                site is null ? "" : site.Latitude.ToString("0.######", numbers), site is null ? "" : site.Longitude.ToString("0.######", numbers),
                e.Programme, e.Year.ToString(CultureInfo.InvariantCulture), e.Quarter.ToString(CultureInfo.InvariantCulture),
                e.EstimatedCost?.ToString("0.00", numbers) ?? "", e.ActualCost?.ToString("0.00", numbers) ?? "", e.Responsible, e.Note,
                StateName(e.State, column), e.Dates.Of(e.State)?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "",
            ], separator);
        }

        byte[] body = Encoding.UTF8.GetBytes(csv.ToString());
        return [.. CsvText.Utf8Bom, .. body];
    }

    /// <summary>A file's bytes as text: UTF-8 (a BOM or not), else Latin-1.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>
    /// The rows of an import file, each with its line, and every row that cannot be read with its line and problems (the
    /// import refuses them all at once, <see cref="PlanService.ImportAsync(PlanCsvRows, string, CancellationToken)"/>); a
    /// file that cannot be read as a whole (no heading, empty, too many rows, broken quotes) is a <see cref="PlanImportException"/>.
    /// </summary>
    public static PlanCsvRows Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        char separator = CsvText.DetectSeparator(text.TrimStart('\uFEFF'));
        List<CsvRecord> records;
        try
        {
            records = [.. CsvText.Read(text, separator).Take(MaxRows + 2)];
        }
        catch (CsvFormatException ex)
        {
            throw new PlanImportException(ex.Line, [new("file", "File", ex.Message)]);
        }

        if (records.Count == 0)
        {
            throw new PlanImportException(1, [new("file", "Empty", "the file is empty: it needs a heading row and a row per site")]);
        }

        if (records.Count > MaxRows + 1)
        {
            throw new PlanImportException(records[^1].Line, [new("file", "TooManyRows", $"at most {MaxRows} rows in one import")]);
        }

        CsvRecord heading = records[0];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < heading.Fields.Count; i++)
        {
            string name = Normalise(heading.Fields[i]);
            if (s_columns.FirstOrDefault(c => c.Names.Any(n => Normalise(n) == name)) is Column column && !index.ContainsKey(column.Key))
            {
                index[column.Key] = i;
            }
        }

        string[] missing = [.. s_required.Where(k => !index.ContainsKey(k))];
        if (missing.Length > 0)
        {
            throw new PlanImportException(heading.Line, [new("file", "Heading",
                $"the heading row needs the columns {string.Join(", ", missing)} (in Dutch, French or English)")]);
        }

        char decimalSeparator = separator == ';' ? ',' : '.';
        var rows = new List<(int, PlanSiteInput)>();
        var refused = new List<PlanRowRefusal>();
        foreach (CsvRecord record in records.Skip(1))
        {
            if (record.Fields.All(string.IsNullOrWhiteSpace))
            {
                // Excel writes ";;;;" for a row that only ever had formatting.
                continue;
            }

            var problems = new List<PlanProblem>();
            string? Text(string key) => index.TryGetValue(key, out int i) && i < record.Fields.Count && record.Fields[i].Trim() is { Length: > 0 } value ? value : null;
            decimal? Amount(string key)
            {
                string? value = Text(key);
                if (value is null)
                {
                    return null;
                }

                if (ParseNumber(value, decimalSeparator) is decimal number)
                {
                    return number;
                }

                problems.Add(new(key, "Number", $"{key}: '{value}' is not an amount"));
                return null;
            }

            int? Whole(string key, bool quarter = false)
            {
                string? value = Text(key);
                if (value is null)
                {
                    return null;
                }

                string digits = quarter && value.Length > 1 && char.IsLetter(value[0]) ? value[1..] : value;
                if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                {
                    return number;
                }

                problems.Add(new(key, "Number", $"{key}: '{value}' is not a whole number"));
                return null;
            }

            string? state = Text("state") is string stateName ? StateOf(stateName) ?? stateName : null;
            DateOnly? stateDate = null;
            if (Text("stateDate") is string dateText)
            {
                if (DateOnly.TryParseExact(dateText, s_dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
                {
                    stateDate = day;
                }
                else
                {
                    problems.Add(new("stateDate", "Date", $"stateDate: '{dateText}' is not a day dd/mm/yyyy"));
                }
            }

            decimal? latitude = Amount("latitude");
            decimal? longitude = Amount("longitude");
            var input = new PlanSiteInput(Text("site"), Whole("year"), Whole("quarter", quarter: true), Amount("estimatedCost"), Amount("actualCost"),
                Text("responsible"), Text("note"), state, stateDate, Text("name"), Text("kind"), Text("commune"), Text("address"),
                (double?)latitude, (double?)longitude);
            if (problems.Count > 0)
            {
                refused.Add(new PlanRowRefusal(record.Line, problems));
                continue;
            }

            rows.Add((record.Line, input));
        }

        if (rows.Count == 0 && refused.Count == 0)
        {
            throw new PlanImportException(heading.Line, [new("file", "Empty", "the file is empty: it needs a heading row and a row per site")]);
        }

        return new PlanCsvRows(rows, refused);
    }

    /// <summary>A number as a planner's spreadsheet writes it: "35.000,00", "35 000,00 €", "EUR 35000.00", "-4,35".</summary>
    public static decimal? ParseNumber(string text, char decimalSeparator)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = new StringBuilder(text.Length);
        foreach (char c in text.Replace("EUR", "", StringComparison.OrdinalIgnoreCase).Replace("€", "", StringComparison.Ordinal))
        {
            if (char.IsDigit(c) || c == '-')
            {
                clean.Append(c);
            }
            else if (c == decimalSeparator)
            {
                clean.Append('.');
            }
            else if (c is not ('.' or ',' or ' ' or '\u00A0' or '\u202F' or '\''))
            {
                return null;
            }
        }

        return decimal.TryParse(clean.ToString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            ? value
            : null;
    }

    /// <summary>A state's name in a language (0 English, 1 Dutch, 2 French).</summary>
    public static string StateName(string state, int language)
    {
        foreach ((string s, string en, string nl, string fr, _) in s_states)
        {
            if (s == state)
            {
                return language switch { 1 => nl, 2 => fr, _ => en };
            }
        }

        return state;
    }

    private static string? StateOf(string name)
    {
        string wanted = Normalise(name);
        foreach ((string state, string en, string nl, string fr, string[] other) in s_states)
        {
            if (new[] { en, nl, fr }.Concat(other).Any(n => Normalise(n) == wanted))
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>Lower case, accents off, one space between words, typographic apostrophes as plain ones.</summary>
    private static string Normalise(string text)
    {
        string decomposed = text.Trim().Replace('’', '\'').ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder(decomposed.Length);
        bool space = false;
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = plain.Length > 0;
                continue;
            }

            if (space)
            {
                plain.Append(' ');
                space = false;
            }

            plain.Append(c);
        }

        return plain.ToString();
    }

    private sealed record Column(string Key, string[] Names);
}
