using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Network.EdgeAgent.Throughput;

/// <summary>
/// The states iperf3's server sends on the control connection, one signed byte each (iperf3's <c>iperf_api.h</c>), and
/// the client's own (<see cref="TestEnd"/>, <see cref="IperfDone"/>, <see cref="ClientTerminate"/>).
/// </summary>
public enum Iperf3State : sbyte
{
    TestStart = 1,
    TestRunning = 2,
    TestEnd = 4,
    ParamExchange = 9,
    CreateStreams = 10,
    ServerTerminate = 11,
    ClientTerminate = 12,
    ExchangeResults = 13,
    DisplayResults = 14,
    IperfStart = 15,
    IperfDone = 16,

    /// <summary>The server runs another test (iperf3 serves one at a time).</summary>
    AccessDenied = -1,

    /// <summary>Followed by two 32-bit big-endian numbers: iperf3's error code and the system's errno.</summary>
    ServerError = -2,
}

/// <summary>
/// iperf3's control protocol, the wire part (no sockets). A test, as iperf3 3.x speaks it over TCP:
/// <code>
/// client                                   server (iperf3 -s, port 5201)
///   connect control, send cookie (37 bytes: 36 of [a-z2-7] and a NUL)
///                                  &lt;-- PARAM_EXCHANGE (9)
///   [length: 4 bytes big-endian][parameters JSON]  --&gt;
///                                  &lt;-- CREATE_STREAMS (10)
///   connect a data stream, send the same cookie
///                                  &lt;-- TEST_START (1), TEST_RUNNING (2)
///   data: the client sends (upload), or with "reverse" the server sends (download)
///   TEST_END (4)  --&gt;
///                                  &lt;-- EXCHANGE_RESULTS (13)
///   [length][client's results JSON]  --&gt;
///                                  &lt;-- [length][server's results JSON]
///                                  &lt;-- DISPLAY_RESULTS (14)
///   IPERF_DONE (16)  --&gt;
/// </code>
/// A parameter's presence is what sets it for some keys (<c>tcp</c>, <c>reverse</c>), so false ones are left out.
/// </summary>
public static class Iperf3Wire
{
    /// <summary>iperf3's <c>COOKIE_SIZE</c>: 36 characters and a terminating NUL.</summary>
    public const int CookieSize = 37;

    /// <summary>The largest JSON message this client reads (iperf3's own results are a few hundred bytes a stream).</summary>
    public const int MaxJsonBytes = 1 << 20;

    /// <summary>iperf3's default TCP block: 128 KiB.</summary>
    public const int DefaultBlockBytes = 128 * 1024;

    /// <summary>The characters of a cookie (iperf3's <c>make_cookie</c>: base32's alphabet in lower case).</summary>
    public const string CookieAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A new random cookie, as sent: 36 characters of <see cref="CookieAlphabet"/> and a NUL.</summary>
    public static byte[] NewCookie()
    {
        byte[] cookie = new byte[CookieSize];
        Span<byte> random = stackalloc byte[CookieSize - 1];
        RandomNumberGenerator.Fill(random);
        for (int i = 0; i < random.Length; i++)
        {
            cookie[i] = (byte)CookieAlphabet[random[i] & 31];
        }

        return cookie;
    }

    /// <summary>A JSON message framed as iperf3 sends it: its length (32-bit big-endian), then the UTF-8 JSON.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> json)
    {
        byte[] framed = new byte[4 + json.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)json.Length);
        json.CopyTo(framed.AsSpan(4));
        return framed;
    }

    /// <summary>The length of the JSON message announced by a 4-byte header; throws past <paramref name="max"/>.</summary>
    public static int ReadLength(ReadOnlySpan<byte> header, int max = MaxJsonBytes)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        return length > (uint)max ? throw new Iperf3Exception($"the server announced a {length}-byte message (at most {max})") : (int)length;
    }

    /// <summary>The parameters JSON of a TCP test of one stream.</summary>
    public static byte[] Parameters(bool reverse, int seconds, int omitSeconds, int blockBytes = DefaultBlockBytes) =>
        JsonSerializer.SerializeToUtf8Bytes(new Iperf3Parameters
        {
            Omit = omitSeconds,
            Time = seconds,
            Len = blockBytes,
            Reverse = reverse ? true : null,
        }, Iperf3JsonContext.Default.Iperf3Parameters);

    /// <summary>The client's results JSON for its one stream (id 1): the payload bytes it sent or received over the whole test.</summary>
    public static byte[] Results(long bytes, double seconds, bool sender) =>
        JsonSerializer.SerializeToUtf8Bytes(new Iperf3Results
        {
            SenderHasRetransmits = sender ? 0 : -1,
            Streams = [new Iperf3StreamResult { Id = 1, Bytes = bytes, Retransmits = sender ? 0 : -1, EndTime = seconds }],
        }, Iperf3JsonContext.Default.Iperf3Results);

    /// <summary>
    /// The streams of the server's results (the payload bytes of each), or an <see cref="Iperf3Exception"/> naming what was
    /// wrong with them. Only the streams are read: the other members differ between iperf3's versions.
    /// </summary>
    public static IReadOnlyList<long> ReadStreamBytes(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("streams", out JsonElement streams) || streams.ValueKind != JsonValueKind.Array)
            {
                throw new Iperf3Exception("the server's results have no streams");
            }

            return [.. streams.EnumerateArray().Select(s => s.TryGetProperty("bytes", out JsonElement b) && b.TryGetInt64(out long n) ? n : 0)];
        }
        catch (JsonException ex)
        {
            throw new Iperf3Exception($"the server's results are not iperf3's JSON: {ex.Message}");
        }
    }

    /// <summary>What a SERVER_ERROR's two numbers mean, as far as a client can say.</summary>
    public static string DescribeServerError(ReadOnlySpan<byte> eightBytes)
    {
        int code = BinaryPrimitives.ReadInt32BigEndian(eightBytes);
        int errno = BinaryPrimitives.ReadInt32BigEndian(eightBytes[4..]);
        return $"the iperf3 server reported error {code} (errno {errno})";
    }
}

/// <summary>A failed iperf3 exchange: the server refused, broke off, or sent what iperf3 never sends.</summary>
public sealed class Iperf3Exception(string message) : Exception(message);

/// <summary>The test parameters a client sends (iperf3's names). Null members are not sent.</summary>
public sealed class Iperf3Parameters
{
    [JsonPropertyName("tcp")]
    public bool Tcp { get; init; } = true;

    [JsonPropertyName("omit")]
    public int Omit { get; init; }

    [JsonPropertyName("time")]
    public int Time { get; init; }

    [JsonPropertyName("num")]
    public long Num { get; init; }

    [JsonPropertyName("blockcount")]
    public long BlockCount { get; init; }

    [JsonPropertyName("parallel")]
    public int Parallel { get; init; } = 1;

    [JsonPropertyName("len")]
    public int Len { get; init; } = Iperf3Wire.DefaultBlockBytes;

    /// <summary>Present (true) for a download: the server sends. iperf3 reads the key's presence, so false is never sent.</summary>
    [JsonPropertyName("reverse")]
    public bool? Reverse { get; init; }

    [JsonPropertyName("pacing_timer")]
    public int PacingTimer { get; init; } = 1000;

    [JsonPropertyName("client_version")]
    public string ClientVersion { get; init; } = "3.12";
}

/// <summary>The results the client sends the server after the test (iperf3's names).</summary>
public sealed class Iperf3Results
{
    [JsonPropertyName("cpu_util_total")]
    public double CpuUtilTotal { get; init; }

    [JsonPropertyName("cpu_util_user")]
    public double CpuUtilUser { get; init; }

    [JsonPropertyName("cpu_util_system")]
    public double CpuUtilSystem { get; init; }

    [JsonPropertyName("sender_has_retransmits")]
    public int SenderHasRetransmits { get; init; }

    [JsonPropertyName("streams")]
    public IReadOnlyList<Iperf3StreamResult> Streams { get; init; } = [];
}

public sealed class Iperf3StreamResult
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("bytes")]
    public long Bytes { get; init; }

    [JsonPropertyName("retransmits")]
    public long Retransmits { get; init; }

    [JsonPropertyName("jitter")]
    public double Jitter { get; init; }

    [JsonPropertyName("errors")]
    public long Errors { get; init; }

    [JsonPropertyName("omitted_errors")]
    public long OmittedErrors { get; init; }

    [JsonPropertyName("packets")]
    public long Packets { get; init; }

    [JsonPropertyName("omitted_packets")]
    public long OmittedPackets { get; init; }

    [JsonPropertyName("start_time")]
    public double StartTime { get; init; }

    [JsonPropertyName("end_time")]
    public double EndTime { get; init; }
}

/// <summary>Source-generated JSON for iperf3's messages: no reflection, so the Native AOT agent can use it.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Iperf3Parameters))]
[JsonSerializable(typeof(Iperf3Results))]
internal sealed partial class Iperf3JsonContext : JsonSerializerContext;
