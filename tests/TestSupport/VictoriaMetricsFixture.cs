namespace Network.TestSupport;

/// <summary>
/// VictoriaMetrics on 127.0.0.1 and a free port: a real time-series engine that takes the InfluxDB v2 write API
/// (<c>/api/v2/write</c>) and answers PromQL and <c>/api/v1/export</c> (COOKBOOK.md).
/// </summary>
public sealed class VictoriaMetricsFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new("victoria-metrics");
    private PeerProcess? _process;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        string binary = Peers.Require("victoria-metrics", "victoria-metrics");
        int port = Peers.FreeTcpPort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _process = PeerProcess.Start(binary,
        [
            $"-httpListenAddr=127.0.0.1:{port}", $"-storageDataPath={_folder.PathOf("data")}",
            "-search.latencyOffset=0s", "-loggerLevel=ERROR",
        ]);
        await Peers.WaitUntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new PeerMissingException($"victoria-metrics exited at start-up: {_process.Output}");
            }

            using HttpResponseMessage response = await Http.GetAsync(new Uri(BaseAddress, "health"));
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(20), "VictoriaMetrics answering /health");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _folder.Dispose();
    }
}
