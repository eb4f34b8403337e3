using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// The polls' signed-in state: a cookie <c>polls</c> on the path <c>/polls</c> only (HttpOnly, SameSite=Lax, Secure when the
/// portal is reached over HTTPS), holding the account's id, name and the end of the sign-in, protected by the portal's Data
/// Protection keys. The captive pages never see it: browsers send it only under <c>/polls</c>. Why a cookie rather than a
/// ticket in each form: the poll pages are links to follow (my page, results, another poll) as much as forms, and a
/// ticket in links would leak into history and shared screenshots.
/// </summary>
public sealed class PollSignIn(IDataProtectionProvider protection, IOptions<PortalOptions> portal, TimeProvider time)
{
    public const string CookieName = "polls";
    public const string CookiePath = "/polls";

    private readonly IDataProtector _protector = protection.CreateProtector("Network.CaptivePortal.Polls.SignIn.v1");

    /// <summary>The citizen of this request, or null (no cookie, a tampered or expired one).</summary>
    public PollCitizen? Citizen(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.Cookies[CookieName] is not { Length: > 0 and < 2048 } cookie)
        {
            return null;
        }

        string text;
        try
        {
            text = _protector.Unprotect(cookie);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        string[] parts = text.Split('|', 3);
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long id)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long expiresMs))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(expiresMs);
        return expires > time.GetUtcNow() ? new PollCitizen(id, parts[2], expires) : null;
    }

    public void SignIn(HttpContext http, PollCitizen citizen)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(citizen);
        string value = _protector.Protect(FormattableString.Invariant($"{citizen.AccountId}|{citizen.ExpiresAt.ToUnixTimeMilliseconds()}|{citizen.Username}"));
        http.Response.Cookies.Append(CookieName, value, Options(http, citizen.ExpiresAt));
    }

    public void SignOut(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Delete(CookieName, Options(http, null));
    }

    private CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        Path = CookiePath,
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps || (portal.Value.PublicUrl?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ?? false),
        IsEssential = true,
        Expires = expires,
    };
}
