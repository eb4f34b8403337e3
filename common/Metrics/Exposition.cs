using System.Globalization;
using System.Text;

namespace Network.Metrics;

/// <summary>
/// The Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/): names,
/// escaping and numbers, written once for every process.
/// </summary>
internal static class Exposition
{
    /// <summary>A metric name from an instrument's name: characters outside <c>[a-zA-Z0-9_:]</c> (the dots of
    /// <c>http.server.request.duration</c>) become <c>_</c>, and a leading digit gets one before it.</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A label name from a tag's name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, others as <c>_</c>.</summary>
    public static string LabelName(string name) => Sanitize(name, allowColon: false);

    /// <summary>
    /// The family name of an instrument: its own name, then <c>_seconds</c> for the unit <c>s</c> and <c>_total</c> for a
    /// counter, each unless the name ends with it already (<c>radius_requests</c> is written <c>radius_requests_total</c>).
    /// </summary>
    public static string FamilyName(string instrumentName, string? unit, bool counter)
    {
        string name = MetricName(instrumentName);
        if (unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal) && !name.EndsWith("_seconds_total", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        if (counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>In HELP, backslash and line feed are escaped.</summary>
    public static void AppendHelp(StringBuilder text, string help)
    {
        foreach (char c in help)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    /// <summary>In a label value, the double quote too.</summary>
    public static void AppendLabelValue(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' => text.Append("\\\""),
                _ => text.Append(c),
            };
        }
    }

    /// <summary>A tag's value as a label value: strings as they are, numbers in the invariant culture, booleans in lower case.</summary>
    public static string LabelValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Go's float syntax as Prometheus reads it: shortest round trip, and <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static void AppendValue(StringBuilder text, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            text.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            text.Append("-Inf");
        }
        else if (double.IsNaN(value))
        {
            text.Append("NaN");
        }
        else
        {
            text.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(name.Length + 1);
        if (name[0] is >= '0' and <= '9')
        {
            builder.Append('_');
        }

        foreach (char c in name)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (allowColon && c == ':');
            builder.Append(ok ? c : '_');
        }

        return builder.ToString();
    }
}
