using System.Globalization;
using System.Text;

namespace Network.Noc.Csv;

/// <summary>
/// The NOC's one way to write and read CSV (RFC 4180 with what spreadsheets add): a field with the separator, a quote or
/// a line break is quoted with its quotes doubled, and a leading <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> is prefixed
/// with a quote so a spreadsheet does not run it as a formula. Reading takes a BOM, comma or semicolon separators,
/// quoted fields over several lines, CRLF or LF, and numbers each record by the line it starts on.
/// </summary>
public static class CsvText
{
    /// <summary>The byte order mark Excel needs to read a file as UTF-8 (without it, it reads the ANSI code page).</summary>
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>A field as written in a file separated by <paramref name="separator"/>.</summary>
    public static string Field(string value, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.Contains(separator, StringComparison.Ordinal) || value.AsSpan().IndexOfAny("\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    /// <summary>A number rounded to three decimals, invariant; empty when there is none.</summary>
    public static string Number(double? value) => value is double v ? Math.Round(v, 3).ToString("0.###", CultureInfo.InvariantCulture) : "";

    /// <summary>A comma-separated table: the header and one line per row (fields already written with <see cref="Field"/> and <see cref="Number"/>).</summary>
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

    /// <summary>Appends one record and its CRLF.</summary>
    public static StringBuilder AppendRecord(StringBuilder csv, IEnumerable<string> fields, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(fields);
        bool first = true;
        foreach (string field in fields)
        {
            if (!first)
            {
                csv.Append(separator);
            }

            csv.Append(Field(field, separator));
            first = false;
        }

        return csv.Append("\r\n");
    }

    /// <summary>
    /// The separator of a file: whichever of <c>;</c> and <c>,</c> occurs more often outside quotes in its first line
    /// (Excel writes <c>;</c> where the decimal separator is a comma, as in Belgium), a comma when neither does.
    /// </summary>
    public static char DetectSeparator(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int commas = 0, semicolons = 0;
        bool quoted = false;
        foreach (char c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\r' or '\n')
            {
                break;
            }
            else if (!quoted && c == ',')
            {
                commas++;
            }
            else if (!quoted && c == ';')
            {
                semicolons++;
            }
        }

        return semicolons > commas ? ';' : ',';
    }

    /// <summary>
    /// The records of <paramref name="text"/> (a leading BOM skipped), each with the line it starts on; blank lines are
    /// skipped. A quote inside an unquoted field is kept as it is; an unterminated quoted field is a <see cref="CsvFormatException"/>
    /// naming its line.
    /// </summary>
    public static IEnumerable<CsvRecord> Read(string text, char separator)
    {
        ArgumentNullException.ThrowIfNull(text);
        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        int line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (i < text.Length)
        {
            int recordLine = line;
            fields.Clear();
            bool endOfRecord = false;
            while (!endOfRecord)
            {
                field.Clear();
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new CsvFormatException(recordLine, $"line {recordLine}: a quoted field is not closed");
                        }

                        char c = text[i++];
                        if (c == '"')
                        {
                            if (i < text.Length && text[i] == '"')
                            {
                                field.Append('"');
                                i++;
                                continue;
                            }

                            break;
                        }

                        if (c == '\n')
                        {
                            line++;
                        }

                        field.Append(c);
                    }
                }

                while (i < text.Length && text[i] != separator && text[i] != '\r' && text[i] != '\n')
                {
                    field.Append(text[i++]);
                }

                fields.Add(field.ToString());
                if (i < text.Length && text[i] == separator)
                {
                    i++;
                    continue;
                }

                endOfRecord = true;
                if (i < text.Length && text[i] == '\r')
                {
                    i++;
                }

                if (i < text.Length && text[i] == '\n')
                {
                    i++;
                }

                line++;
            }

            if (fields.Count > 1 || fields[0].Length > 0)
            {
                yield return new CsvRecord(recordLine, [.. fields]);
            }
        }
    }
}

/// <summary>A record of a CSV file and the line it starts on (1 is the first line).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>A CSV file that cannot be read, with the line (from 1) of the record where it goes wrong.</summary>
public sealed class CsvFormatException(int line, string message) : FormatException(message)
{
    public int Line { get; } = line;
}
