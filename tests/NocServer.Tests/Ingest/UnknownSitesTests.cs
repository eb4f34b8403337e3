using Microsoft.Extensions.Logging;
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
        double before = UnknownSites.SamplesCounted;

        unknown.Report("agent-demo-fleet", ["demo-fleet"], 3);
        unknown.Report("agent-demo-fleet", ["demo-fleet"], 3);
        unknown.Report("agent-other", ["demo-fleet", "hs-nowhere"], 2);

        Assert.Equal(3, logger.Lines.Count);
        Assert.Contains(logger.Lines, l => l.Contains("agent-demo-fleet", StringComparison.Ordinal) && l.Contains("site demo-fleet, which is not in the inventory", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("agent-other", StringComparison.Ordinal) && l.Contains("site hs-nowhere", StringComparison.Ordinal));
        Assert.All(logger.Levels, level => Assert.Equal(LogLevel.Warning, level));
        Assert.True(UnknownSites.SamplesCounted - before >= 8, $"counted {UnknownSites.SamplesCounted - before}");
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
