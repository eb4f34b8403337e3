using System.Data.Common;
using Dapper;
using FluentMigrator;
using Network.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// The accounts' tables: accounts, their remembered devices, and consecutive login failures per
/// <c>user:&lt;lower-case username&gt;</c> (known or not) and per <c>station:&lt;MAC&gt;</c>. Files made before FluentMigrator have
/// them (the "accounts" feature at version 2) and keep them. The look-alike check reads <c>skeleton</c> from the accounts
/// themselves, so every account takes part however it was made; rows without one are filled in by the next creation.
/// </summary>
[Migration(2026120710, "Portal accounts")]
public sealed class AccountsTables : ServiceMigration
{
    public override void Up()
    {
        EnsureCaseInsensitiveText();
        if (CreateTableIfAbsent("accounts") is { } accounts)
        {
            accounts
                .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
                .WithColumn("username").AsCustom(CaseInsensitiveText).NotNullable().Unique("accounts_username")
                .WithColumn("password_hash").AsString().NotNullable()
                .WithColumn("created_ms").AsInt64().NotNullable()
                .WithColumn("last_login_ms").AsInt64().Nullable()
                .WithColumn("locked").AsBoolean().NotNullable().WithDefaultValue(false)
                .WithColumn("skeleton").AsString().Nullable().Indexed("accounts_skeleton");
        }

        if (CreateTableIfAbsent("account_devices") is { } devices)
        {
            devices
                .WithColumn("mac").AsString().NotNullable().PrimaryKey()
                .WithColumn("account_id").AsInt64().NotNullable().Indexed("account_devices_account")
                    .ForeignKey("account_devices_account_fk", "accounts", "id").OnDelete(System.Data.Rule.Cascade)
                .WithColumn("remembered_ms").AsInt64().NotNullable();
        }

        if (CreateTableIfAbsent("login_failures") is { } failures)
        {
            failures
                .WithColumn("key").AsString().NotNullable().PrimaryKey()
                .WithColumn("failures").AsInt32().NotNullable()
                .WithColumn("window_start_ms").AsInt64().NotNullable()
                .WithColumn("locked_until_ms").AsInt64().Nullable()
                .WithColumn("expires_ms").AsInt64().NotNullable().Indexed("login_failures_expiry");
        }
    }
}

/// <summary>
/// The hotspot users' accounts: create, verify a password or a remembered device, lock, unlock, remove, list, with their
/// rows in <see cref="ServiceDatabase"/>. A login goes through the parts that each do one job: <see cref="PasswordVerifier"/>
/// (hashing, rehash on login), <see cref="LoginLockout"/> (failures and lockout), <see cref="VerificationCache"/> (the
/// in-memory fast path, its snapshots read again here) and <see cref="LastLoginStamps"/> (last-login stamps, batched).
/// Thread-safe; one instance per process.
/// </summary>
public sealed partial class AccountService : IDisposable
{
    private readonly ServiceDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PasswordVerifier _verifier;
    private readonly VerificationCache _cache;
    private readonly LoginLockout _lockout;
    private readonly LastLoginStamps _lastLogins;
    private readonly SnapshotRefresh _refresh;
    private readonly IReadOnlyList<IAccountRemoval> _removals;

    /// <summary>The service; <paramref name="removals"/> are what other features remove with an account, in the transaction that deletes it.</summary>
    public AccountService(ServiceDatabase database, IOptions<AccountsOptions> options, TimeProvider time, ILogger<AccountService> logger,
        IEnumerable<IAccountRemoval>? removals = null)
        : this(database, options.Value, time, logger, Argon2Parameters.Owasp, removals)
    {
    }

    /// <summary>For tests: cheaper Argon2 parameters than OWASP's.</summary>
    internal AccountService(ServiceDatabase database, AccountsOptions options, TimeProvider time, ILogger? logger, Argon2Parameters parameters,
        IEnumerable<IAccountRemoval>? removals = null)
    {
        _database = database;
        _removals = [.. removals ?? []];
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _verifier = new PasswordVerifier(parameters, options.MaxConcurrentHashes);
        _cache = new VerificationCache(options.VerificationCacheLifetime, options.VerificationCacheSize);
        _lockout = new LoginLockout(database, options, time, _logger);
        _lastLogins = new LastLoginStamps(database, time, _logger);
        _refresh = new SnapshotRefresh(database, _cache, time, _logger);
    }

    /// <summary>The accounts' tables on the portal's database (in files made before FluentMigrator: "accounts" at version 2).</summary>
    public static DatabaseFeature Feature { get; } = new(typeof(AccountsTables).Assembly, "accounts", 2);

    /// <summary>Whole minutes a person locked out after failed logins waits at most (<see cref="AccountsOptions.LockoutPeriod"/>).</summary>
    public int LockoutMinutes => _lockout.LockoutMinutes;

    /// <summary>Full hash computations so far (Argon2 or PBKDF2), the dummy ones included; cache hits are not counted.</summary>
    internal long FullVerifications => _verifier.FullVerifications;

    internal VerificationCache Cache => _cache;

    internal PasswordHasher Hasher => _verifier.Hasher;

    /// <summary>
    /// A returning user's login answered from memory, without blocking: the same password verified within the cache
    /// lifetime (by its keyed hash), the account's row read at most <see cref="RowFreshness"/> ago and not locked, no
    /// failure on record for the user or the device, and a last login on record (a due stamp is noted for the batch writer,
    /// <see cref="FlushLastLoginsAsync"/>). Null in every other case: then
    /// <see cref="VerifyPasswordAsync"/> decides (and counts a failure). Never answers a rejection, so an unknown user
    /// and a wrong password still take the same (full) path.
    /// </summary>
    public AuthResult? TryVerifyFromMemory(string username, string password, string? callingStationId)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (IsAbsurdlyLong(password))
        {
            return null;
        }

        byte[] secret = PasswordHasher.PasswordBytes(password, out int passwordLength);
        try
        {
            return TryVerifyNormalizedFromMemory(username, secret.AsSpan(0, passwordLength), callingStationId);
        }
        finally
        {
            PasswordHasher.Return(secret, passwordLength);
        }
    }

    /// <summary>
    /// <see cref="TryVerifyFromMemory(string, string, string?)"/> for a password as the gateway sent it, in UTF-8: the
    /// RADIUS receive loop's way, which makes no string of the password. Null also when the bytes are not ASCII (then
    /// the string overload normalises them).
    /// </summary>
    public AuthResult? TryVerifyFromMemory(string username, ReadOnlySpan<byte> password, string? callingStationId) =>
        // ASCII is its own NFKC form: the verification cache's tag is computed over these very bytes.
        System.Text.Ascii.IsValid(password) ? TryVerifyNormalizedFromMemory(username, password, callingStationId) : null;

    private AuthResult? TryVerifyNormalizedFromMemory(string username, ReadOnlySpan<byte> password, string? callingStationId)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (!AccountPolicy.IsValidUsername(username) || password.Length > AccountPolicy.MaxPasswordBytes * 4
            || _lockout.MayHaveFailures(username, callingStationId))
        {
            return null;
        }

        DateTimeOffset now = _time.GetUtcNow();
        _refresh.RefreshSoon(now);
        VerificationCache.AccountSnapshot? account = _cache.MatchRecentNormalized(username, password, now, RowFreshness);
        if (account is null || account.Locked || account.LastLoginMs is null)
        {
            return null;
        }

        long nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs - account.LastLoginMs.Value >= (long)s_lastLoginResolution.TotalMilliseconds)
        {
            // Due again: noted for the batch writer (and in the snapshot, so the next login does not note it again).
            if (_lastLogins.Note(account.Id, nowMs))
            {
                _cache.NoteLogin(username, account, nowMs);
            }
        }

        return AuthResult.Accepted(account.Username);
    }

    /// <summary>Last-login stamps waiting for <see cref="FlushLastLoginsAsync"/>.</summary>
    internal int PendingLastLogins => _lastLogins.Pending;

    /// <summary>
    /// Writes the last-login stamps noted so far in one transaction (a stamp never moves a later one back). The
    /// <see cref="LastLoginWriter"/> calls it every <see cref="LastLoginFlushInterval"/> and at shutdown; reads of this
    /// process (<see cref="FindAsync"/>, <see cref="ListAsync"/>) call it first, so they are never behind. Returns how many
    /// stamps were written. What a cancelled flush leaves is written by the next one, or when this service is disposed.
    /// </summary>
    public Task<int> FlushLastLoginsAsync(CancellationToken cancellationToken = default) =>
        _lastLogins.Pending == 0 ? Task.FromResult(0) : _lastLogins.FlushAsync().WaitAsync(cancellationToken);

    /// <summary>How often the <see cref="LastLoginWriter"/> writes the noted last-login stamps: how late <c>users list</c> may be.</summary>
    internal static TimeSpan LastLoginFlushInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How old the in-memory copy of an account's row may be for <see cref="TryVerifyFromMemory(string, string, string?)"/>: a lock or removal made
    /// by another process (the operators' command line) takes effect within this time; one made here, at once.
    /// </summary>
    internal static TimeSpan RowFreshness { get; } = TimeSpan.FromSeconds(2);

    /// <summary>One round of the snapshot refresh (<see cref="SnapshotRefresh"/>); returns how many snapshots were read again.</summary>
    internal Task<int> RefreshSnapshotsAsync(CancellationToken cancellationToken) => _refresh.RefreshAsync(cancellationToken);

    /// <summary>
    /// Verifies a PAP password. <paramref name="callingStationId"/> is the device's MAC (Calling-Station-Id), used for the
    /// per-device lockout when it parses as one. The password must be what the user typed, PAP padding removed.
    /// </summary>
    public async Task<AuthResult> VerifyPasswordAsync(string username, string password, string? callingStationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        string? stationKey = MacAddress.TryNormalize(callingStationId, out string? mac) ? LoginLockout.StationKey(mac) : null;
        bool validName = AccountPolicy.IsValidUsername(username);
        // The rule for usernames is public: refusing a malformed one at once tells nothing about who exists.
        string? userKey = validName ? LoginLockout.UserKey(username) : null;
        DateTimeOffset now = _time.GetUtcNow();

        (bool lockedOut, bool recentFailures) = await _lockout.FailuresAsync(userKey, stationKey, now, cancellationToken).ConfigureAwait(false);
        if (lockedOut)
        {
            return AuthResult.Rejected(AuthOutcome.Locked);
        }

        if (!validName || IsAbsurdlyLong(password))
        {
            await _lockout.RecordFailureAsync(null, stationKey, cancellationToken).ConfigureAwait(false);
            return AuthResult.Rejected(AuthOutcome.UnknownOrWrong);
        }

        StoredAccount? account = await FindStoredAsync(username, cancellationToken).ConfigureAwait(false);
        bool verified;
        string? hashString = account?.PasswordHash;
        if (account is not null && _cache.Matches(username, password, account.PasswordHash, now))
        {
            verified = true;
            _cache.Refresh(username, account.PasswordHash, account.Snapshot(now));
        }
        else
        {
            bool parsed = PasswordHash.TryParse(account?.PasswordHash, out PasswordHash? hash);
            if (account is not null && !parsed)
            {
                LogUnreadableHash(_logger, account.Username);
            }

            (verified, bool needsRehash) = await _verifier.VerifyAsync(password, parsed ? hash : null, cancellationToken).ConfigureAwait(false);
            verified &= account is not null;
            if (verified && needsRehash)
            {
                hashString = await RehashAsync(account!, password, cancellationToken).ConfigureAwait(false);
            }

            if (verified)
            {
                _cache.Remember(username, password, hashString!, _time.GetUtcNow(), account!.Snapshot(now));
            }
        }

        if (!verified)
        {
            await _lockout.RecordFailureAsync(userKey, stationKey, cancellationToken).ConfigureAwait(false);
            return AuthResult.Rejected(AuthOutcome.UnknownOrWrong);
        }

        if (account!.Locked)
        {
            return AuthResult.Rejected(AuthOutcome.Disabled);
        }

        // Failures to reset: one transaction now (it writes last_login too). Otherwise a due last_login is noted for the
        // batch writer (a returning user costs two reads, no transaction).
        long loginMs = now.ToUnixTimeMilliseconds();
        if (recentFailures)
        {
            await _lockout.RecordSuccessAsync(account.Id, userKey!, stationKey, cancellationToken).ConfigureAwait(false);
            _cache.Refresh(username, hashString!, (account with { LastLoginMs = loginMs }).Snapshot(now));
        }
        else if (account.LastLoginMs is not { } last || loginMs - last >= (long)s_lastLoginResolution.TotalMilliseconds)
        {
            if (_lastLogins.Note(account.Id, loginMs))
            {
                _cache.Refresh(username, hashString!, (account with { LastLoginMs = loginMs }).Snapshot(now));
            }
        }

        return AuthResult.Accepted(account.Username);
    }

    /// <summary>MAC authentication: accepted as the account that remembered this device, unless that account is locked.</summary>
    public async Task<AuthResult> VerifyMacAsync(string mac, CancellationToken cancellationToken = default)
    {
        if (!MacAddress.TryNormalize(mac, out string? normalized))
        {
            return AuthResult.Rejected(AuthOutcome.UnknownOrWrong);
        }

        StoredAccount? owner = await _database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<StoredAccount>(new CommandDefinition(
            $"SELECT {StoredAccount.Columns} FROM account_devices d JOIN accounts a ON a.id = d.account_id WHERE d.mac = @normalized",
            new { normalized }, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);

        if (owner is null)
        {
            return AuthResult.Rejected(AuthOutcome.UnknownOrWrong);
        }

        if (owner.Locked)
        {
            return AuthResult.Rejected(AuthOutcome.Disabled);
        }

        _lastLogins.Note(owner.Id, _time.GetUtcNow().ToUnixTimeMilliseconds());
        return AuthResult.Accepted(owner.Username);
    }

    /// <summary>Creates an account (the portal's "New user", the CLI); the password must pass <see cref="AccountPolicy.CheckPassword"/>.</summary>
    public async Task<AccountChangeResult> CreateAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        if (!AccountPolicy.IsValidUsername(username))
        {
            return AccountChangeResult.UsernameInvalid;
        }

        AccountChangeResult check = AccountPolicy.CheckPassword(username, password);
        if (check != AccountChangeResult.Done)
        {
            return check;
        }

        // Before the hash, so a refusal costs no Argon2 run; the name and its look-alikes in one statement, so an account
        // made meanwhile by another request is seen as the same name, not as a look-alike of it.
        string skeleton = UsernameRules.Skeleton(username);
        if (await _database.ReadAsync(connection => NameClashAsync(connection, null, username, skeleton, cancellationToken), cancellationToken)
            .ConfigureAwait(false) is AccountChangeResult clash)
        {
            return clash;
        }

        string hash = await _verifier.HashAsync(password, cancellationToken).ConfigureAwait(false);
        return await InsertAsync(username, hash, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates an account with a hash made elsewhere, for an operator migrating users: a PHC string of argon2id (v=19),
    /// pbkdf2-sha256 or pbkdf2-sha512. The first successful login rehashes it with the current Argon2id parameters.
    /// </summary>
    public Task<AccountChangeResult> ImportAsync(string username, string passwordHash, CancellationToken cancellationToken = default)
    {
        if (!AccountPolicy.IsValidUsername(username))
        {
            return Task.FromResult(AccountChangeResult.UsernameInvalid);
        }

        return PasswordHash.TryParse(passwordHash, out PasswordHash? parsed)
            ? InsertAsync(username, parsed.ToPhcString(), cancellationToken)
            : Task.FromResult(AccountChangeResult.HashInvalid);
    }

    /// <summary>Sets a new password (the user's own change, an operator's reset); forgets cached verifications.</summary>
    public async Task<AccountChangeResult> SetPasswordAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        if (!AccountPolicy.IsValidUsername(username))
        {
            return AccountChangeResult.NotFound;
        }

        AccountChangeResult check = AccountPolicy.CheckPassword(username, password);
        if (check != AccountChangeResult.Done)
        {
            return check;
        }

        string hash = await _verifier.HashAsync(password, cancellationToken).ConfigureAwait(false);
        int changed = await ExecuteAsync("UPDATE accounts SET password_hash = @hash WHERE username = @username",
            new { username, hash }, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(username);
        return changed == 0 ? AccountChangeResult.NotFound : AccountChangeResult.Done;
    }

    /// <summary>An operator's lock: no login (password or device) until <see cref="UnlockAsync"/>. False when there is no such account.</summary>
    public async Task<bool> LockAsync(string username, CancellationToken cancellationToken = default)
    {
        int changed = await ExecuteAsync("UPDATE accounts SET locked = true WHERE username = @username", new { username }, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(username);
        return changed > 0;
    }

    /// <summary>Lifts an operator's lock and any lockout after failed logins of this username.</summary>
    public async Task<bool> UnlockAsync(string username, CancellationToken cancellationToken = default)
    {
        int changed = await ExecuteAsync("UPDATE accounts SET locked = false WHERE username = @username", new { username }, cancellationToken,
            thenSql: "DELETE FROM login_failures WHERE key = 'user:' || lower(@username)").ConfigureAwait(false);
        return changed > 0;
    }

    /// <summary>Deletes the account and its remembered devices, and what other features keep of it (<see cref="IAccountRemoval"/>), in one transaction.</summary>
    public async Task<bool> RemoveAsync(string username, CancellationToken cancellationToken = default)
    {
        bool removed = await _database.WriteAsync(async (connection, transaction) =>
        {
            long? id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM accounts WHERE username = @username",
                new { username }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (id is not long accountId)
            {
                return false;
            }

            foreach (IAccountRemoval removal in _removals)
            {
                await removal.RemovingAsync(accountId, connection, transaction, cancellationToken).ConfigureAwait(false);
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM accounts WHERE id = @accountId", new { accountId }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM login_failures WHERE key = 'user:' || lower(@username)", new { username },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(username);
        return removed;
    }

    /// <summary>The account's id (what pseudonyms are made of), or null when there is no such account.</summary>
    public Task<long?> IdAsync(string username, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(connection => connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM accounts WHERE username = @username",
            new { username }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>
    /// Remembers a device for MAC authentication, at the owner's request. A device belongs to one account: remembering it
    /// again for another moves it. False when there is no such account; <see cref="ArgumentException"/> when it is not a MAC.
    /// </summary>
    public async Task<bool> RememberDeviceAsync(string username, string mac, CancellationToken cancellationToken = default)
    {
        string normalized = MacAddress.TryNormalize(mac, out string? m) ? m : throw new ArgumentException("Not a MAC address.", nameof(mac));
        int changed = await ExecuteAsync("""
            INSERT INTO account_devices (mac, account_id, remembered_ms)
            SELECT @normalized, id, @now FROM accounts WHERE username = @username
            ON CONFLICT (mac) DO UPDATE SET account_id = excluded.account_id, remembered_ms = excluded.remembered_ms
            """, new { username, normalized, now = _time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken).ConfigureAwait(false);
        return changed > 0;
    }

    /// <summary>Forgets a remembered device of this account.</summary>
    public async Task<bool> ForgetDeviceAsync(string username, string mac, CancellationToken cancellationToken = default)
    {
        if (!MacAddress.TryNormalize(mac, out string? normalized))
        {
            return false;
        }

        int changed = await ExecuteAsync("""
            DELETE FROM account_devices WHERE mac = @normalized AND account_id = (SELECT id FROM accounts WHERE username = @username)
            """, new { username, normalized }, cancellationToken).ConfigureAwait(false);
        return changed > 0;
    }

    public async Task<AccountInfo?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        await FlushLastLoginsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AccountInfo> found = await QueryInfoAsync("WHERE a.username = @username", username, 0, 1, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Accounts by username, a page at a time.</summary>
    public async Task<IReadOnlyList<AccountInfo>> ListAsync(int skip = 0, int take = 1000, CancellationToken cancellationToken = default)
    {
        await FlushLastLoginsAsync(cancellationToken).ConfigureAwait(false);
        return await QueryInfoAsync("", null, skip, take, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _lastLogins.Dispose();
        _verifier.Dispose();
        _cache.Dispose();
    }


    /// <summary>How stale last_login may get before a successful login writes it again (a write per login is the hot path's cost).</summary>
    private static readonly TimeSpan s_lastLoginResolution = TimeSpan.FromMinutes(1);

    private static bool IsAbsurdlyLong(string password) => password.Length > AccountPolicy.MaxPasswordBytes * 4;

    private async Task<string> RehashAsync(StoredAccount account, string password, CancellationToken cancellationToken)
    {
        string fresh = await _verifier.HashAsync(password, cancellationToken).ConfigureAwait(false);
        // Only if nobody changed the password meanwhile.
        int changed = await _database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET password_hash = @fresh WHERE id = @id AND password_hash = @old",
            new { fresh, id = account.Id, old = account.PasswordHash }, transaction, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        if (changed > 0)
        {
            LogRehashed(_logger, account.Username);
            return fresh;
        }

        return account.PasswordHash;
    }

    private Task<StoredAccount?> FindStoredAsync(string username, CancellationToken cancellationToken) =>
        _database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<StoredAccount>(new CommandDefinition(
            $"SELECT {StoredAccount.Columns} FROM accounts a WHERE a.username = @username", new { username }, cancellationToken: cancellationToken)),
            cancellationToken);

    /// <summary>
    /// Whether an account with the same <see cref="UsernameRules.Skeleton"/> exists (<c>rnarie</c> for <c>marie</c>): a read,
    /// so a refusal costs no hash. <see cref="InsertAsync"/> checks again in its transaction, which decides.
    /// </summary>
    public Task<bool> LookAlikeExistsAsync(string username, CancellationToken cancellationToken = default)
    {
        string skeleton = UsernameRules.Skeleton(username);
        return _database.ReadAsync(connection => SkeletonTakenAsync(connection, null, skeleton, cancellationToken), cancellationToken);
    }

    // The name's skeleton is checked and written in the transaction that inserts the row. On SQLite a write transaction
    // holds the file's write lock (BEGIN IMMEDIATE), so two processes cannot both create look-alikes at the same moment; on
    // PostgreSQL the transaction first takes a transaction-scoped advisory lock on the skeleton, which serialises the
    // creation of look-alikes across nodes the same way (the check and the insert are two statements).
    private async Task<AccountChangeResult> InsertAsync(string username, string hash, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string skeleton = UsernameRules.Skeleton(username);
        AccountChangeResult result = await _database.WriteAsync(async (connection, transaction) =>
        {
            if (_database.Engine == DatabaseEngine.PostgreSql)
            {
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@skeleton, 15))",
                    new { skeleton }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            await FillSkeletonsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (await NameClashAsync(connection, transaction, username, skeleton, cancellationToken).ConfigureAwait(false) is AccountChangeResult clash)
            {
                return clash;
            }

            int inserted = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO accounts (username, password_hash, created_ms, skeleton) VALUES (@username, @hash, @now, @skeleton)
                ON CONFLICT (username) DO NOTHING
                """, new { username, hash, now, skeleton }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return inserted == 0 ? AccountChangeResult.UsernameTaken : AccountChangeResult.Done;
        }, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(username);
        return result;
    }

    /// <summary>Taken when the name is an account's, a look-alike when only its skeleton is; null when it is free.</summary>
    private static async Task<AccountChangeResult?> NameClashAsync(DbConnection connection, DbTransaction? transaction, string username, string skeleton,
        CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT max(CASE WHEN username = @username THEN 2 ELSE 1 END) FROM accounts WHERE username = @username OR skeleton = @skeleton",
            new { username, skeleton }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) switch
        {
            2 => AccountChangeResult.UsernameTaken,
            1 => AccountChangeResult.UsernameLookAlike,
            _ => null,
        };

    private static async Task<bool> SkeletonTakenAsync(DbConnection connection, DbTransaction? transaction, string skeleton, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT 1 FROM accounts WHERE skeleton = @skeleton LIMIT 1",
            new { skeleton }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;

    // Gives the rows without a skeleton (made before the column existed, or by an older version) theirs.
    private static async Task FillSkeletonsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        IEnumerable<(long Id, string Username)> missing = await connection.QueryAsync<(long, string)>(new CommandDefinition(
            "SELECT id, username FROM accounts WHERE skeleton IS NULL", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach ((long id, string name) in missing)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE accounts SET skeleton = @skeleton WHERE id = @id",
                new { id, skeleton = UsernameRules.Skeleton(name) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    // Runs sql (its row count is the result), then thenSql, in one transaction, with the parameters bound.
    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken, string? thenSql = null) =>
        _database.WriteAsync(async (connection, transaction) =>
        {
            int changed = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (thenSql is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(thenSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            return changed;
        }, cancellationToken);

    private Task<IReadOnlyList<AccountInfo>> QueryInfoAsync(string where, string? username, int skip, int take, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string devices = _database.Dialect("group_concat(d.mac, ' ')", "string_agg(d.mac, ' ')");
        return _database.ReadAsync<IReadOnlyList<AccountInfo>>(async connection =>
        {
            IEnumerable<InfoRow> rows = await connection.QueryAsync<InfoRow>(new CommandDefinition($"""
                SELECT a.username, a.created_ms AS createdms, a.last_login_ms AS lastloginms, a.locked, a.password_hash AS passwordhash,
                       CASE WHEN f.expires_ms > @now THEN f.failures ELSE 0 END AS failures,
                       CASE WHEN f.locked_until_ms > @now THEN f.locked_until_ms END AS lockeduntilms,
                       (SELECT {devices} FROM account_devices d WHERE d.account_id = a.id) AS devices
                FROM accounts a LEFT JOIN login_failures f ON f.key = 'user:' || lower(a.username)
                {where}
                ORDER BY a.username LIMIT @take OFFSET @skip
                """, new { now, take, skip, username }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(row => new AccountInfo(
                row.Username,
                DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedMs),
                row.LastLoginMs is long last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null,
                row.Locked,
                (int)(row.Failures ?? 0),
                row.LockedUntilMs is long until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null,
                PasswordHash.TryParse(row.PasswordHash, out PasswordHash? hash) ? hash.Algorithm : null,
                row.Devices is null ? [] : [.. row.Devices.Split(' ').Order(StringComparer.Ordinal)]))];
        }, cancellationToken);
    }

    /// <summary>A row of <see cref="QueryInfoAsync"/> (properties, so Dapper converts SQLite's integers to the booleans PostgreSQL has).</summary>
    private sealed class InfoRow
    {
        public string Username { get; init; } = "";
        public long CreatedMs { get; init; }
        public long? LastLoginMs { get; init; }
        public bool Locked { get; init; }
        public string PasswordHash { get; init; } = "";
        public long? Failures { get; init; }
        public long? LockedUntilMs { get; init; }
        public string? Devices { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password hash of {Username} upgraded to the current Argon2id parameters")]
    private static partial void LogRehashed(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored password hash of {Username} is not readable; login refused")]
    private static partial void LogUnreadableHash(ILogger logger, string username);
}
