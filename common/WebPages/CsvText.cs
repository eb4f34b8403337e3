using System.Globalization;
using System.Text;

namespace Network.WebPages;

/// <summary>
/// CSV as the reports download it (RFC 4180): UTF-8, comma-separated, CRLF line ends, invariant numbers. A field with a
/// comma, a quote or a line break is quoted, its quotes doubled; a leading =, +, - or @ is prefixed with a quote so a
/// spreadsheet does not run it as a formula.
/// </summary>
public static class CsvText
{
    /// <summary>A text field.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>A number rounded to three decimals, invariant; empty when there is none.</summary>
    public static string Number(double? value) => value is double v ? Math.Round(v, 3).ToString("0.###", CultureInfo.InvariantCulture) : "";

    /// <summary>A table: the header and one line per row (fields already written with <see cref="Field"/> and <see cref="Number"/>).</summary>
    public static string Table(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder();
        csv.AppendJoin(',', header).Append("\r\n");
        foreach (IEnumerable<string> row in rows)
        {
            csv.AppendJoin(',', row).Append("\r\n");
        }

        return csv.ToString();
    }
}
