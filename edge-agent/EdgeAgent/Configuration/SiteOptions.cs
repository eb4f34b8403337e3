using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Hosting;

namespace Network.EdgeAgent.Configuration;

/// <summary>What a site is: a hotspot (Urbizone) or a school on the fibre programme.</summary>
public enum SiteKind
{
    Hotspot,
    School,
}

/// <summary>The site this agent reports for, and its own identity. Keys under <c>Agent:Site</c>.</summary>
public sealed class SiteOptions
{
    public const string Section = "Agent:Site";

    /// <summary>The site id the NOC knows (samples carry it unless a device names its own site).</summary>
    [Required(AllowEmptyStrings = false)]
    [SiteId]
    public string Id { get; set; } = "";

    public SiteKind Kind { get; set; } = SiteKind.Hotspot;

    /// <summary>The agent's id at the NOC (default: <c>agent-</c> and the site id).</summary>
    public string? AgentId { get; set; }

    public string EffectiveAgentId => string.IsNullOrEmpty(AgentId) ? "agent-" + Id : AgentId;
}

/// <summary>
/// A site id: <c>^[a-z0-9][a-z0-9._-]{0,63}$</c>, checked by hand (a regular expression would bring the regex engine,
/// about half a megabyte, into the agent's binary for this one check).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SiteIdAttribute() : ValidationAttribute("must be 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
{
    public override bool IsValid(object? value) => value is not string id || IsSiteId(id);

    public static bool IsSiteId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length is 0 or > 64 || !char.IsAsciiLetterLower(id[0]) && !char.IsAsciiDigit(id[0]))
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

[OptionsValidator]
public sealed partial class SiteOptionsValidator : IValidateOptions<SiteOptions>;

public static class SiteFeature
{
    public static AgentHostBuilder AddAgentSite(this AgentHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddOptions(SiteOptions.Section, static (c, o) => c.Bind(o), new SiteOptionsValidator());
        return builder;
    }
}
