using System.Collections.Concurrent;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Throughput;

/// <summary>
/// On-demand tests asked for by engineers (<c>POST /api/v1/sites/{site}/throughput-test</c>), waiting for the agent that
/// reports the site: the next batch it delivers with a sample of that site is answered with
/// <c>Agent-Request: throughput-test</c>, and the request is gone. One request a site waits at most (asking twice is
/// asking once); one not picked up within <see cref="Lifetime"/> is dropped (the agent is away; the test would come
/// long after anyone looked).
/// </summary>
public sealed class ThroughputRequests(TimeProvider time) : IAgentRequests
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);

    /// <summary>Queues a test for <paramref name="site"/>; false when one is waiting already.</summary>
    public bool Request(string site) => _pending.TryAdd(site, time.GetUtcNow());

    /// <summary>When the test waiting for <paramref name="site"/>'s agent was asked for; null when none waits.</summary>
    public DateTimeOffset? PendingSince(string site) =>
        _pending.TryGetValue(site, out DateTimeOffset at) && time.GetUtcNow() - at < Lifetime ? at : null;

    public IReadOnlyList<string> Take(ReadOnlySpan<SeriesPoint> points)
    {
        if (_pending.IsEmpty)
        {
            return [];
        }

        bool found = false;
        string? lastSite = null;
        DateTimeOffset now = time.GetUtcNow();
        foreach (ref readonly SeriesPoint point in points)
        {
            string site = point.Key.Site;
            if (ReferenceEquals(site, lastSite) || site == lastSite)
            {
                continue;
            }

            lastSite = site;
            if (_pending.TryRemove(site, out DateTimeOffset at) && now - at < Lifetime)
            {
                found = true;
            }
        }

        return found ? [AgentRequests.ThroughputTest] : [];
    }
}
