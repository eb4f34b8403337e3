using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.EdgeAgent.Forwarding;

/// <summary>Where and how batches go to the NOC. Keys under <c>Agent:Noc</c>.</summary>
public sealed class ForwardingOptions
{
    public const string Section = "Agent:Noc";

    /// <summary>The NOC's base URL (https in production); batches are POSTed to <c>{Url}/api/v1/ingest</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Url { get; set; } = "";

    /// <summary>The agent's bearer token, issued by the NOC (shown once there).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Token { get; set; } = "";

    /// <summary>A PEM file of the CA (or the certificate itself) that signs the NOC's certificate, when it is a private one.</summary>
    public string? CaCertificateFile { get; set; }

    [Range(1, 100_000)]
    public int BatchMaxSamples { get; set; } = 5000;

    [Range(1, 10_000)]
    public int BatchMaxRecords { get; set; } = 100;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>How often to look for new records when the queue is empty.</summary>
    [Range(0.05, 300)]
    public double IdleSeconds { get; set; } = 2;

    /// <summary>First retry delay after a failure; doubles per failure (with jitter) up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double MinBackoffSeconds { get; set; } = 1;

    [Range(0.01, 3600)]
    public double MaxBackoffSeconds { get; set; } = 60;

    public Uri IngestUri => new(new Uri(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute), "api/v1/ingest");
}

[OptionsValidator]
public sealed partial class ForwardingOptionsValidator : IValidateOptions<ForwardingOptions>;

/// <summary>The URL is absolute http or https.</summary>
public sealed class ForwardingUrlValidator : IValidateOptions<ForwardingOptions>
{
    public ValidateOptionsResult Validate(string? name, ForwardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.Url)
            && (!Uri.TryCreate(options.Url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            return ValidateOptionsResult.Fail($"{ForwardingOptions.Section}:Url: '{options.Url}' is not an absolute https:// (or http://) URL");
        }

        if (!string.IsNullOrEmpty(options.CaCertificateFile) && !File.Exists(options.CaCertificateFile))
        {
            return ValidateOptionsResult.Fail($"{ForwardingOptions.Section}:CaCertificateFile: the file {options.CaCertificateFile} does not exist");
        }

        return options.MaxBackoffSeconds < options.MinBackoffSeconds
            ? ValidateOptionsResult.Fail($"{ForwardingOptions.Section}:MaxBackoffSeconds: must not be below MinBackoffSeconds")
            : ValidateOptionsResult.Success;
    }
}
