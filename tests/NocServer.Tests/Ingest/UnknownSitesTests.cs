using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Network.Metrics;
using Network.Noc.Ingest;

namespace Network.Noc.Tests.Ingest;

/// <summary>Samples for a site the inventory does not know: one warning per agent and site, every sample counted.</summary>
public sealed class UnknownSitesTests
{
    [Fact]
    public void An_unknown_site_is_told_once_per_agent_and_site_and_its_samples_are_counted()
    {
        var logger = new ListLogger();
        var unknown = new UnknownSites(logger);
        using var exporter = new PrometheusExporter();
        double before = Counted(exporter);

        unknown.Report("agent-demo-fleet", ["demo-fleet"], 3);
        unknown.Report("agent-demo-fleet", ["demo-fleet"], 3);
        unknown.Report("agent-other", ["demo-fleet", "hs-nowhere"], 2);

        Assert.Equal(3, logger.Lines.Count);
        Assert.Contains(logger.Lines, l => l.Contains("agent-demo-fleet", StringComparison.Ordinal) && l.Contains("site demo-fleet, which is not in the inventory", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("agent-other", StringComparison.Ordinal) && l.Contains("site hs-nowhere", StringComparison.Ordinal));
        Assert.All(logger.Levels, level => Assert.Equal(LogLevel.Warning, level));
        double counted = Counted(exporter) - before;
        Assert.True(counted >= 8, $"counted {counted}");
    }

    /// <summary>
    /// The counter as /metrics shows it (other tests of this process may add to it at the same time); 0 before the
    /// counter exists (it is made when <see cref="UnknownSites"/> first counts).
    /// </summary>
    private static double Counted(PrometheusExporter exporter)
    {
        Match sample = Regex.Match(exporter.Collect(), @"^noc_ingest_unknown_site_samples_total (\S+)$", RegexOptions.Multiline);
        return sample.Success ? double.Parse(sample.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private sealed class ListLogger : ILogger<UnknownSites>
    {
        public List<string> Lines { get; } = [];

        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Levels.Add(logLevel);
            Lines.Add(formatter(state, exception));
        }
    }
}
