using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Network.Hosting;
using Network.Noc.TimeSeries;
using Network.ServiceDefaults;
using Network.TestSupport;

namespace Network.Noc.Tests.TimeSeries;

public sealed class TimeSeriesRegistrationTests : IDisposable
{
    private readonly TempFolder _folder = new("noc-timeseries-di");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Without_an_Influx_url_the_embedded_store_is_the_only_sink_and_the_reader()
    {
        using IHost host = Build([]);
        await host.StartAsync();
        ITimeSeriesSink sink = Assert.Single(host.Services.GetServices<ITimeSeriesSink>());
        Assert.Equal("embedded", sink.Name);
        Assert.Same(sink, host.Services.GetRequiredService<ITimeSeriesReader>());
        Assert.StartsWith(_folder.FullPath, ((EmbeddedTimeSeriesStore)sink).LogFolder, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task With_an_Influx_url_it_is_a_second_sink()
    {
        using IHost host = Build(new()
        {
            ["TimeSeries:Influx:Url"] = "http://127.0.0.1:8086",
            ["TimeSeries:Influx:Org"] = "noc",
            ["TimeSeries:Influx:Bucket"] = "metrics",
            ["TimeSeries:Influx:Token"] = "t0ken",
        });
        await host.StartAsync();
        Assert.Equal(["embedded", "influxdb"], host.Services.GetServices<ITimeSeriesSink>().Select(s => s.Name));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("TimeSeries:Influx:Token", "TimeSeries:Influx:Url=http://127.0.0.1:8086", "TimeSeries:Influx:Org=noc", "TimeSeries:Influx:Bucket=b")]
    [InlineData("TimeSeries:Influx:Url", "TimeSeries:Influx:Url=ftp://x", "TimeSeries:Influx:Org=noc", "TimeSeries:Influx:Bucket=b", "TimeSeries:Influx:Token=t")]
    [InlineData("TimeSeries:MinuteRetention", "TimeSeries:RawRetention=3.00:00:00", "TimeSeries:MinuteRetention=2.00:00:00")]
    [InlineData("TimeSeries:RawRetention", "TimeSeries:RawRetention=00:10:00")]
    public async Task Bad_settings_stop_the_start_naming_the_key(string key, params string[] settings)
    {
        using IHost host = Build(settings.Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]));
        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.True(ConfigurationErrors.TryDescribe(ex, out string? message), ex.ToString());
        Assert.Contains(key, message, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ken", message, StringComparison.Ordinal);
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = _folder.FullPath });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(new DataDirectory(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = _folder.FullPath })));
        builder.AddTimeSeries();
        return builder.Build();
    }
}
