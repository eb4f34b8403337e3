using Network.Contracts;
using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>
/// The rules a sample must meet to be stored: names of sites, devices, metrics and labels that every time-series
/// engine accepts as tags (Prometheus-style metric names, no spaces or quotes), a finite value and a timestamp inside
/// the window. Plain loops, no regular expressions: ingest checks hundreds of thousands of samples a second.
/// </summary>
public static class SampleValidation
{
    public const int MaxNameLength = 64;
    public const int MaxLabelValueLength = 128;

    /// <summary>The point for a valid sample, or the reason it is not.</summary>
    public static string? TryConvert(Sample sample, long minMs, long maxMs, int maxLabels, out SeriesPoint point)
    {
        point = default;
        if (sample is null)
        {
            return "null sample";
        }

        if (!IsName(sample.Site, allowUpper: false, allowDash: true))
        {
            return $"site '{Clip(sample.Site)}': 1 to {MaxNameLength} of a-z, 0-9, '-', '_', '.'";
        }

        if (!IsName(sample.Device, allowUpper: true, allowDash: true))
        {
            return $"device '{Clip(sample.Device)}': 1 to {MaxNameLength} of letters, digits, '-', '_', '.'";
        }

        if (!IsMetric(sample.Metric))
        {
            return $"metric '{Clip(sample.Metric)}': 1 to {MaxNameLength} of a-z, 0-9, '_', starting with a letter";
        }

        if (!double.IsFinite(sample.Value))
        {
            return $"metric '{sample.Metric}': value is not a finite number";
        }

        long ms = sample.Timestamp.ToUnixTimeMilliseconds();
        if (ms < minMs || ms > maxMs)
        {
            return $"metric '{sample.Metric}': timestamp {sample.Timestamp:O} outside the accepted window";
        }

        string labels = "";
        if (sample.Labels is { Count: > 0 } map)
        {
            if (map.Count > maxLabels)
            {
                return $"metric '{sample.Metric}': more than {maxLabels} labels";
            }

            foreach ((string key, string value) in map)
            {
                if (!IsMetric(key) || value is null || !IsLabelValue(value))
                {
                    return $"metric '{sample.Metric}': label '{Clip(key)}' needs a name like a metric and a value of at most {MaxLabelValueLength} printable characters without ',', '=' or quotes";
                }
            }

            labels = Canonical(map);
        }

        point = new SeriesPoint(new SeriesKey(sample.Site, sample.Device, sample.Metric, labels), ms, sample.Value);
        return null;
    }

    /// <summary>Labels as <c>k=v</c> pairs sorted by key and joined with ',' (the form <see cref="SeriesKey"/> holds).</summary>
    public static string Canonical(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 1)
        {
            foreach ((string key, string value) in labels)
            {
                return string.Concat(key, "=", value);
            }
        }

        return SeriesKey.Create("", "", "", labels).Labels;
    }

    private static bool IsName(string? name, bool allowUpper, bool allowDash) => name is not null && IsName(name.AsSpan(), allowUpper, allowDash);

    /// <summary>A site id: 1 to 64 of a-z, 0-9, '-', '_', '.'.</summary>
    internal static bool IsSite(ReadOnlySpan<char> name) => IsName(name, allowUpper: false, allowDash: true);

    /// <summary>A device name: 1 to 64 of letters, digits, '-', '_', '.'.</summary>
    internal static bool IsDevice(ReadOnlySpan<char> name) => IsName(name, allowUpper: true, allowDash: true);

    private static bool IsName(ReadOnlySpan<char> name, bool allowUpper, bool allowDash)
    {
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            bool ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' || (allowDash && c == '-') || (allowUpper && char.IsAsciiLetterUpper(c));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMetric(string? name) => name is not null && IsMetric(name.AsSpan());

    /// <summary>A metric or label name: 1 to 64 of a-z, 0-9, '_', starting with a letter.</summary>
    internal static bool IsMetric(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength || !char.IsAsciiLetterLower(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A label value: at most 128 printable characters without ',', '=' or quotes (the empty value is allowed).</summary>
    internal static bool IsLabelValue(ReadOnlySpan<char> value)
    {
        if (value.Length > MaxLabelValueLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (char.IsControl(c) || c is ',' or '=' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static string Clip(string? value) => value is null ? "" : value.Length > MaxNameLength ? value[..MaxNameLength] + "…" : value;
}
