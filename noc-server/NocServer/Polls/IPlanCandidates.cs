namespace Network.Noc.Polls;

/// <summary>
/// A citizens' proposal that a planner adds to the rollout plan as a candidate site, with the link back to it: the
/// poll, the proposal and its score (the Bayesian average of hearts of the results) with its number of ratings.
/// </summary>
public sealed record PlanCandidate(
    long PollId,
    long ProposalId,
    string Name,
    string Commune,
    string Address,
    double? Latitude,
    double? Longitude,
    double Score,
    long Ratings,
    string AddedBy);

/// <summary>
/// The rollout plan's door for candidate sites from the polls. The plan implements it and registers it; until one is
/// registered the results page offers no "add to the plan" button (nothing pretends to plan).
/// </summary>
public interface IPlanCandidates
{
    /// <summary>Adds the proposal as a candidate site; false when the plan already holds this proposal (nothing added twice).</summary>
    Task<bool> AddAsync(PlanCandidate candidate, CancellationToken cancellationToken);
}
