using System.Text.Json;
using Network.Contracts;
using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>The window and bounds a batch is read against (from <see cref="IngestOptions"/> and the clock).</summary>
internal readonly record struct SampleWindow(long MinMs, long MaxMs, int MaxLabels, int MaxSamples, int MaxEvents);

/// <summary>
/// The fast path of ingest: a <see cref="SampleBatch"/> as agents write it (the <see cref="IngestJsonContext"/> form, every sample
/// valid) read with a <see cref="Utf8JsonReader"/> straight into <see cref="SeriesPoint"/>s, with the names of one batch
/// interned, no <see cref="Sample"/> records and no label dictionaries.
/// <code>
/// { "agentId": string, "sequence": integer, "sentAt": ISO 8601, "samples": [ sample, ... ], "events": [ ... ] | null }
/// sample = { "site": string, "device": string, "metric": string, "timestamp": ISO 8601, "value": number,
///            "labels": { string: string, ... } | null }     (labels may be left out; properties in any order)
/// </code>
/// It declines (returns false) on anything else: other spellings of the property names, numbers as strings, nulls, duplicate
/// properties or label keys, unknown properties, a sample that <see cref="SampleValidation"/> would refuse, too many samples,
/// malformed JSON. The caller then reads the same bytes with <see cref="System.Text.Json.JsonSerializer"/> and the general
/// path, so every answer (400, 413, 422, the reasons of refused samples) stays what that path says. Whatever this reader
/// accepts, it converts exactly as <see cref="SampleValidation.TryConvert"/> converts the deserialised sample (a test checks it).
/// </summary>
internal static class SampleBatchReader
{
    private const int MaxEscapedName = SampleValidation.MaxNameLength * 6;
    private const int MaxEscapedValue = SampleValidation.MaxLabelValueLength * 6;

    // Bits of the properties seen, at the root and in a sample.
    private const int AgentIdBit = 1, SequenceBit = 2, SentAtBit = 4, SamplesBit = 8, EventsBit = 16;
    private const int SiteBit = 1, DeviceBit = 2, MetricBit = 4, TimestampBit = 8, ValueBit = 16, LabelsBit = 32;
    private const int RequiredRoot = AgentIdBit | SequenceBit | SentAtBit | SamplesBit;
    private const int RequiredSample = SiteBit | DeviceBit | MetricBit | TimestampBit | ValueBit;

    /// <summary>Reads a batch in the agents' form into <paramref name="points"/>; false (and nothing to use) when the general path must decide.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, SampleWindow window, BatchNames names, PointBatch points,
        out string agentId, out long sequence, out IReadOnlyList<DeviceEvent>? events)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(points);
        agentId = "";
        sequence = 0;
        events = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (TryReadRoot(ref reader, window, names, points, ref agentId, ref sequence, ref events))
            {
                return true;
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the general path says so, in its own words.
        }

        points.Clear();
        events = null;
        return false;
    }

    private static bool TryReadRoot(ref Utf8JsonReader reader, SampleWindow window, BatchNames names, PointBatch points,
        ref string agentId, ref long sequence, ref IReadOnlyList<DeviceEvent>? events)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        int seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int bit = reader.ValueTextEquals("agentId"u8) ? AgentIdBit
                : reader.ValueTextEquals("sequence"u8) ? SequenceBit
                : reader.ValueTextEquals("sentAt"u8) ? SentAtBit
                : reader.ValueTextEquals("samples"u8) ? SamplesBit
                : reader.ValueTextEquals("events"u8) ? EventsBit
                : 0;
            if (bit == 0 || (seen & bit) != 0 || !reader.Read())
            {
                return false;
            }

            seen |= bit;
            switch (bit)
            {
                case AgentIdBit:
                    if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } id)
                    {
                        return false;
                    }

                    agentId = id;
                    break;
                case SequenceBit:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out sequence) || sequence < 1)
                    {
                        return false;
                    }

                    break;
                case SentAtBit:
                    if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out _))
                    {
                        return false;
                    }

                    break;
                case SamplesBit:
                    if (reader.TokenType != JsonTokenType.StartArray || !TryReadSamples(ref reader, window, names, points))
                    {
                        return false;
                    }

                    break;
                default:
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        // Events are few (reboots, committed-rate changes): the serializer's own reading of them.
                        IReadOnlyList<DeviceEvent>? read = JsonSerializer.Deserialize(ref reader, IngestJsonContext.Default.IReadOnlyListDeviceEvent);
                        if (read is null || read.Count > window.MaxEvents)
                        {
                            return false;
                        }

                        events = read;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return false;
                    }

                    break;
            }
        }

        // The root object ends here, and nothing but white space follows it.
        return reader.TokenType == JsonTokenType.EndObject && seen == (seen | RequiredRoot) && !reader.Read();
    }

    private static bool TryReadSamples(ref Utf8JsonReader reader, SampleWindow window, BatchNames names, PointBatch points)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (points.Count >= window.MaxSamples || !TryReadSample(ref reader, window, names, out SeriesPoint point))
            {
                return false;
            }

            points.Add(point);
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool TryReadSample(ref Utf8JsonReader reader, SampleWindow window, BatchNames names, out SeriesPoint point)
    {
        point = default;
        string site = "", device = "", metric = "", labels = "";
        long ms = 0;
        double value = 0;
        int seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int bit = SampleProperty(ref reader);
            if (bit == 0 || (seen & bit) != 0 || !reader.Read())
            {
                return false;
            }

            seen |= bit;
            bool ok = bit switch
            {
                SiteBit => TryName(ref reader, names, NameKind.Site, out site),
                DeviceBit => TryName(ref reader, names, NameKind.Device, out device),
                MetricBit => TryName(ref reader, names, NameKind.Metric, out metric),
                TimestampBit => TryTimestamp(ref reader, window, names, out ms),
                ValueBit => reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value) && double.IsFinite(value),
                _ => reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.StartObject && TryLabels(ref reader, window, names, out labels)),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || seen != (seen | RequiredSample))
        {
            return false;
        }

        point = new SeriesPoint(new SeriesKey(site, device, metric, labels), ms, value);
        return true;
    }

    /// <summary>Which property of a sample this is (0: none of them); names as agents write them, by length, then bytes.</summary>
    private static int SampleProperty(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.ValueTextEquals("site"u8) ? SiteBit
                : reader.ValueTextEquals("device"u8) ? DeviceBit
                : reader.ValueTextEquals("metric"u8) ? MetricBit
                : reader.ValueTextEquals("timestamp"u8) ? TimestampBit
                : reader.ValueTextEquals("value"u8) ? ValueBit
                : reader.ValueTextEquals("labels"u8) ? LabelsBit
                : 0;
        }

        ReadOnlySpan<byte> name = reader.ValueSpan;
        return name.Length switch
        {
            4 when name.SequenceEqual("site"u8) => SiteBit,
            5 when name.SequenceEqual("value"u8) => ValueBit,
            6 when name.SequenceEqual("device"u8) => DeviceBit,
            6 when name.SequenceEqual("metric"u8) => MetricBit,
            6 when name.SequenceEqual("labels"u8) => LabelsBit,
            9 when name.SequenceEqual("timestamp"u8) => TimestampBit,
            _ => 0,
        };
    }

    private static bool TryTimestamp(ref Utf8JsonReader reader, SampleWindow window, BatchNames names, out long ms)
    {
        ms = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        // An agent stamps every metric of one poll of a device alike: the same text is the same instant.
        if (!reader.ValueIsEscaped && names.LastTimestamp.Matches(reader.ValueSpan))
        {
            ms = names.LastTimestampMs;
            return true;
        }

        if (!reader.TryGetDateTimeOffset(out DateTimeOffset at))
        {
            return false;
        }

        ms = at.ToUnixTimeMilliseconds();
        if (ms < window.MinMs || ms > window.MaxMs)
        {
            return false;
        }

        if (!reader.ValueIsEscaped && names.LastTimestamp.TrySet(reader.ValueSpan))
        {
            names.LastTimestampMs = ms;
        }

        return true;
    }

    private enum NameKind
    {
        Site,
        Device,
        Metric,
    }

    /// <summary>A site, device or metric name that <see cref="SampleValidation"/> accepts, interned.</summary>
    private static bool TryName(ref Utf8JsonReader reader, BatchNames names, NameKind kind, out string name)
    {
        name = "";
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > MaxEscapedName)
        {
            return false;
        }

        // Samples of one device follow each other: the same bytes as the last accepted name of this kind are that name.
        LastText last = names.Last[(int)kind];
        if (!reader.ValueIsEscaped && last.Matches(reader.ValueSpan))
        {
            name = last.Text;
            return true;
        }

        Span<char> chars = names.Scratch;
        chars = chars[..reader.CopyString(chars)];
        bool valid = kind switch
        {
            NameKind.Site => SampleValidation.IsSite(chars),
            NameKind.Device => SampleValidation.IsDevice(chars),
            _ => SampleValidation.IsMetric(chars),
        };
        if (!valid)
        {
            return false;
        }

        name = names.Intern(chars);
        if (!reader.ValueIsEscaped)
        {
            last.TrySet(reader.ValueSpan, name);
        }

        return true;
    }

    /// <summary>The labels in canonical form (<c>k=v</c> sorted by key, joined with ','), interned; false on a duplicate key or a label the rules refuse.</summary>
    private static bool TryLabels(ref Utf8JsonReader reader, SampleWindow window, BatchNames names, out string labels)
    {
        labels = "";
        int count = 0;
        Span<char> chars = names.Scratch;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (count == window.MaxLabels || count == BatchNames.MaxLabels || reader.ValueSpan.Length > MaxEscapedName)
            {
                return false;
            }

            ReadOnlySpan<char> key = chars[..reader.CopyString(chars)];
            if (!SampleValidation.IsMetric(key))
            {
                return false;
            }

            string internedKey = names.Intern(key);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > MaxEscapedValue)
            {
                return false;
            }

            ReadOnlySpan<char> value = chars[..reader.CopyString(chars)];
            if (!SampleValidation.IsLabelValue(value))
            {
                return false;
            }

            // Insertion sort by key: a sample has a few labels.
            string internedValue = names.Intern(value);
            int at = count;
            while (at > 0 && string.CompareOrdinal(names.Keys[at - 1], internedKey) > 0)
            {
                names.Keys[at] = names.Keys[at - 1];
                names.Values[at] = names.Values[at - 1];
                at--;
            }

            if (at > 0 && string.Equals(names.Keys[at - 1], internedKey, StringComparison.Ordinal))
            {
                return false;
            }

            names.Keys[at] = internedKey;
            names.Values[at] = internedValue;
            count++;
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        if (count > 0)
        {
            int length = 0;
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    chars[length++] = ',';
                }

                names.Keys[i].CopyTo(chars[length..]);
                length += names.Keys[i].Length;
                chars[length++] = '=';
                names.Values[i].CopyTo(chars[length..]);
                length += names.Values[i].Length;
            }

            labels = names.Intern(chars[..length]);
        }

        return true;
    }
}

/// <summary>
/// The strings of one batch, each kept once (a batch names the same sites, devices, metrics and labels thousands of times),
/// and the reader's scratch space. One per request: nothing a stranger sends outlives it.
/// </summary>
internal sealed class BatchNames
{
    /// <summary>Most labels a sample may have (the bound of <see cref="IngestOptions.MaxLabels"/>).</summary>
    public const int MaxLabels = 64;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public BatchNames()
    {
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Room for one name or value as read, and for one sample's canonical labels.</summary>
    public char[] Scratch { get; } = new char[MaxLabels * (SampleValidation.MaxNameLength + SampleValidation.MaxLabelValueLength + 2)];

    public string[] Keys { get; } = new string[MaxLabels];

    public string[] Values { get; } = new string[MaxLabels];

    /// <summary>The last accepted site, device and metric, as read and as interned.</summary>
    internal LastText[] Last { get; } = [new(), new(), new()];

    /// <summary>The last accepted timestamp as read, and its instant.</summary>
    internal LastText LastTimestamp { get; } = new();

    internal long LastTimestampMs { get; set; }

    /// <summary>The one string of this batch equal to <paramref name="chars"/>.</summary>
    public string Intern(ReadOnlySpan<char> chars)
    {
        if (_lookup.TryGetValue(chars, out string? known))
        {
            return known;
        }

        string added = new(chars);
        _strings.Add(added);
        return added;
    }
}

/// <summary>The raw UTF-8 bytes of the last value of one kind that was accepted, and what they were read as.</summary>
internal sealed class LastText
{
    private readonly byte[] _raw = new byte[SampleValidation.MaxNameLength];
    private int _length = -1;

    public string Text { get; private set; } = "";

    public bool Matches(ReadOnlySpan<byte> raw) => raw.Length == _length && raw.SequenceEqual(_raw.AsSpan(0, _length));

    /// <summary>Remembers <paramref name="raw"/> (false when it is too long to keep).</summary>
    public bool TrySet(ReadOnlySpan<byte> raw, string text = "")
    {
        if (raw.Length > _raw.Length)
        {
            _length = -1;
            return false;
        }

        raw.CopyTo(_raw);
        _length = raw.Length;
        Text = text;
        return true;
    }
}
