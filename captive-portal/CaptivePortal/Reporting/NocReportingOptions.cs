using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Reporting;

/// <summary>The portal as a virtual agent of the NOC's ingest API. Section <c>Noc</c>; off while <see cref="Url"/> is empty.</summary>
public sealed class NocReportingOptions
{
    public const string Section = "Noc";

    /// <summary>The NOC's base URL (<c>https://noc.example.org</c>); batches go to <c>{Url}/api/v1/ingest</c>. Empty: no reporting.</summary>
    [Url]
    public string? Url { get; set; }

    /// <summary>The bearer token the NOC gave this agent. Never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>The agent's id at the NOC.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(64)]
    public string AgentId { get; set; } = "captive-portal";

    /// <summary>Seconds between reports.</summary>
    [Range(5, 3600)]
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>The zone whose months the month figures count (IANA name; the NOC's reports use the region's).</summary>
    [Required(AllowEmptyStrings = false)]
    public string TimeZone { get; set; } = "Europe/Brussels";
}

[OptionsValidator]
public sealed partial class NocReportingOptionsValidator : IValidateOptions<NocReportingOptions>;
