using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Network.Noc.TimeSeries;
using Network.TestSupport;

namespace Network.Noc.Tests.TimeSeries;

/// <summary>The InfluxDB sink against a real engine that takes the InfluxDB v2 write API: VictoriaMetrics.</summary>
public sealed class InfluxTimeSeriesSinkTests(VictoriaMetricsFixture vm) : IClassFixture<VictoriaMetricsFixture>
{
    [Fact]
    public async Task Points_written_through_the_client_read_back_from_the_engine_with_their_tags_and_times()
    {
        using var meter = new Meter(TimeSeriesMetrics.MeterName);
        using var sink = new InfluxTimeSeriesSink(Options(vm.BaseAddress.ToString()), new TimeSeriesMetrics(meter));
        Assert.Equal("influxdb", sink.Name);
        // Current timestamps: VictoriaMetrics drops samples older than its retention. A metric name of this run only.
        string metric = $"ts_sink_{Guid.NewGuid():N}";
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var eth0 = SeriesKey.Create("flageyplein", "ap1", metric, new Dictionary<string, string> { ["if"] = "eth0" });
        var odd = SeriesKey.Create("sint-gillis", "ap 2,b=c", metric, new Dictionary<string, string> { ["if"] = "wlan 0", ["vlan"] = "10" });
        SeriesPoint[] points =
        [
            new(eth0, now - 2000, 1.5), new(eth0, now - 1000, 2.25), new(eth0, now, -3e-7),
            new(odd, now - 1000, 42), new(odd, now - 500, double.NaN),
        ];
        await sink.WriteAsync(points, default);

        List<JsonElement> series = [];
        await Peers.WaitUntilAsync(async () =>
        {
            using HttpResponseMessage export = await vm.Http.PostAsync(new Uri(vm.BaseAddress, "api/v1/export"),
                new FormUrlEncodedContent([new("match[]", $"{{__name__=\"{metric}_value\"}}")]));
            string body = await export.Content.ReadAsStringAsync();
            series = [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
            return series.Sum(s => s.GetProperty("values").GetArrayLength()) == 4;
        }, TimeSpan.FromSeconds(15), "the four finite points becoming visible");

        JsonElement first = series.Single(s => s.GetProperty("metric").GetProperty("site").GetString() == "flageyplein");
        Assert.Equal("ap1", first.GetProperty("metric").GetProperty("device").GetString());
        Assert.Equal("eth0", first.GetProperty("metric").GetProperty("if").GetString());
        Assert.Equal([1.5, 2.25, -3e-7], first.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([now - 2000, now - 1000, now], first.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()));

        JsonElement second = series.Single(s => s.GetProperty("metric").GetProperty("site").GetString() == "sint-gillis");
        Assert.Equal("ap 2,b=c", second.GetProperty("metric").GetProperty("device").GetString());
        Assert.Equal("wlan 0", second.GetProperty("metric").GetProperty("if").GetString());
        Assert.Equal("10", second.GetProperty("metric").GetProperty("vlan").GetString());
        Assert.Equal([42.0], second.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task A_sink_pointed_at_a_dead_port_throws_so_the_caller_can_retry()
    {
        using var meter = new Meter(TimeSeriesMetrics.MeterName);
        using var sink = new InfluxTimeSeriesSink(Options($"http://127.0.0.1:{Peers.FreeTcpPort()}/"), new TimeSeriesMetrics(meter));
        SeriesPoint[] points = [new(SeriesKey.Create("flageyplein", "ap1", "up", null), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1)];
        Exception ex = await Assert.ThrowsAnyAsync<Exception>(async () => await sink.WriteAsync(points, default));
        Assert.DoesNotContain("s3cr3t-token", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusing_engine_throws()
    {
        // VictoriaMetrics answers 404 on an unknown path: a wrong base address must not pass silently.
        using var meter = new Meter(TimeSeriesMetrics.MeterName);
        using var sink = new InfluxTimeSeriesSink(Options(new Uri(vm.BaseAddress, "no/such/prefix/").ToString()), new TimeSeriesMetrics(meter));
        SeriesPoint[] points = [new(SeriesKey.Create("flageyplein", "ap1", "up", null), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1)];
        await Assert.ThrowsAnyAsync<Exception>(async () => await sink.WriteAsync(points, default));
    }

    [Theory]
    [InlineData("plain", "if_in_bps", "s", "d", "", 1.5, "if_in_bps,site=s,device=d value=1.5 1700000000000")]
    [InlineData("labels sorted by key", "m", "s", "d", "z=1,a=2", 2, "m,site=s,device=d,a=2,z=1 value=2 1700000000000")]
    [InlineData("measurement escapes comma and space, not equals", "a b,c=d", "s", "d", "", 0, "a\\ b\\,c=d,site=s,device=d value=0 1700000000000")]
    [InlineData("tag values escape comma, equals and space", "m", "s t", "d,e", "k=v=w", -1e-300, "m,site=s\\ t,device=d\\,e,k=v\\=w value=-1E-300 1700000000000")]
    [InlineData("an empty device is left out", "m", "s", "", "", 3, "m,site=s value=3 1700000000000")]
    [InlineData("a line break becomes an escaped space", "m", "s", "a\nb", "", 3, "m,site=s,device=a\\ b value=3 1700000000000")]
    public void Line_protocol(string description, string metric, string site, string device, string labels, double value, string expected)
    {
        Assert.NotEmpty(description);
        var point = new SeriesPoint(new SeriesKey(site, device, metric, labels), 1_700_000_000_000, value);
        Assert.Equal(expected, InfluxTimeSeriesSink.LineProtocol(point, new StringBuilder()));
    }

    private static IOptions<TimeSeriesOptions> Options(string url) => Microsoft.Extensions.Options.Options.Create(new TimeSeriesOptions
    {
        Influx = new InfluxOptions { Url = url, Org = "noc", Bucket = "metrics", Token = "s3cr3t-token", Timeout = TimeSpan.FromSeconds(3) },
    });
}
