using System.Net.Mail;
using System.Security.Cryptography;
using Dapper;
using FluentMigrator;
using Network.Storage;

namespace Network.CaptivePortal.Accounts;

/// <summary>How a "New user" registration ended.</summary>
public enum RegistrationResult
{
    Done,
    UsernameInvalid,
    UsernameOtherScript,
    UsernameReserved,

    /// <summary>The name, or one with the same <see cref="UsernameRules.Skeleton"/>, exists.</summary>
    UsernameTaken,
    PasswordTooShort,
    PasswordTooLong,
    PasswordEqualsUsername,
    PasswordTooCommon,
    EmailInvalid,
}

/// <summary>A password-reset link to mail: the token exists only here and in the mail; the store keeps its SHA-256.</summary>
public sealed record PasswordResetTicket(string Username, string Email, string Token, DateTimeOffset Expires);

/// <summary>
/// The profile (the optional email address) and reset tables, every row going with its account (ON DELETE CASCADE), and the
/// registrations counted per hotspot and hour for the NOC (who registered where is not kept). A reset token is kept as its
/// SHA-256: a copy of the table lets nobody reset a password. Files made before FluentMigrator have them ("account_profiles"
/// at version 2).
/// </summary>
[Migration(2026120711, "Portal account profiles")]
public sealed class AccountProfilesTables : ServiceMigration
{
    public override void Up()
    {
        if (CreateTableIfAbsent("account_profiles") is { } profiles)
        {
            profiles
                .WithColumn("account_id").AsInt64().NotNullable().PrimaryKey()
                    .ForeignKey("account_profiles_account_fk", "accounts", "id").OnDelete(System.Data.Rule.Cascade)
                .WithColumn("email").AsString().Nullable();
        }

        if (CreateTableIfAbsent("password_resets") is { } resets)
        {
            resets
                .WithColumn("token_hash").AsBinary().NotNullable().PrimaryKey()
                .WithColumn("account_id").AsInt64().NotNullable().Indexed("password_resets_account")
                    .ForeignKey("password_resets_account_fk", "accounts", "id").OnDelete(System.Data.Rule.Cascade)
                .WithColumn("expires_ms").AsInt64().NotNullable();
        }

        if (CreateTableIfAbsent("registrations_hourly") is { } hourly)
        {
            hourly
                .WithColumn("hotspot").AsString().NotNullable().PrimaryKey()
                .WithColumn("hour_ms").AsInt64().NotNullable().PrimaryKey()
                .WithColumn("registrations").AsInt64().NotNullable();
        }
    }
}

/// <summary>
/// What a person does with their own account on the portal: register (username rules, optional email), reset a
/// forgotten password through a single-use token, delete the account. The account itself and its password checks are
/// <see cref="AccountService"/>'s; this keeps the profile beside it (the optional email address) and the reset tokens.
/// </summary>
public sealed class AccountRegistration(ServiceDatabase database, AccountService accounts, TimeProvider time)
{
    private const long HourMs = 3_600_000;
    private const int TokenBytes = 32;

    /// <summary>The profile and reset tables on the portal's database (in files made before FluentMigrator: "account_profiles" at version 2).</summary>
    public static DatabaseFeature Feature { get; } = new(typeof(AccountProfilesTables).Assembly, "account_profiles", 2);

    /// <summary>Creates an account from the "New user" form. <paramref name="hotspot"/> (the gateway's NAS id) is only counted.</summary>
    public async Task<(RegistrationResult Result, string Username)> RegisterAsync(string? typedUsername, string password, string? email, string? hotspot,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        UsernameVerdict verdict = UsernameRules.Check(typedUsername, out string username);
        RegistrationResult early = verdict switch
        {
            UsernameVerdict.Invalid => RegistrationResult.UsernameInvalid,
            UsernameVerdict.OtherScript => RegistrationResult.UsernameOtherScript,
            UsernameVerdict.Reserved => RegistrationResult.UsernameReserved,
            _ => Map(AccountPolicy.CheckPassword(username, password)),
        };
        if (early != RegistrationResult.Done)
        {
            return (early, username);
        }

        string? mail = null;
        if (!string.IsNullOrWhiteSpace(email) && !TryNormalizeEmail(email, out mail))
        {
            return (RegistrationResult.EmailInvalid, username);
        }

        if (await accounts.LookAlikeExistsAsync(username, cancellationToken).ConfigureAwait(false))
        {
            return (RegistrationResult.UsernameTaken, username);
        }

        AccountChangeResult created = await accounts.CreateAsync(username, password, cancellationToken).ConfigureAwait(false);
        if (created != AccountChangeResult.Done)
        {
            return (Map(created), username);
        }

        DateTimeOffset now = time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        string? storedHash = null;
        long accountId = 0;
        bool profiled = await database.WriteAsync(async (connection, transaction) =>
        {
            // The registration is the person's first login: the gateway's Access-Request follows within a second.
            (long Id, string Hash)? row = await connection.QuerySingleOrDefaultAsync<(long, string)?>(new CommandDefinition(
                "UPDATE accounts SET last_login_ms = @nowMs WHERE username = @username RETURNING id, password_hash",
                new { username, nowMs }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is { } written)
            {
                accountId = written.Id;
                storedHash = written.Hash;
            }

            int inserted = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO account_profiles (account_id, email)
                SELECT id, @mail FROM accounts WHERE username = @username
                ON CONFLICT DO NOTHING
                """, new { mail, username }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (inserted == 0)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO registrations_hourly (hotspot, hour_ms, registrations) VALUES (@hotspot, @hour, 1)
                ON CONFLICT (hotspot, hour_ms) DO UPDATE SET registrations = registrations_hourly.registrations + 1
                """, new { hotspot = string.IsNullOrEmpty(hotspot) ? "portal" : hotspot, hour = nowMs - (nowMs % HourMs) },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (!profiled)
        {
            // The account was removed between its creation and this write (the person, or an operator, deleted it).
            return (RegistrationResult.UsernameTaken, username);
        }

        // The portal hashed this very password a moment ago. With the row it has just written (a new account: not locked,
        // logged in now), the gateway's Access-Request that follows within a second is answered from memory on the RADIUS
        // server's receive thread: no second Argon2 run, no read and no write of the store.
        if (storedHash is not null)
        {
            accounts.Cache.Remember(username, password, storedHash, now, new VerificationCache.AccountSnapshot(accountId, username, false, nowMs, now));
        }

        return (RegistrationResult.Done, username);
    }

    /// <summary>
    /// A reset link for the account, when it has an email address; null otherwise (the caller says the same either way,
    /// so the form does not tell who has an account). Earlier unused links of the account stop working.
    /// </summary>
    public async Task<PasswordResetTicket?> CreateResetAsync(string username, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        string name = UsernameRules.Normalize(username);
        if (!AccountPolicy.IsValidUsername(name))
        {
            return null;
        }

        byte[] token = RandomNumberGenerator.GetBytes(TokenBytes);
        DateTimeOffset expires = time.GetUtcNow() + lifetime;
        (string Username, string Email)? target = await database.WriteAsync(async (connection, transaction) =>
        {
            (long Id, string Username, string Email)? found = await connection.QuerySingleOrDefaultAsync<(long, string, string)?>(new CommandDefinition("""
                SELECT a.id, a.username, p.email FROM accounts a JOIN account_profiles p ON p.account_id = a.id
                WHERE a.username = @name AND p.email IS NOT NULL AND a.locked = false
                """, new { name }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (found is not { } account)
            {
                return ((string, string)?)null;
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM password_resets WHERE account_id = @id OR expires_ms <= @now",
                new { id = account.Id, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition("INSERT INTO password_resets (token_hash, account_id, expires_ms) VALUES (@hash, @id, @expires)",
                new { hash = SHA256.HashData(token), id = account.Id, expires = expires.ToUnixTimeMilliseconds() }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return (account.Username, account.Email);
        }, cancellationToken).ConfigureAwait(false);

        return target is { } t ? new PasswordResetTicket(t.Username, t.Email, Base64Url(token), expires) : null;
    }

    /// <summary>True when the token is one that works now (for showing the form before the person types).</summary>
    public async Task<bool> IsResetTokenValidAsync(string? token, CancellationToken cancellationToken = default) =>
        await FindResetAsync(token, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// Sets a new password with a reset token. The token is spent only when the password passes the rules, so a person
    /// whose first choice is refused can try another with the same link. <see cref="AccountChangeResult.NotFound"/>: no such token now.
    /// </summary>
    public async Task<AccountChangeResult> ResetPasswordAsync(string? token, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        (byte[] Hash, string Username)? reset = await FindResetAsync(token, cancellationToken).ConfigureAwait(false);
        if (reset is null)
        {
            return AccountChangeResult.NotFound;
        }

        AccountChangeResult check = AccountPolicy.CheckPassword(reset.Value.Username, password);
        if (check != AccountChangeResult.Done)
        {
            return check;
        }

        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        int claimed = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM password_resets WHERE token_hash = @hash AND expires_ms > @nowMs", new { hash = reset.Value.Hash, nowMs }, transaction,
            cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);

        return claimed == 1
            ? await accounts.SetPasswordAsync(reset.Value.Username, password, cancellationToken).ConfigureAwait(false)
            : AccountChangeResult.NotFound;
    }

    /// <summary>Deletes the account, its profile, reset tokens and remembered devices (they cascade).</summary>
    public Task<bool> DeleteAsync(string username, CancellationToken cancellationToken = default) =>
        accounts.RemoveAsync(username, cancellationToken);

    /// <summary>
    /// When the lockout of this username, or of this device, ends (the later of the two); null when neither is locked out.
    /// For telling a person how long to wait.
    /// </summary>
    public Task<DateTimeOffset?> LockoutEndsAsync(string username, string? mac, CancellationToken cancellationToken = default)
    {
        string userKey = "user:" + UsernameRules.Normalize(username).ToLowerInvariant();
        string? stationKey = MacAddress.TryNormalize(mac, out string? m) ? "station:" + m : null;
        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return database.ReadAsync(async connection =>
            await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT max(locked_until_ms) FROM login_failures WHERE key IN (@userKey, @stationKey) AND locked_until_ms > @nowMs",
                new { userKey, stationKey, nowMs }, cancellationToken: cancellationToken)).ConfigureAwait(false) is long until
                ? DateTimeOffset.FromUnixTimeMilliseconds(until)
                : (DateTimeOffset?)null, cancellationToken);
    }

    /// <summary>Registrations per hotspot in the hours starting in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<IReadOnlyList<(string Hotspot, DateTimeOffset Hour, int Registrations)>> RegistrationsHourlyAsync(DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<(string, DateTimeOffset, int)>>(async connection =>
        {
            long fromMs = from.ToUnixTimeMilliseconds();
            IEnumerable<(string Hotspot, long HourMs, long Registrations)> rows = await connection.QueryAsync<(string, long, long)>(new CommandDefinition(
                "SELECT hotspot, hour_ms, registrations FROM registrations_hourly WHERE hour_ms >= @from AND hour_ms < @to ORDER BY hour_ms, hotspot",
                new { from = fromMs - (((fromMs % HourMs) + HourMs) % HourMs), to = to.ToUnixTimeMilliseconds() },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => (r.Hotspot, DateTimeOffset.FromUnixTimeMilliseconds(r.HourMs), (int)r.Registrations))];
        }, cancellationToken);

    /// <summary>An address as typed, trimmed; at most 254 characters (RFC 5321 section 4.5.3.1.3) and one plain mailbox.</summary>
    public static bool TryNormalizeEmail(string? typed, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? email)
    {
        email = null;
        string text = typed?.Trim() ?? "";
        if (text.Length is 0 or > 254 || text.Any(char.IsWhiteSpace) || text.Contains('<', StringComparison.Ordinal)
            || !MailAddress.TryCreate(text, out MailAddress? address) || address.Address != text || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        email = address.User + "@" + address.Host.ToLowerInvariant();
        return true;
    }

    private async Task<(byte[] Hash, string Username)?> FindResetAsync(string? token, CancellationToken cancellationToken)
    {
        if (!TryFromBase64Url(token, out byte[]? raw) || raw.Length != TokenBytes)
        {
            return null;
        }

        byte[] hash = SHA256.HashData(raw);
        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        string? username = await database.ReadAsync(connection => connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
            SELECT a.username FROM password_resets r JOIN accounts a ON a.id = r.account_id WHERE r.token_hash = @hash AND r.expires_ms > @nowMs
            """, new { hash, nowMs }, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return username is null ? null : (hash, username);
    }

    private static RegistrationResult Map(AccountChangeResult result) => result switch
    {
        AccountChangeResult.Done => RegistrationResult.Done,
        AccountChangeResult.UsernameTaken or AccountChangeResult.UsernameLookAlike => RegistrationResult.UsernameTaken,
        AccountChangeResult.PasswordTooShort => RegistrationResult.PasswordTooShort,
        AccountChangeResult.PasswordTooLong => RegistrationResult.PasswordTooLong,
        AccountChangeResult.PasswordEqualsUsername => RegistrationResult.PasswordEqualsUsername,
        AccountChangeResult.PasswordTooCommon => RegistrationResult.PasswordTooCommon,
        _ => RegistrationResult.UsernameInvalid,
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return false;
        }

        string b64 = text.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        byte[] buffer = new byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, buffer, out int written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
