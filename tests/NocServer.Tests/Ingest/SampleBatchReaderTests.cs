using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Tests.Ingest;

/// <summary>
/// The fast reader of ingest against the general path it stands in for (<see cref="JsonSerializer"/> with
/// <see cref="IngestJsonContext"/>, then <see cref="SampleValidation.TryConvert"/>): whatever it accepts, the general path
/// accepts too and converts to the same points; what agents send, it accepts.
/// </summary>
public class SampleBatchReaderTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly SampleWindow s_window = new(
        s_now.AddDays(-30).ToUnixTimeMilliseconds(), s_now.AddMinutes(5).ToUnixTimeMilliseconds(), MaxLabels: 3, MaxSamples: 50, MaxEvents: 2);

    [Fact]
    public void What_an_agent_sends_is_read_into_the_points_the_general_path_makes()
    {
        var labels = new Dictionary<string, string> { ["role"] = "wan", ["if"] = "ether1" };
        SampleBatch batch = new("agent-7", 42, s_now,
        [
            new Sample("hs-beursplein", "uplink", "if_in_bps", s_now.AddSeconds(-30), 1234.5, labels),
            new Sample("hs-beursplein", "AP-01.b", "wifi_clients", new DateTimeOffset(2026, 11, 29, 13, 0, 0, TimeSpan.FromHours(1)), -0.0),
            new Sample("sch-atheneum", "cpe", "if_up", s_now.AddDays(-29), 1, new Dictionary<string, string> { ["if"] = "gi0/1 (fibre) é" }),
        ])
        {
            Events = [new DeviceEvent("hs-beursplein", "uplink", "device_rebooted", s_now, "uptime went back")],
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(batch, IngestJsonContext.Default.SampleBatch);

        using var points = new PointBatch(16);
        bool read = SampleBatchReader.TryRead(json, s_window, new BatchNames(), points, out string agent, out long sequence, out IReadOnlyList<DeviceEvent>? events);

        Assert.True(read);
        Assert.Equal(("agent-7", 42L), (agent, sequence));
        Assert.Equal(Reference(json), points);
        Assert.Equal("if=ether1,role=wan", points[0].Key.Labels);
        Assert.Same(points[0].Key.Site, points[1].Key.Site);
        DeviceEvent only = Assert.Single(events!);
        Assert.Equal(("device_rebooted", "uptime went back"), (only.Kind, only.Message));
    }

    [Theory]
    [InlineData("property names in another case (the serializer matches them)", """{"AgentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[]}""")]
    [InlineData("a number as a string", """{"agentId":"a","sequence":"1","sentAt":"2026-11-29T12:00:00Z","samples":[]}""")]
    [InlineData("a sequence below 1", """{"agentId":"a","sequence":0,"sentAt":"2026-11-29T12:00:00Z","samples":[]}""")]
    [InlineData("no samples list", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z"}""")]
    [InlineData("an unknown property", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[],"extra":1}""")]
    [InlineData("a property twice", """{"agentId":"a","agentId":"b","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[]}""")]
    [InlineData("a null sample", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[null]}""")]
    [InlineData("a sample without a value", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[{"site":"s","device":"d","metric":"m","timestamp":"2026-11-29T12:00:00Z"}]}""")]
    [InlineData("a site the rules refuse", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[{"site":"Bad Site","device":"d","metric":"m","timestamp":"2026-11-29T12:00:00Z","value":1}]}""")]
    [InlineData("a timestamp outside the window", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[{"site":"s","device":"d","metric":"m","timestamp":"2026-11-29T14:00:00Z","value":1}]}""")]
    [InlineData("a label key twice", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[{"site":"s","device":"d","metric":"m","timestamp":"2026-11-29T12:00:00Z","value":1,"labels":{"if":"a","if":"b"}}]}""")]
    [InlineData("more labels than allowed", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[{"site":"s","device":"d","metric":"m","timestamp":"2026-11-29T12:00:00Z","value":1,"labels":{"a":"1","b":"2","c":"3","d":"4"}}]}""")]
    [InlineData("a label value with a comma", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[{"site":"s","device":"d","metric":"m","timestamp":"2026-11-29T12:00:00Z","value":1,"labels":{"if":"a,b=c"}}]}""")]
    [InlineData("more events than allowed", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[],"events":[{},{},{}]}""")]
    [InlineData("trailing garbage", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[]} x""")]
    [InlineData("a truncated body", """{"agentId":"a","sequence":1,"sentAt":"2026-11-29T12:00:00Z","samples":[{"site":"s",""")]
    public void Anything_else_is_left_to_the_general_path(string description, string json)
    {
        using var points = new PointBatch(16);

        bool read = SampleBatchReader.TryRead(Encoding.UTF8.GetBytes(json), s_window, new BatchNames(), points, out _, out _, out _);

        Assert.False(read, description);
        Assert.Empty(points);
    }

    [Fact]
    public void Whatever_it_accepts_the_general_path_accepts_and_converts_the_same_way()
    {
        // Bodies from a grammar of what agents, broken agents and strangers might send: other spellings, escapes, numbers
        // as strings, nulls, duplicates, names and labels the rules refuse, timestamps outside the window.
        // Mostly what agents send (so many batches reach the fast path whole), with the odd thing they should not.
        Gen<string> siteGen = Mostly(["hs-beursplein", "sch-atheneum", "h\\u0073-beursplein", "hs.x_1"], ["Bad Site", "", "é"]);
        Gen<string> deviceGen = Mostly(["ap1", "AP-2.x", "uplink", "cpe_1"], ["bad dev", ""]);
        Gen<string> metricGen = Mostly(["if_in_bps", "wifi_clients", "if_up", "probe_rtt_ms", "cpu_load"], ["Bad", "1x"]);
        Gen<string?> value = Mostly<string?>(["1.5", "-3", "0", "1e308", "42", "-0.25"], ["\"2.5\"", "\"NaN\"", "null", "true", null]);
        Gen<string?> timestamp = Mostly<string?>(["\"2026-11-29T11:59:30Z\"", "\"2026-11-29T12:59:30+01:00\"", "\"2026-11-20T08:00:00.123Z\"", "\"2026-11-29T11:00:00Z\""],
            ["\"2026-11-29T14:00:00Z\"", "\"2026-08-01T00:00:00Z\"", "\"yesterday\"", "null", "1764417600", null]);
        Gen<string?> labels = Mostly<string?>([null, "null", "{}", """{"if":"eth0"}""", """{"role":"wan","if":"eth0"}""", """{"if":"wlan0","role":"lan","b":"x"}""",
            """{"if":"gi0/1 (fibre) é"}"""],
            ["""{"if":"a","if":"b"}""", """{"if":"a,b"}""", """{"IF":"x"}""", """{"if":null}""", """{"a":"1","b":"2","c":"3","d":"4"}""", """{"if":"\u00e9\\u00e9"}""", "[]"]);
        Gen<string> key = Gen.Frequency((8, Gen.Const("")), (1, Gen.Const("upper")), (1, Gen.Const("extra")));
        Gen<string> sample = Gen.Select(siteGen, deviceGen, metricGen, timestamp, value, labels, key, Gen.Int[0, 5]).Select(t =>
        {
            (string site, string device, string metric, string? at, string? v, string? l, string variant, int rotate) = t;
            List<string> parts = [$"\"site\":\"{site}\"", $"\"device\":\"{device}\"", $"\"metric\":\"{metric}\""];
            AddIf(parts, "timestamp", at);
            AddIf(parts, "value", v);
            AddIf(parts, "labels", l);
            if (variant == "upper")
            {
                parts[0] = parts[0].Replace("\"site\"", "\"Site\"", StringComparison.Ordinal);
            }
            else if (variant == "extra")
            {
                parts.Add("\"extra\":1");
            }

            return "{" + string.Join(',', parts.Skip(rotate % parts.Count).Concat(parts.Take(rotate % parts.Count))) + "}";
        });
        Gen<string> body = Gen.Select(sample.List[0, 5], Pick("1", "7", "7", "7", "0", "\"7\""),
            Pick<string?>(null, "null", "[]", """[{"site":"s","device":"d","kind":"device_rebooted","timestamp":"2026-11-29T12:00:00Z","message":"m"}]""", "[null]"),
            Gen.Int[0, 9].Select(i => i == 0)).Select(t =>
        {
            (List<string> samples, string sequence, string? events, bool nullSample) = t;
            string list = string.Join(',', nullSample ? samples.Append("null") : samples);
            return $$"""{"agentId":"agent-test","sequence":{{sequence}},"sentAt":"2026-11-29T12:00:00Z","samples":[{{list}}]{{(events is null ? "" : ",\"events\":" + events)}}}""";
        });

        int accepted = 0, points = 0, canonicalised = 0;
        body.Sample(json =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            using var read = new PointBatch(16);
            if (!SampleBatchReader.TryRead(bytes, s_window, new BatchNames(), read, out string agent, out long sequence, out IReadOnlyList<DeviceEvent>? events))
            {
                Assert.Empty(read);
                return;
            }

            accepted++;
            points += read.Count;
            canonicalised += read.Span.ToArray().Count(p => p.Key.Labels.Contains(',', StringComparison.Ordinal));
            SampleBatch batch = JsonSerializer.Deserialize(bytes, IngestJsonContext.Default.SampleBatch)!;
            Assert.Equal((batch.AgentId, batch.Sequence), (agent, sequence));
            Assert.Equal(Reference(bytes), read);
            Assert.Equal(batch.Events?.Count ?? 0, events?.Count ?? 0);
        }, iter: 3000, threads: 1);

        Assert.True(accepted > 250 && points > 150 && canonicalised > 40,
            $"the grammar should reach the fast path often, with samples and sorted labels: {accepted} batches, {points} points, {canonicalised} with several labels");

        static void AddIf(List<string> parts, string property, string? json)
        {
            if (json is not null)
            {
                parts.Add($"\"{property}\":{json}");
            }
        }
    }

    private static Gen<T> Pick<T>(params T[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    /// <summary>One of <paramref name="good"/> nine times in ten, else one of <paramref name="bad"/>.</summary>
    private static Gen<T> Mostly<T>(T[] good, T[] bad) => Gen.Frequency((9, Pick(good)), (1, Pick(bad)));

    /// <summary>The general path: the serializer, then every sample through the validation rules (all must pass).</summary>
    private static List<SeriesPoint> Reference(byte[] json)
    {
        SampleBatch batch = JsonSerializer.Deserialize(json, IngestJsonContext.Default.SampleBatch)!;
        var points = new List<SeriesPoint>();
        foreach (Sample sample in batch.Samples)
        {
            Assert.Null(SampleValidation.TryConvert(sample, s_window.MinMs, s_window.MaxMs, s_window.MaxLabels, out SeriesPoint point));
            points.Add(point);
        }

        return points;
    }

    [Fact]
    public void Interned_names_of_one_batch_are_one_string_each()
    {
        var names = new BatchNames();

        string first = names.Intern("hs-beursplein".AsSpan());
        string second = names.Intern(string.Create(CultureInfo.InvariantCulture, $"hs-{"beursplein"}").AsSpan());

        Assert.Same(first, second);
        Assert.NotSame(first, names.Intern("hs-flageyplein".AsSpan()));
    }
}
