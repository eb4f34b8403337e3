namespace Network.CaptivePortal.Accounts;

/// <summary>
/// How a login ended. A caller (the RADIUS host, the portal) learns no more than this: an unknown username and a
/// wrong password are the same <see cref="UnknownOrWrong"/>.
/// </summary>
public enum AuthOutcome
{
    Accepted,

    /// <summary>No such user, or not this password.</summary>
    UnknownOrWrong,

    /// <summary>Too many failures for this username or this device lately; refused until the lockout period ends.</summary>
    Locked,

    /// <summary>The right password, but an operator locked the account (<see cref="AccountService.LockAsync"/>).</summary>
    Disabled,
}

/// <summary>The outcome of a login; <see cref="Username"/> is the account's name as registered, on success only.</summary>
public sealed record AuthResult(AuthOutcome Outcome, string? Username)
{
    public bool IsAccepted => Outcome == AuthOutcome.Accepted;

    public static AuthResult Accepted(string username) => new(AuthOutcome.Accepted, username);

    public static AuthResult Rejected(AuthOutcome reason) => new(reason, null);
}

/// <summary>The outcome of creating an account, setting its password or importing a hash.</summary>
public enum AccountChangeResult
{
    Done,
    NotFound,
    UsernameInvalid,
    UsernameTaken,

    /// <summary>An account whose name looks the same exists (same <see cref="UsernameRules.Skeleton"/>: <c>rnarie</c> for <c>marie</c>).</summary>
    UsernameLookAlike,
    PasswordTooShort,
    PasswordTooLong,
    PasswordEqualsUsername,
    PasswordTooCommon,

    /// <summary>An imported hash is not a PHC string this store reads (argon2id v=19, pbkdf2-sha256, pbkdf2-sha512).</summary>
    HashInvalid,
}

/// <summary>One account as the operator sees it. No hash, no password.</summary>
public sealed record AccountInfo(
    string Username,
    DateTimeOffset Created,
    DateTimeOffset? LastLogin,
    bool Locked,
    int FailedAttempts,
    DateTimeOffset? LockedOutUntil,
    PasswordAlgorithm? HashAlgorithm,
    IReadOnlyList<string> Devices);

/// <summary>
/// What another feature keeps of an account and removes with it (the polls' votes and proposals): called by
/// <see cref="AccountService.RemoveAsync"/> inside the transaction that deletes the account, before the row goes.
/// </summary>
public interface IAccountRemoval
{
    Task RemovingAsync(long accountId, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken);
}
