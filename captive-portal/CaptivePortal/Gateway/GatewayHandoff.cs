using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Gateway;

/// <summary>Where a verified login goes next.</summary>
public enum HandoffKind
{
    /// <summary>No gateway in this visit: the portal's own "logged in" page.</summary>
    None,

    /// <summary>To the gateway: <see cref="Handoff.Url"/>.</summary>
    Redirect,

    /// <summary>External portal: the RADIUS server answered Access-Reject.</summary>
    Rejected,

    /// <summary>External portal: the RADIUS server did not answer.</summary>
    Unavailable,
}

/// <summary>The outcome of <see cref="GatewayHandoff.HandOffAsync"/>.</summary>
public sealed record Handoff(HandoffKind Kind, string? Url = null, string? ReplyMessage = null);

/// <summary>
/// Hands a login to the gateway. CoovaChilli (UAM) gets the browser at <c>/logon</c> with the PAP-encoded password
/// (<see cref="ChilliPap"/>) and asks RADIUS itself; for openNDS (FAS) the portal asks RADIUS
/// (<see cref="ExternalPortalRadius"/>) and, on Access-Accept only, sends the browser to the gateway's auth URL.
/// </summary>
public sealed class GatewayHandoff(IOptions<GatewayOptions> options, ExternalPortalRadius radius)
{
    /// <summary>CoovaChilli's logon URL, or null when this visit has no UAM gateway (or no challenge to encode with).</summary>
    public string? LogonUrl(UamContext? context, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (context is null || context.IsExternal || context.Challenge is not { } challenge || string.IsNullOrEmpty(options.Value.UamSecret))
        {
            return null;
        }

        return context.LogonUrl(username, ChilliPap.Encode(password, Convert.FromHexString(challenge), options.Value.UamSecret));
    }

    /// <summary>
    /// The next step after the portal accepted the person's credentials (or created the account). For an openNDS context
    /// the RADIUS server decides; <paramref name="landing"/> is where openNDS sends the browser once it is open.
    /// </summary>
    public async Task<Handoff> HandOffAsync(UamContext? context, string username, string password, string landing, CancellationToken cancellationToken)
    {
        if (context is { IsExternal: true })
        {
            (ExternalVerdict verdict, string? reply) = await radius.AuthenticateAsync(context, username, password, cancellationToken).ConfigureAwait(false);
            return verdict switch
            {
                ExternalVerdict.Accepted => new Handoff(HandoffKind.Redirect, context.AuthUrl(landing)),
                ExternalVerdict.Rejected => new Handoff(HandoffKind.Rejected, ReplyMessage: reply),
                _ => new Handoff(HandoffKind.Unavailable),
            };
        }

        return LogonUrl(context, username, password) is { } logon ? new Handoff(HandoffKind.Redirect, logon) : new Handoff(HandoffKind.None);
    }
}
