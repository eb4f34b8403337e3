using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Portal;

/// <summary>
/// Small authenticated, expiring tokens the pages pass in the URL instead of cookies (Data Protection, keys in the data folder):
/// who is logged in (for the "logged in" page after a login without a gateway) and the registration wait of a burst.
/// </summary>
public sealed class PortalTokens(IDataProtectionProvider provider, TimeProvider time, IOptions<PortalOptions> options)
{
    private static readonly TimeSpan s_whoLifetime = TimeSpan.FromHours(1);
    private readonly ITimeLimitedDataProtector _who = provider.CreateProtector("Network.CaptivePortal.Portal.Who.v1").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _wait = provider.CreateProtector("Network.CaptivePortal.Portal.Wait.v1").ToTimeLimitedDataProtector();
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _recent = new();

    public string ProtectWho(string username) => _who.Protect(username, time.GetUtcNow() + s_whoLifetime);

    public string? UnprotectWho(string? token) => Unprotect(_who, token, out _);

    /// <summary>Counts a registration in the burst window.</summary>
    public void RecordRegistration()
    {
        lock (_lock)
        {
            _recent.Enqueue(time.GetUtcNow());
        }
    }

    /// <summary>True when more than <see cref="PortalOptions.RegistrationBurst"/> registrations happened in the last minute.</summary>
    public bool BurstUnderway()
    {
        DateTimeOffset since = time.GetUtcNow().AddMinutes(-1);
        lock (_lock)
        {
            while (_recent.Count > 0 && _recent.Peek() < since)
            {
                _recent.Dequeue();
            }

            return _recent.Count >= options.Value.RegistrationBurst;
        }
    }

    /// <summary>A token saying "this username may register after now + the delay", valid for ten minutes.</summary>
    public string IssueWait(string username)
    {
        long notBefore = (time.GetUtcNow() + options.Value.ChallengeDelay).ToUnixTimeMilliseconds();
        return _wait.Protect(string.Create(CultureInfo.InvariantCulture, $"{notBefore}|{username.ToLowerInvariant()}"), time.GetUtcNow().AddMinutes(10));
    }

    /// <summary>True when the wait token is for this username and its delay has passed.</summary>
    public bool WaitServed(string? token, string username)
    {
        string? payload = Unprotect(_wait, token, out _);
        if (payload is null || payload.Split('|', 2) is not [string at, string name]
            || !long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out long notBefore))
        {
            return false;
        }

        return string.Equals(name, username.ToLowerInvariant(), StringComparison.Ordinal) && time.GetUtcNow().ToUnixTimeMilliseconds() >= notBefore;
    }

    private string? Unprotect(ITimeLimitedDataProtector protector, string? token, out DateTimeOffset expires)
    {
        expires = default;
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }

        try
        {
            string value = protector.Unprotect(token, out expires);
            return expires > time.GetUtcNow() ? value : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
