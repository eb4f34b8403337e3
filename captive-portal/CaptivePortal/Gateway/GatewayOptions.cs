using System.ComponentModel.DataAnnotations;
using System.Net;
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

    /// <summary>The external-portal flow (openNDS's Forwarding Authentication Service): the portal asks RADIUS itself.</summary>
    [ValidateObjectMembers]
    public ExternalPortalOptions External { get; set; } = new();
}

/// <summary>
/// openNDS's Forwarding Authentication Service (FAS): the gateway redirects to the portal's <c>/opennds</c> (its
/// <c>faspath</c>), the portal checks the credentials with an Access-Request of its own and, on Access-Accept, sends the
/// browser to <c>http://gatewayaddress/authdir/?tok=…&amp;redir=…</c>. Section <c>Gateway:External</c>; see docs/gateway.md.
/// </summary>
public sealed class ExternalPortalOptions
{
    /// <summary>
    /// openNDS's <c>faskey</c> for <c>fas_secure_enabled=1</c>: the gateway sends a hashed id (<c>hid</c>) and the portal
    /// returns <c>tok</c> = hex SHA-256(hid ‖ faskey). Empty turns level 1 off.
    /// </summary>
    public string FasKey { get; set; } = "";

    /// <summary>
    /// Accept <c>fas_secure_enabled=0</c> redirects, which carry the client's token in clear (a client can skip the
    /// portal with it): off unless asked for.
    /// </summary>
    public bool AcceptLevel0 { get; set; }

    /// <summary>openNDS's <c>authdir</c> (level 1 redirects do not say it).</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string AuthDir { get; set; } = "opennds_auth";

    /// <summary>
    /// The networks (CIDR) a gateway address in a redirect may be in; a redirect naming any other gateway is refused.
    /// Empty: the private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7).
    /// </summary>
#pragma warning disable CA2227 // Bound from configuration.
    public List<string> GatewayNetworks { get; set; } = [];
#pragma warning restore CA2227

    /// <summary>The RADIUS server asked, <c>address:port</c>; empty: the portal's own (its auth port on loopback).</summary>
    public string? RadiusServer { get; set; }

    /// <summary>The shared secret with that server (for the portal's own: a <c>Radius:Clients</c> entry for its address).</summary>
    public string Secret { get; set; } = "";

    /// <summary>NAS-Identifier of the portal's Access-Requests; empty: the gateway's <c>gatewayname</c>.</summary>
    [StringLength(64)]
    public string? NasIdentifier { get; set; }

    /// <summary>Believe only replies with a valid Message-Authenticator (BlastRADIUS, CVE-2024-3596). Turn off only for an unpatched server.</summary>
    public bool RequireMessageAuthenticator { get; set; } = true;

    /// <summary>How long to wait for each try.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan RadiusTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Tries after the first.</summary>
    [Range(0, 5)]
    public int RadiusRetries { get; set; } = 2;

    /// <summary>True when some level of the flow is configured.</summary>
    public bool Enabled => FasKey.Length > 0 || AcceptLevel0;

    /// <summary>The parsed <see cref="GatewayNetworks"/>, or the private ranges when none is given.</summary>
    public IReadOnlyList<IPNetwork> AllowedGatewayNetworks() => GatewayNetworks.Count == 0
        ? [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("fc00::/7")]
        : [.. GatewayNetworks.Select(n => IPNetwork.Parse(n))];
}

[OptionsValidator]
public sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;

/// <summary>What the annotations cannot say about <see cref="ExternalPortalOptions"/>.</summary>
internal sealed class ExternalPortalOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ExternalPortalOptions external = options.External;
        const string Prefix = GatewayOptions.Section + ":External:";
        var failures = new List<string>();
        for (int i = 0; i < external.GatewayNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(external.GatewayNetworks[i], out _))
            {
                failures.Add($"{Prefix}GatewayNetworks:{i}: '{external.GatewayNetworks[i]}' is not a CIDR block.");
            }
        }

        if (!string.IsNullOrEmpty(external.RadiusServer) && (!IPEndPoint.TryParse(external.RadiusServer, out IPEndPoint? server) || server.Port == 0))
        {
            failures.Add($"{Prefix}RadiusServer: '{external.RadiusServer}' is not an address:port.");
        }

        if (external.Enabled && external.Secret.Length < 8)
        {
            failures.Add($"{Prefix}Secret: the flow is on (FasKey or AcceptLevel0) and needs the RADIUS secret, at least 8 characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
