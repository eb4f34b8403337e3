using Network.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// The hotspot users' accounts: create, verify a password or a remembered device, lock, unlock, remove, list, with their
/// rows in <see cref="SqliteDatabase"/>. A login goes through the parts that each do one job: <see cref="PasswordVerifier"/>
/// (hashing, rehash on login), <see cref="LoginLockout"/> (failures and lockout), <see cref="VerificationCache"/> (the
/// in-memory fast path, its snapshots read again here) and <see cref="LastLoginStamps"/> (last-login stamps, batched).
/// Thread-safe; one instance per process.
/// </summary>
public sealed partial class AccountService : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PasswordVerifier _verifier;
    private readonly VerificationCache _cache;
    private readonly LoginLockout _lockout;
    private readonly LastLoginStamps _lastLogins;
    private readonly SnapshotRefresh _refresh;

    public AccountService(SqliteDatabase database, IOptions<AccountsOptions> options, TimeProvider time, ILogger<AccountService> logger)
        : this(database, options.Value, time, logger, Argon2Parameters.Owasp)
    {
    }

    /// <summary>For tests: cheaper Argon2 parameters than OWASP's.</summary>
    internal AccountService(SqliteDatabase database, AccountsOptions options, TimeProvider time, ILogger? logger, Argon2Parameters parameters)
    {
        _database = database;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _verifier = new PasswordVerifier(parameters, options.MaxConcurrentHashes);
        _cache = new VerificationCache(options.VerificationCacheLifetime, options.VerificationCacheSize);
        _lockout = new LoginLockout(database, options, time, _logger);
        _lastLogins = new LastLoginStamps(database, time, _logger);
        _refresh = new SnapshotRefresh(database, _cache, time, _logger);
    }

    /// <summary>The schema of the accounts feature, registered with <see cref="SqliteDatabase"/>.</summary>
    public static SqliteSchema Schema { get; } = new("accounts",
    [
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL COLLATE NOCASE UNIQUE,
            password_hash TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            last_login_ms INTEGER,
            locked INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE TABLE account_devices (
            mac TEXT NOT NULL PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            remembered_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX account_devices_account ON account_devices (account_id);
        -- Consecutive failures per 'user:<lower-case username>' (known or not) and per 'station:<MAC>'.
        CREATE TABLE login_failures (
            key TEXT NOT NULL PRIMARY KEY,
            failures INTEGER NOT NULL,
            window_start_ms INTEGER NOT NULL,
            locked_until_ms INTEGER,
            expires_ms INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX login_failures_expiry ON login_failures (expires_ms);
        """,
        // The look-alike check reads the accounts themselves, so every account takes part however it was made (the
        // portal's sign-up, the command line, an import, in this process or another). Rows written before this column
        // (or by an older version) have no skeleton yet: the next account created fills them in (FillSkeletons).
        """
        ALTER TABLE accounts ADD COLUMN skeleton TEXT;
        CREATE INDEX accounts_skeleton ON accounts (skeleton);
        """,
    ]);

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

        (long Id, string Username, bool Locked)? owner = await _database.ReadAsync(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, """
                SELECT a.id, a.username, a.locked FROM account_devices d JOIN accounts a ON a.id = d.account_id WHERE d.mac = $mac;
                """);
            command.Parameters.AddWithValue("$mac", normalized);
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2) != 0) : ((long, string, bool)?)null;
        }, cancellationToken).ConfigureAwait(false);

        if (owner is null)
        {
            return AuthResult.Rejected(AuthOutcome.UnknownOrWrong);
        }

        if (owner.Value.Locked)
        {
            return AuthResult.Rejected(AuthOutcome.Disabled);
        }

        _lastLogins.Note(owner.Value.Id, _time.GetUtcNow().ToUnixTimeMilliseconds());
        return AuthResult.Accepted(owner.Value.Username);
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

        if (await FindStoredAsync(username, cancellationToken).ConfigureAwait(false) is not null)
        {
            return AccountChangeResult.UsernameTaken;
        }

        if (await LookAlikeExistsAsync(username, cancellationToken).ConfigureAwait(false))
        {
            return AccountChangeResult.UsernameLookAlike; // before the hash: a refusal costs no Argon2 run
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
        int changed = await ExecuteAsync("UPDATE accounts SET password_hash = $hash WHERE username = $username;",
            username, cancellationToken, parameters: [("$hash", hash)]).ConfigureAwait(false);
        _cache.Invalidate(username);
        return changed == 0 ? AccountChangeResult.NotFound : AccountChangeResult.Done;
    }

    /// <summary>An operator's lock: no login (password or device) until <see cref="UnlockAsync"/>. False when there is no such account.</summary>
    public async Task<bool> LockAsync(string username, CancellationToken cancellationToken = default)
    {
        int changed = await ExecuteAsync("UPDATE accounts SET locked = 1 WHERE username = $username;", username, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(username);
        return changed > 0;
    }

    /// <summary>Lifts an operator's lock and any lockout after failed logins of this username.</summary>
    public async Task<bool> UnlockAsync(string username, CancellationToken cancellationToken = default)
    {
        int changed = await ExecuteAsync("UPDATE accounts SET locked = 0 WHERE username = $username;", username, cancellationToken,
            thenSql: "DELETE FROM login_failures WHERE key = 'user:' || lower($username);").ConfigureAwait(false);
        return changed > 0;
    }

    /// <summary>Deletes the account and its remembered devices.</summary>
    public async Task<bool> RemoveAsync(string username, CancellationToken cancellationToken = default)
    {
        int changed = await ExecuteAsync("DELETE FROM accounts WHERE username = $username;", username, cancellationToken,
            thenSql: "DELETE FROM login_failures WHERE key = 'user:' || lower($username);").ConfigureAwait(false);
        _cache.Invalidate(username);
        return changed > 0;
    }

    /// <summary>
    /// Remembers a device for MAC authentication, at the owner's request. A device belongs to one account: remembering it
    /// again for another moves it. False when there is no such account; <see cref="ArgumentException"/> when it is not a MAC.
    /// </summary>
    public async Task<bool> RememberDeviceAsync(string username, string mac, CancellationToken cancellationToken = default)
    {
        string normalized = MacAddress.TryNormalize(mac, out string? m) ? m : throw new ArgumentException("Not a MAC address.", nameof(mac));
        int changed = await ExecuteAsync("""
            INSERT INTO account_devices (mac, account_id, remembered_ms)
            SELECT $mac, id, $now FROM accounts WHERE username = $username
            ON CONFLICT (mac) DO UPDATE SET account_id = excluded.account_id, remembered_ms = excluded.remembered_ms;
            """, username, cancellationToken, parameters: [("$mac", normalized), ("$now", _time.GetUtcNow().ToUnixTimeMilliseconds())]).ConfigureAwait(false);
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
            DELETE FROM account_devices WHERE mac = $mac AND account_id = (SELECT id FROM accounts WHERE username = $username);
            """, username, cancellationToken, parameters: [("$mac", normalized)]).ConfigureAwait(false);
        return changed > 0;
    }

    public async Task<AccountInfo?> FindAsync(string username, CancellationToken cancellationToken = default)
    {
        await FlushLastLoginsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AccountInfo> found = await QueryInfoAsync("WHERE a.username = $username", username, 0, 1, cancellationToken).ConfigureAwait(false);
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
        int changed = await _database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction,
                "UPDATE accounts SET password_hash = $fresh WHERE id = $id AND password_hash = $old;");
            command.Parameters.AddWithValue("$fresh", fresh);
            command.Parameters.AddWithValue("$id", account.Id);
            command.Parameters.AddWithValue("$old", account.PasswordHash);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        if (changed > 0)
        {
            LogRehashed(_logger, account.Username);
            return fresh;
        }

        return account.PasswordHash;
    }

    private Task<StoredAccount?> FindStoredAsync(string username, CancellationToken cancellationToken) =>
        _database.ReadAsync(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null,
                $"SELECT {StoredAccount.Columns} FROM accounts WHERE username = $username;");
            command.Parameters.AddWithValue("$username", username);
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? StoredAccount.Read(reader) : null;
        }, cancellationToken);

    /// <summary>
    /// Whether an account with the same <see cref="UsernameRules.Skeleton"/> exists (<c>rnarie</c> for <c>marie</c>): a read,
    /// so a refusal costs no hash. <see cref="InsertAsync"/> checks again in its transaction, which decides.
    /// </summary>
    public Task<bool> LookAlikeExistsAsync(string username, CancellationToken cancellationToken = default)
    {
        string skeleton = UsernameRules.Skeleton(username);
        return _database.ReadAsync(connection => SkeletonTaken(connection, null, skeleton), cancellationToken);
    }

    // The name's skeleton is checked and written in the transaction that inserts the row: a write transaction holds the
    // file's write lock (BEGIN IMMEDIATE), so two processes cannot both create look-alikes at the same moment.
    private async Task<AccountChangeResult> InsertAsync(string username, string hash, CancellationToken cancellationToken)
    {
        long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string skeleton = UsernameRules.Skeleton(username);
        AccountChangeResult result = await _database.WriteAsync((connection, transaction) =>
        {
            FillSkeletons(connection, transaction);
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO accounts (username, password_hash, created_ms, skeleton) VALUES ($username, $hash, $now, $skeleton)
                ON CONFLICT (username) DO NOTHING;
                """);
            command.Parameters.AddWithValue("$username", username);
            command.Parameters.AddWithValue("$hash", hash);
            command.Parameters.AddWithValue("$now", nowMs);
            command.Parameters.AddWithValue("$skeleton", skeleton);
            if (SkeletonTaken(connection, transaction, skeleton))
            {
                using SqliteCommand same = SqliteDatabase.Command(connection, transaction, "SELECT 1 FROM accounts WHERE username = $username;");
                same.Parameters.AddWithValue("$username", username);
                return same.ExecuteScalar() is null ? AccountChangeResult.UsernameLookAlike : AccountChangeResult.UsernameTaken;
            }

            return command.ExecuteNonQuery() == 0 ? AccountChangeResult.UsernameTaken : AccountChangeResult.Done;
        }, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(username);
        return result;
    }

    private static bool SkeletonTaken(SqliteConnection connection, SqliteTransaction? transaction, string skeleton)
    {
        using SqliteCommand command = SqliteDatabase.Command(connection, transaction, "SELECT 1 FROM accounts WHERE skeleton = $skeleton LIMIT 1;");
        command.Parameters.AddWithValue("$skeleton", skeleton);
        return command.ExecuteScalar() is not null;
    }

    // Gives the rows without a skeleton (made before the column existed, or by an older version) theirs.
    private static void FillSkeletons(SqliteConnection connection, SqliteTransaction transaction)
    {
        var missing = new List<(long Id, string Username)>();
        using (SqliteCommand find = SqliteDatabase.Command(connection, transaction, "SELECT id, username FROM accounts WHERE skeleton IS NULL;"))
        using (SqliteDataReader reader = find.ExecuteReader())
        {
            while (reader.Read())
            {
                missing.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        using SqliteCommand update = SqliteDatabase.Command(connection, transaction, "UPDATE accounts SET skeleton = $skeleton WHERE id = $id;");
        SqliteParameter id = update.Parameters.Add("$id", SqliteType.Integer);
        SqliteParameter value = update.Parameters.Add("$skeleton", SqliteType.Text);
        foreach ((long rowId, string name) in missing)
        {
            id.Value = rowId;
            value.Value = UsernameRules.Skeleton(name);
            update.ExecuteNonQuery();
        }
    }

    // Runs sql (its row count is the result), then thenSql, in one transaction, with $username and the parameters bound.
    private Task<int> ExecuteAsync(string sql, string username, CancellationToken cancellationToken,
        string? thenSql = null, (string Name, object Value)[]? parameters = null) =>
        _database.WriteAsync((connection, transaction) =>
        {
            int changed = Run(sql);
            if (thenSql is not null)
            {
                Run(thenSql);
            }

            return changed;

            int Run(string text)
            {
                using SqliteCommand command = SqliteDatabase.Command(connection, transaction, text);
                command.Parameters.AddWithValue("$username", username);
                foreach ((string name, object value) in parameters ?? [])
                {
                    command.Parameters.AddWithValue(name, value);
                }

                return command.ExecuteNonQuery();
            }
        }, cancellationToken);

    private Task<IReadOnlyList<AccountInfo>> QueryInfoAsync(string where, string? username, int skip, int take, CancellationToken cancellationToken)
    {
        long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return _database.ReadAsync<IReadOnlyList<AccountInfo>>(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, $"""
                SELECT a.username, a.created_ms, a.last_login_ms, a.locked, a.password_hash,
                       CASE WHEN f.expires_ms > $now THEN f.failures ELSE 0 END,
                       CASE WHEN f.locked_until_ms > $now THEN f.locked_until_ms END,
                       (SELECT group_concat(d.mac, ' ') FROM account_devices d WHERE d.account_id = a.id)
                FROM accounts a LEFT JOIN login_failures f ON f.key = 'user:' || lower(a.username)
                {where}
                ORDER BY a.username LIMIT $take OFFSET $skip;
                """);
            command.Parameters.AddWithValue("$now", nowMs);
            command.Parameters.AddWithValue("$take", take);
            command.Parameters.AddWithValue("$skip", skip);
            if (username is not null)
            {
                command.Parameters.AddWithValue("$username", username);
            }

            var accounts = new List<AccountInfo>();
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                accounts.Add(new AccountInfo(
                    reader.GetString(0),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    reader.GetInt64(3) != 0,
                    reader.IsDBNull(5) ? 0 : reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                    PasswordHash.TryParse(reader.GetString(4), out PasswordHash? hash) ? hash.Algorithm : null,
                    reader.IsDBNull(7) ? [] : [.. reader.GetString(7).Split(' ').Order(StringComparer.Ordinal)]));
            }

            return accounts;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password hash of {Username} upgraded to the current Argon2id parameters")]
    private static partial void LogRehashed(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored password hash of {Username} is not readable; login refused")]
    private static partial void LogUnreadableHash(ILogger logger, string username);
}
