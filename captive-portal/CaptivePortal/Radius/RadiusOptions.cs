using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Radius;

/// <summary>The RADIUS server of the portal. Section <c>Radius</c>.</summary>
public sealed class RadiusOptions
{
    public const string Section = "Radius";

    /// <summary>Off turns the RADIUS listeners off (the portal's pages still run).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>::</c> listens on IPv6 and IPv4 at once; <c>0.0.0.0</c> on IPv4 only; or one address.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BindAddress { get; set; } = "::";

    /// <summary>RFC 2865's port. 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int AuthPort { get; set; } = 1812;

    /// <summary>RFC 2866's port. 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int AcctPort { get; set; } = 1813;

    /// <summary>The hotspot gateways (NAS) allowed to ask: a name, an address or CIDR block, a secret.</summary>
    /// <summary>Where gateways listen for Disconnect-Request and CoA-Request (RFC 5176 section 3: 3799).</summary>
    [Range(1, 65535)]
    public int DynamicAuthorizationPort { get; set; } = 3799;

    [ValidateEnumeratedItems]
    public List<RadiusClientOptions> Clients { get; set; } = [];

    [ValidateObjectMembers]
    public RadiusReplyOptions Reply { get; set; } = new();

    /// <summary>Requests waiting for a worker before new ones are dropped (the gateway retransmits).</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>On Linux, many datagrams a system call (recvmmsg/sendmmsg); false: one recvfrom/sendto a datagram.</summary>
    public bool BatchSystemCalls { get; set; } = true;
}

public sealed class RadiusClientOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "";

    /// <summary>An IP address (<c>192.0.2.10</c>) or a CIDR block (<c>10.20.0.0/16</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Address { get; set; } = "";

    /// <summary>The shared secret (RFC 2865 section 3 asks for at least 16 octets; 8 is the floor here).</summary>
    [Required(AllowEmptyStrings = false)]
    [MinLength(8)]
    public string Secret { get; set; } = "";

    /// <summary>
    /// While the gateway's secret changes: the secret it moves to, accepted as well as <see cref="Secret"/> (each request
    /// is answered with the one it was made with). Empty: none.
    /// </summary>
    public string NextSecret { get; set; } = "";

    /// <summary><c>true</c> (default), <c>false</c> or <c>auto</c>: see the README's BlastRADIUS paragraph.</summary>
    [RegularExpression("^(?i)(true|false|auto)$")]
    public string RequireMessageAuthenticator { get; set; } = "true";
}

/// <summary>What an Access-Accept grants: session limits and bandwidth (WISPr and ChilliSpot attributes).</summary>
public sealed class RadiusReplyOptions
{
    /// <summary>Session-Timeout in seconds (RFC 2865 5.27); 0 leaves it out.</summary>
    [Range(0, int.MaxValue)]
    public int SessionTimeout { get; set; } = 4 * 3600;

    /// <summary>Idle-Timeout in seconds (RFC 2865 5.28); 0 leaves it out.</summary>
    [Range(0, int.MaxValue)]
    public int IdleTimeout { get; set; } = 900;

    /// <summary>Acct-Interim-Interval in seconds (RFC 2869 5.16; at least 60); 0 leaves it out.</summary>
    [Range(0, int.MaxValue)]
    public int AcctInterimInterval { get; set; } = 300;

    /// <summary>Download limit in kbit/s (WISPr-Bandwidth-Max-Down and ChilliSpot-Bandwidth-Max-Down); 0: none.</summary>
    [Range(0, int.MaxValue)]
    public int BandwidthMaxDownKbps { get; set; } = 20_000;

    /// <summary>Upload limit in kbit/s; 0: none.</summary>
    [Range(0, int.MaxValue)]
    public int BandwidthMaxUpKbps { get; set; } = 5_000;

    /// <summary>Class (RFC 2865 5.25), echoed by the gateway in accounting.</summary>
    public string Class { get; set; } = "urbizone";
}

[OptionsValidator]
public sealed partial class RadiusOptionsValidator : IValidateOptions<RadiusOptions>;
