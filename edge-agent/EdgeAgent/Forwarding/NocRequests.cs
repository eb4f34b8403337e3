using System.Threading.Channels;
using Network.Contracts;

namespace Network.EdgeAgent.Forwarding;

/// <summary>
/// What the NOC asked of the agent in its ingest answers (the <see cref="AgentRequests.Header"/> header, read by the
/// <see cref="Forwarder"/> on every delivered batch), for the feature that does it. A few wait at most; more are dropped.
/// </summary>
public sealed class NocRequests
{
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(new BoundedChannelOptions(4)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Offer(string request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request);
        _requests.Writer.TryWrite(request.Trim());
    }

    /// <summary>Waits until the NOC asks for <paramref name="request"/> (other requests are read and let go).</summary>
    public async Task WaitForAsync(string request, CancellationToken cancellationToken)
    {
        while (true)
        {
            string asked = await _requests.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (string.Equals(asked, request, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
    }
}
