using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>
/// Requests waiting for the agents, named in the ingest answer's <see cref="Network.Contracts.AgentRequests.Header"/> header:
/// a feature that asks agents for something registers one; ingest asks each, on every batch it stores, for the requests of
/// the sites the batch's points name.
/// </summary>
public interface IAgentRequests
{
    IReadOnlyList<string> Take(ReadOnlySpan<SeriesPoint> points);
}
