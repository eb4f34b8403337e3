using System.Globalization;
using Network.TestSupport;

namespace Network.Noc.Tests.Fixtures;

/// <summary>VictoriaMetrics starts, takes a write on the InfluxDB v2 API and gives it back.</summary>
public class VictoriaMetricsFixtureTests(VictoriaMetricsFixture vm) : IClassFixture<VictoriaMetricsFixture>
{
    [Fact]
    public async Task Line_protocol_written_through_the_v2_api_reads_back_from_export()
    {
        long nowNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        string line = string.Create(CultureInfo.InvariantCulture, $"iface,site=flageyplein,if=eth0 in_octets=123456i {nowNs}");
        using var write = await vm.Http.PostAsync(new Uri(vm.BaseAddress, "api/v2/write?org=noc&bucket=metrics"), new StringContent(line));
        Assert.True(write.IsSuccessStatusCode, $"write answered {(int)write.StatusCode}");

        string exported = "";
        await Peers.WaitUntilAsync(async () =>
        {
            using var export = await vm.Http.PostAsync(new Uri(vm.BaseAddress, "api/v1/export"),
                new FormUrlEncodedContent([new("match[]", "{__name__=\"iface_in_octets\"}")]));
            exported = await export.Content.ReadAsStringAsync();
            return exported.Contains("123456", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "the sample becoming visible");

        Assert.Contains("\"site\":\"flageyplein\"", exported, StringComparison.Ordinal);
    }
}
