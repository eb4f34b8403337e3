using System.Text;
using Network.Noc.Csv;
using Network.Noc.Inventory;
using Network.Noc.Plan;

namespace Network.Noc.Tests.Plan;

/// <summary>The plan's spreadsheet files: what Excel in Belgium writes and opens, and every bad row refused with its line.</summary>
public sealed class PlanCsvTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Excels_Dutch_export_with_a_BOM_semicolons_decimal_commas_and_Belgian_days_is_read()
    {
        // What Excel (nl-BE) writes for "CSV UTF-8 (door komma's gescheiden)": a BOM, ';', '35.000,50', dd/mm/yyyy, CRLF.
        string file = "\uFEFFLocatie;Naam;Soort;Gemeente;Breedtegraad;Lengtegraad;Jaar;Kwartaal;Geraamde kost (EUR);Werkelijke kost;Verantwoordelijke;Opmerking;Status;Datum status\r\n"
            + "fts-jette;\"Atheneum; campus \"\"Noord\"\"\";school;Jette;50,8771;4,3261;2026;Q2;35.000,50;€ 1 234,00;Proximus;\"graafwerken\r\nlangs het kanaal\";Besteld;05/02/2026\r\n"
            + ";;;;;;;;;;;;;\r\n"
            + "hs-markt;;;;;;2026;3;4200;;;;;\r\n";
        byte[] bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(file.TrimStart('\uFEFF'))).ToArray();

        IReadOnlyList<(int Line, PlanSiteInput Input)> rows = PlanCsv.Parse(PlanCsv.Decode(bytes)).Rows;

        Assert.Equal([2, 5], rows.Select(r => r.Line));
        PlanSiteInput jette = rows[0].Input;
        Assert.Equal(("fts-jette", "Atheneum; campus \"Noord\"", SiteKinds.School, "Jette", 50.8771, 4.3261),
            (jette.Site, jette.Name, jette.Kind, jette.Commune, jette.Latitude, jette.Longitude));
        Assert.Equal(((int?)2026, (int?)2, (decimal?)35_000.50m, (decimal?)1_234m, "Proximus", "graafwerken\r\nlangs het kanaal", PlanStates.Ordered, (DateOnly?)new DateOnly(2026, 2, 5)),
            (jette.Year, jette.Quarter, jette.EstimatedCost, jette.ActualCost, jette.Responsible, jette.Note, jette.State, jette.StateDate));
        Assert.Equal(("hs-markt", (int?)3, (decimal?)4200m, (string?)null), (rows[1].Input.Site, rows[1].Input.Quarter, rows[1].Input.EstimatedCost, rows[1].Input.Name));
    }

    [Fact]
    public void A_comma_file_with_French_or_English_headings_in_any_order_and_case_is_read()
    {
        string french = "Trimestre,Année,SITE,Coût estimé,État,Colonne inconnue\n2,2026,hs-flagey,\"12,345.60\",commandé,x\n";
        string english = "site,year,quarter,estimated cost,state date\nhs-flagey,2026,4,99.5,2026-01-31\n";

        PlanSiteInput fr = Assert.Single(PlanCsv.Parse(french).Rows).Input;
        PlanSiteInput en = Assert.Single(PlanCsv.Parse(english).Rows).Input;

        Assert.Equal(("hs-flagey", (int?)2026, (int?)2, (decimal?)12_345.60m, PlanStates.Ordered), (fr.Site, fr.Year, fr.Quarter, fr.EstimatedCost, fr.State));
        Assert.Equal(((int?)4, (decimal?)99.5m, (DateOnly?)new DateOnly(2026, 1, 31)), (en.Quarter, en.EstimatedCost, en.StateDate));
    }

    [Theory]
    [InlineData("site;jaar;kwartaal;geraamde kost\nhs-a;2026;1;100\nhs-b;2026;2;veel\n", 3, "estimatedCost")]
    [InlineData("site;jaar;kwartaal;datum status\nhs-a;2026;1;31/02/2026\n", 2, "stateDate")]
    [InlineData("site,year,quarter\nhs-a,twenty,1\n", 2, "year")]
    public void A_row_that_cannot_be_read_is_refused_with_its_line(string file, int line, string field)
    {
        PlanCsvRows read = PlanCsv.Parse(file);

        PlanRowRefusal refused = Assert.Single(read.Refused);
        Assert.Equal(line, refused.Line);
        Assert.Equal(field, Assert.Single(refused.Problems).Field);
        Assert.DoesNotContain(read.Rows, r => r.Line == line);
    }

    [Theory]
    [InlineData("site,year\nhs-a,2026\n", 1, "file")]
    [InlineData("site,year,quarter\n", 1, "file")]
    [InlineData("site,year,quarter\nhs-a,2026,\"1\n", 2, "file")]
    public void A_file_that_cannot_be_read_is_refused_with_its_line(string file, int line, string field)
    {
        PlanImportException refused = Assert.Throws<PlanImportException>(() => PlanCsv.Parse(file));

        Assert.Equal(line, refused.Line);
        Assert.Equal(field, refused.Problems[0].Field);
    }

    [Fact]
    public void Every_row_that_cannot_be_read_is_named_with_its_line_and_all_its_problems_and_the_good_rows_are_kept()
    {
        string file = "site;jaar;kwartaal;geraamde kost;datum status\n"
            + "hs-a;2026;1;100;\n"
            + "hs-b;2026;2;veel;\n"
            + "hs-c;twintig;3;10;31/02/2026\n"
            + "hs-d;2026;4;5;\n"
            + "hs-e;2026;Q9x;1;\n";

        PlanCsvRows read = PlanCsv.Parse(file);

        Assert.Equal([2, 5], read.Rows.Select(r => r.Line));
        Assert.Equal([3, 4, 6], read.Refused.Select(r => r.Line));
        Assert.Equal(["estimatedCost"], read.Refused[0].Problems.Select(p => p.Field));
        Assert.Equal(["stateDate", "year"], read.Refused[1].Problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.Equal(["quarter"], read.Refused[2].Problems.Select(p => p.Field));
    }

    [Fact]
    public void A_file_that_is_not_UTF8_is_read_as_Latin1()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes("site;jaar;kwartaal;opmerking\nhs-a;2026;1;rénovation\n");

        Assert.Equal("rénovation", Assert.Single(PlanCsv.Parse(PlanCsv.Decode(latin1)).Rows).Input.Note);
    }

    [Theory]
    [InlineData("35.000,00", ',', "35000.00")]
    [InlineData("EUR 35.000,00", ',', "35000.00")]
    [InlineData("35 000,00 €", ',', "35000.00")]
    [InlineData("35,000.00", '.', "35000.00")]
    [InlineData("-4,35", ',', "-4.35")]
    public void Amounts_are_read_as_spreadsheets_write_them(string text, char decimalSeparator, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), PlanCsv.ParseNumber(text, decimalSeparator));
    }

    [Theory]
    [InlineData("12abc")]
    [InlineData("1/2")]
    public void Text_is_not_an_amount(string text) => Assert.Null(PlanCsv.ParseNumber(text, ','));

    [Theory]
    [InlineData("nl", ';', "Site;Naam;", "35000,50")]
    [InlineData("fr", ';', "Site;Nom;", "35000,50")]
    [InlineData("en", ',', "Site,Name,", "35000.50")]
    public void The_export_opens_in_Excel_of_its_language_and_reads_back_the_same(string language, char separator, string heading, string amount)
    {
        var site = new Site("fts-jette", "Atheneum; \"Noord\"", SiteKinds.School, "Jette", "Kerkstraat 1", 50.8771, 4.3261, Lifecycles.Planned, null, null, null, null, []);
        var entry = new PlanEntry("fts-jette", PlanProgrammes.Schools, 2026, 2, 35_000.50m, null, "=cmd", "note", PlanStates.Ordered,
            PlanDates.None with { Planned = new DateOnly(2026, 1, 5), Ordered = new DateOnly(2026, 2, 5) }, null, "planner", s_at);

        byte[] file = PlanCsv.Export([entry], new Dictionary<string, Site> { [site.Id] = site }, language);

        Assert.Equal(CsvText.Utf8Bom.ToArray(), file[..3]);
        string text = Encoding.UTF8.GetString(file, 3, file.Length - 3);
        Assert.StartsWith(heading, text, StringComparison.Ordinal);
        Assert.Contains(separator + amount + separator, text, StringComparison.Ordinal);
        Assert.Contains(separator + "'=cmd" + separator, text, StringComparison.Ordinal); // no formula runs in the spreadsheet
        Assert.Contains("05/02/2026", text, StringComparison.Ordinal);
        PlanSiteInput read = Assert.Single(PlanCsv.Parse(PlanCsv.Decode(file)).Rows).Input;
        Assert.Equal(("fts-jette", "Atheneum; \"Noord\"", (int?)2026, (int?)2, (decimal?)35_000.50m, PlanStates.Ordered, (DateOnly?)new DateOnly(2026, 2, 5), 50.8771),
            (read.Site, read.Name, read.Year, read.Quarter, read.EstimatedCost, read.State, read.StateDate, read.Latitude));
    }
}
