using Microsoft.AspNetCore.Http.Features;

namespace Network.CaptivePortal.Gateway;

/// <summary>CoovaChilli's redirect to the portal (its <c>uamserver</c>), signed with the UAM secret in <c>md</c>.</summary>
public static class UamRedirect
{
    /// <summary>
    /// The gateway context of a signed redirect, or null when its <c>md</c> does not match (checked over the URL as it arrived,
    /// and under <paramref name="publicBase"/>, the portal's public address, for a portal behind a reverse proxy) or its
    /// parameters are unusable.
    /// </summary>
    public static UamContext? Verify(HttpContext http, string? publicBase, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        string secret = options.UamSecret;
        string target = http.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : (http.Request.PathBase + http.Request.Path + http.Request.QueryString).ToString();
        var candidates = new List<string> { $"{http.Request.Scheme}://{http.Request.Host}{target}" };
        if (!string.IsNullOrEmpty(publicBase))
        {
            candidates.Add(publicBase.TrimEnd('/') + target);
        }

        var query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return secret.Length > 0 && candidates.Any(url => UamSignature.Verify(url, secret)) && UamContext.TryFromChilli(query, out UamContext context)
            ? context
            : null;
    }
}
