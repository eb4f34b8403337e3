using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Gateway;

/// <summary>How hotspot gateways hand people to the portal. Section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// CoovaChilli's <c>uamsecret</c>: signs the redirects (<c>md</c>) and keys the PAP encoding. Empty turns the UAM
    /// flow off (a redirect carrying <c>md</c> is then refused).
    /// </summary>
    public string UamSecret { get; set; } = "";

    /// <summary>How long the hotspot context of one redirect (gateway address, challenge, MAC) stays usable on the portal's pages.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ContextLifetime { get; set; } = TimeSpan.FromHours(1);

}

[OptionsValidator]
public sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;
