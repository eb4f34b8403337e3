using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.Noc.Pages;

/// <summary>Options of the dashboard pages, section <c>Pages</c>.</summary>
public sealed class PagesOptions
{
    public const string Section = "Pages";

    /// <summary>
    /// Sign-in attempts (right or wrong) one client address may make a minute before <c>POST /login</c> answers 429.
    /// Behind a reverse proxy every user shares the proxy's address: raise it there.
    /// </summary>
    [Range(1, 100_000)]
    public int LoginAttemptsPerMinute { get; set; } = 20;
}

[OptionsValidator]
public sealed partial class PagesOptionsValidator : IValidateOptions<PagesOptions>;
