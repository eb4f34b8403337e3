using System.Globalization;
using Microsoft.Extensions.Configuration;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Hosting;
using Network.Hosting;

namespace Network.EdgeAgent.Throughput;

/// <summary>
/// <c>edge-agent throughput --config FILE</c>: runs the configured throughput test once, now, on every target, and prints
/// each target's rates (an engineer at the router; the benchmark in docs/benchmarks.md). Nothing is queued or sent to
/// the NOC. Exit 0 when every target answered, 1 when one failed, 78 for a bad configuration.
/// </summary>
public static class ThroughputTool
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (!AgentHostBuilder.TryCreate(args, out AgentHostBuilder? builder, out string? error))
        {
            await errors.WriteLineAsync($"configuration error: {error}").ConfigureAwait(false);
            return ConfigurationErrors.ExitCode;
        }

        ForwardingOptions noc = builder.AddOptions(ForwardingOptions.Section, static (c, o) => c.Bind(o), new ForwardingOptionsValidator(),
            new ForwardingUrlValidator());
        ThroughputOptions options = builder.AddOptions(ThroughputOptions.Section, static (c, o) => c.Bind(o), new ThroughputOptionsValidator(),
            new ThroughputTargetsValidator());
        int invalid = ConfigurationErrors.Report(() => builder.Build().Dispose());
        if (invalid != 0)
        {
            return invalid;
        }

        var tester = new ThroughputTester(noc, TimeProvider.System);
        TimeSpan omit = TimeSpan.FromSeconds(options.OmitSeconds);
        TimeSpan duration = TimeSpan.FromSeconds(options.DurationSeconds);
        int exitCode = 0;
        foreach (ThroughputTargetOptions target in options.Targets)
        {
            try
            {
                ThroughputMeasurement down = await tester.RunAsync(target, download: true, omit, duration, CancellationToken.None).ConfigureAwait(false);
                ThroughputMeasurement up = await tester.RunAsync(target, download: false, omit, duration, CancellationToken.None).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{target.Name} ({target.Kind}): download {down.Mbps:0.0} Mbit/s ({down.Bytes} bytes in {down.Interval.TotalSeconds:0.000} s), upload {up.Mbps:0.0} Mbit/s ({up.Bytes} bytes in {up.Interval.TotalSeconds:0.000} s)"))
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or HttpRequestException or Iperf3Exception
                or ThroughputBusyException or TimeoutException)
            {
                await errors.WriteLineAsync($"{target.Name} ({target.Kind}): {ex.Message}").ConfigureAwait(false);
                exitCode = 1;
            }
        }

        return exitCode;
    }
}
