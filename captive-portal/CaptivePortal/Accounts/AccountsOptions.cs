using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Accounts;

/// <summary>Lockout and verification-cache policy of the account store. Section <c>Accounts</c>.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Consecutive failed logins for one username, within <see cref="FailureWindow"/>, that lock it out.</summary>
    [Range(1, 1000)]
    public int MaxFailuresPerUser { get; set; } = 10;

    /// <summary>Consecutive failed logins from one device (Calling-Station-Id MAC), within the window, that lock it out.</summary>
    [Range(1, 10000)]
    public int MaxFailuresPerStation { get; set; } = 20;

    /// <summary>Failures older than this (counted from the first of a run) are forgotten.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a locked-out user or device is refused, even with the right password.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a successful verification lets the same password in again without a full Argon2 run. Zero turns the cache off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan VerificationCacheLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most users the verification cache holds; the entries nearest their expiry go first.</summary>
    [Range(1, 1_000_000)]
    public int VerificationCacheSize { get; set; } = 10_000;

    /// <summary>Full hash computations at once (each Argon2 run holds 19 MiB); 0 means one per processor.</summary>
    [Range(0, 1024)]
    public int MaxConcurrentHashes { get; set; }
}

[OptionsValidator]
public sealed partial class AccountsOptionsValidator : IValidateOptions<AccountsOptions>;
