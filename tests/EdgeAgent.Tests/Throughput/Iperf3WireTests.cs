using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Network.EdgeAgent.Throughput;

namespace Network.EdgeAgent.Tests.Throughput;

/// <summary>
/// iperf3's control messages as this client writes and reads them (the whole exchange runs against Debian's iperf3 3.12
/// in <see cref="ShapedLinkThroughputTests"/>).
/// </summary>
public sealed class Iperf3WireTests
{
    [Fact]
    public void A_cookie_is_36_characters_of_iperf3s_alphabet_and_a_NUL_and_new_each_time()
    {
        byte[] cookie = Iperf3Wire.NewCookie();
        byte[] other = Iperf3Wire.NewCookie();

        Assert.Equal(37, cookie.Length);
        Assert.Equal(0, cookie[36]);
        Assert.All(cookie[..36], b => Assert.Contains((char)b, Iperf3Wire.CookieAlphabet));
        Assert.NotEqual(cookie, other);
    }

    [Theory]
    [InlineData("{}", "000000027B7D")]
    [InlineData("", "00000000")]
    public void A_JSON_message_is_framed_by_its_length_in_four_big_endian_bytes(string json, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), Iperf3Wire.Frame(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(json.Length, Iperf3Wire.ReadLength(Convert.FromHexString(hex)));
    }

    [Fact]
    public void A_length_over_the_bound_is_refused_before_anything_is_read()
    {
        Iperf3Exception refused = Assert.Throws<Iperf3Exception>(() => Iperf3Wire.ReadLength(Convert.FromHexString("7FFFFFFF")));
        Assert.Contains("2147483647", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("09", Iperf3State.ParamExchange)]
    [InlineData("0A", Iperf3State.CreateStreams)]
    [InlineData("01", Iperf3State.TestStart)]
    [InlineData("02", Iperf3State.TestRunning)]
    [InlineData("04", Iperf3State.TestEnd)]
    [InlineData("0D", Iperf3State.ExchangeResults)]
    [InlineData("0E", Iperf3State.DisplayResults)]
    [InlineData("10", Iperf3State.IperfDone)]
    [InlineData("FF", Iperf3State.AccessDenied)]
    [InlineData("FE", Iperf3State.ServerError)]
    public void States_are_iperf3s_signed_bytes(string hex, Iperf3State state) =>
        Assert.Equal(state, (Iperf3State)(sbyte)Convert.FromHexString(hex)[0]);

    [Fact]
    public void A_download_asks_for_reverse_and_an_upload_leaves_the_key_out_as_iperf3_reads_its_presence()
    {
        using JsonDocument download = JsonDocument.Parse(Iperf3Wire.Parameters(reverse: true, seconds: 10, omitSeconds: 2));
        using JsonDocument upload = JsonDocument.Parse(Iperf3Wire.Parameters(reverse: false, seconds: 10, omitSeconds: 2));

        Assert.True(download.RootElement.GetProperty("reverse").GetBoolean());
        Assert.False(upload.RootElement.TryGetProperty("reverse", out _));
        foreach (JsonElement p in new[] { download.RootElement, upload.RootElement })
        {
            Assert.True(p.GetProperty("tcp").GetBoolean());
            Assert.Equal(10, p.GetProperty("time").GetInt32());
            Assert.Equal(2, p.GetProperty("omit").GetInt32());
            Assert.Equal(1, p.GetProperty("parallel").GetInt32());
            Assert.Equal(131072, p.GetProperty("len").GetInt32());
            Assert.Equal(0, p.GetProperty("num").GetInt32());
            Assert.False(p.TryGetProperty("udp", out _));
        }
    }

    [Fact]
    public void The_clients_results_carry_every_key_iperf3s_server_requires_for_stream_1()
    {
        using JsonDocument results = JsonDocument.Parse(Iperf3Wire.Results(123_456, 12.5, sender: true));
        JsonElement root = results.RootElement;

        foreach (string key in new[] { "cpu_util_total", "cpu_util_user", "cpu_util_system", "sender_has_retransmits" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        JsonElement stream = Assert.Single(root.GetProperty("streams").EnumerateArray());
        Assert.Equal(1, stream.GetProperty("id").GetInt32());
        Assert.Equal(123_456, stream.GetProperty("bytes").GetInt64());
        Assert.Equal(12.5, stream.GetProperty("end_time").GetDouble());
        foreach (string key in new[] { "retransmits", "jitter", "errors", "packets" })
        {
            Assert.True(stream.TryGetProperty(key, out _), key);
        }
    }

    [Fact]
    public void The_servers_results_are_read_and_anything_else_is_a_clear_error()
    {
        // As iperf3 3.12's server sends them after a 3-second download (reverse): it was the sender.
        const string Server = """
            {"cpu_util_total":1.9,"cpu_util_user":0.1,"cpu_util_system":1.8,"sender_has_retransmits":1,"congestion_used":"cubic",
             "streams":[{"id":1,"bytes":22413312,"retransmits":0,"jitter":0,"errors":0,"omitted_errors":0,"packets":0,"omitted_packets":0,
             "start_time":0,"end_time":3.000151}]}
            """;

        IReadOnlyList<long> streams = Iperf3Wire.ReadStreamBytes(Encoding.UTF8.GetBytes(Server));
        Iperf3Exception noStreams = Assert.Throws<Iperf3Exception>(() => Iperf3Wire.ReadStreamBytes("{\"streams\": 7}"u8));
        Iperf3Exception broken = Assert.Throws<Iperf3Exception>(() => Iperf3Wire.ReadStreamBytes("{\"streams\": ["u8));

        Assert.Equal(22_413_312, Assert.Single(streams));
        Assert.Contains("no streams", noStreams.Message, StringComparison.Ordinal);
        Assert.Contains("iperf3's JSON", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_servers_error_names_its_code_and_errno()
    {
        Assert.Equal("the iperf3 server reported error 118 (errno 104)", Iperf3Wire.DescribeServerError(Convert.FromHexString("0000007600000068")));
    }

    [Fact]
    public async Task A_busy_server_ends_the_test_as_busy_so_the_agent_tries_again_later()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var client = new Iperf3Client("127.0.0.1", port, TimeProvider.System);

        Task<ThroughputMeasurement> test = client.RunAsync(download: true, TimeSpan.Zero, TimeSpan.FromSeconds(1), CancellationToken.None);
        using (Socket server = await listener.AcceptSocketAsync())
        {
            byte[] cookie = new byte[Iperf3Wire.CookieSize];
            int read = 0;
            while (read < cookie.Length)
            {
                read += await server.ReceiveAsync(cookie.AsMemory(read), SocketFlags.None);
            }

            await server.SendAsync(new byte[] { 0xFF }, SocketFlags.None);
            ThroughputBusyException busy = await Assert.ThrowsAsync<ThroughputBusyException>(() => test);
            Assert.Contains("ACCESS_DENIED", busy.Message, StringComparison.Ordinal);
            Assert.Equal(Iperf3Client.BusyRetryAfter, busy.RetryAfter);
            Assert.Equal(0, cookie[36]);
        }
    }
}
