using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Gateway;

/// <summary>
/// Hands a verified login to the gateway: CoovaChilli gets the browser at <c>/logon</c> with the PAP-encoded password
/// (<see cref="ChilliPap"/>). Null when this visit has no gateway (or no challenge to encode with).
/// </summary>
public sealed class GatewayHandoff(IOptions<GatewayOptions> options)
{
    public string? LogonUrl(UamContext? context, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (context?.Challenge is not { } challenge || string.IsNullOrEmpty(options.Value.UamSecret))
        {
            return null;
        }

        return context.LogonUrl(username, ChilliPap.Encode(password, Convert.FromHexString(challenge), options.Value.UamSecret));
    }
}
