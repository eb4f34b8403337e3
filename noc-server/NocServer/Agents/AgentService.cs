using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Network.Storage;

namespace Network.Noc.Agents;

/// <summary>An agent id or token that cannot be used.</summary>
public sealed class AgentException(string message) : Exception(message);

/// <summary>An agent as admins see it: never its token.</summary>
public sealed record AgentInfo(string Id, string? Site, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, long LastSequence);

/// <summary>
/// The agents allowed to ingest (edge agents, the portal's virtual agent). A token is 32 random bytes, shown once;
/// only its SHA-256 is stored. A fast hash is right here, unlike for passwords: the token has 256 bits of entropy, so
/// there is nothing to guess, and every ingest call checks it. Lookups come from an in-memory map of hashes, so a
/// check costs one SHA-256 and no disk read; revoking rebuilds the map at once. While a token is rotated an agent has
/// two: its current one and the next one, both accepted until the rotation is finished (so an agent never gets a 401
/// between the NOC learning its new token and the agent using it).
/// </summary>
public sealed partial class AgentService(SqliteDatabase database, TimeProvider time)
{
    public const int MinTokenLength = 24;
    public const int MaxTokenLength = 256;

    public static readonly SqliteSchema Schema = new("agents",
    [
        """
        CREATE TABLE agents (
            id TEXT NOT NULL PRIMARY KEY,
            site_id TEXT,
            token_sha256 BLOB NOT NULL UNIQUE,
            created_ms INTEGER NOT NULL,
            revoked_ms INTEGER,
            last_sequence INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        """,
        "ALTER TABLE agents ADD COLUMN next_token_sha256 BLOB;",
    ]);

    private volatile FrozenDictionary<string, string> _byTokenHash = FrozenDictionary<string, string>.Empty;
    private readonly Lock _reloadLock = new();
    private Task? _scheduledReload;
    private long _lastReloadStart;

    /// <summary>Reads the active tokens into memory.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _byTokenHash = await database.ReadAsync(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null,
                "SELECT id, token_sha256, next_token_sha256 FROM agents WHERE revoked_ms IS NULL;");
            using SqliteDataReader reader = command.ExecuteReader();
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                map[Convert.ToHexString((byte[])reader.GetValue(1))] = reader.GetString(0);
                if (!reader.IsDBNull(2))
                {
                    map[Convert.ToHexString((byte[])reader.GetValue(2))] = reader.GetString(0);
                }
            }

            return map.ToFrozenDictionary(StringComparer.Ordinal);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The agent a bearer token belongs to, or null (unknown or revoked). A token not in memory waits for the map to be
    /// read again by a read that starts after it arrived; reads start at most once a second, and every token that misses
    /// meanwhile waits for the same one. So an agent made from the command line while the NOC runs is known within a
    /// second, even when another new agent's first call has just caused a read, and a flood of wrong tokens costs one
    /// small read a second (and each wrong token up to a second's wait).
    /// </summary>
    public async ValueTask<string?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length is < MinTokenLength or > MaxTokenLength)
        {
            return null;
        }

        string hash = Hash(token);
        if (_byTokenHash.GetValueOrDefault(hash) is string agent)
        {
            return agent;
        }

        await ReloadStartingAfterNowAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return _byTokenHash.GetValueOrDefault(hash);
    }

    /// <summary>
    /// A read of the map that has not started yet: the one already scheduled, or a new one, at least a second after the
    /// last read started.
    /// </summary>
    private Task ReloadStartingAfterNowAsync()
    {
        lock (_reloadLock)
        {
            if (_scheduledReload is { } scheduled)
            {
                return scheduled;
            }

            TimeSpan wait = _lastReloadStart == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(1) - time.GetElapsedTime(_lastReloadStart);
            if (wait > TimeSpan.Zero)
            {
                // Task.Delay with a positive wait never finishes inline, so the field is set before the delayed read clears it.
                _scheduledReload = ReloadAfterAsync(wait);
                return _scheduledReload;
            }

            _lastReloadStart = time.GetTimestamp();
        }

        return LoadAsync(CancellationToken.None);
    }

    private async Task ReloadAfterAsync(TimeSpan wait)
    {
        await Task.Delay(wait, time).ConfigureAwait(false);
        lock (_reloadLock)
        {
            _scheduledReload = null;
            _lastReloadStart = time.GetTimestamp();
        }

        await LoadAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates an agent and returns its token: a new random one, or <paramref name="token"/> when an operator brings
    /// one (generated by the deployment, as ansible does). Fails when the id exists.
    /// </summary>
    public async Task<string> CreateAsync(string id, string? site, string? token, CancellationToken cancellationToken)
    {
        if (!IdPattern().IsMatch(id))
        {
            throw new AgentException("an agent id is 1 to 64 letters, digits, dots, dashes and underscores");
        }

        token ??= "noc_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        CheckToken(token);

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        bool created = await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO agents (id, site_id, token_sha256, created_ms) VALUES ($id, $site, $hash, $now) ON CONFLICT DO NOTHING;
                """);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$site", (object?)site ?? DBNull.Value);
            command.Parameters.AddWithValue("$hash", Convert.FromHexString(Hash(token)));
            command.Parameters.AddWithValue("$now", now);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            throw new AgentException($"agent '{id}' exists (or that token is taken): revoke it first");
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>
    /// Starts rotating an active agent's token: <paramref name="token"/> is accepted besides the current one until
    /// <see cref="FinishRotationAsync"/>. Giving the same next token again changes nothing; a token in use by another
    /// agent is refused. False when there is no such active agent.
    /// </summary>
    public async Task<bool> BeginRotationAsync(string id, string token, CancellationToken cancellationToken)
    {
        CheckToken(token);
        byte[] hash = Convert.FromHexString(Hash(token));
        bool? begun = await database.WriteAsync<bool?>((connection, transaction) =>
        {
            using SqliteCommand taken = SqliteDatabase.Command(connection, transaction, """
                SELECT 1 FROM agents WHERE id <> $id AND (token_sha256 = $hash OR next_token_sha256 = $hash);
                """);
            taken.Parameters.AddWithValue("$id", id);
            taken.Parameters.AddWithValue("$hash", hash);
            if (taken.ExecuteScalar() is not null)
            {
                return null;
            }

            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
                UPDATE agents SET next_token_sha256 = CASE WHEN token_sha256 = $hash THEN NULL ELSE $hash END
                WHERE id = $id AND revoked_ms IS NULL;
                """);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$hash", hash);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
        if (begun is null)
        {
            throw new AgentException("that token is taken by another agent");
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return begun.Value;
    }

    /// <summary>
    /// Finishes a rotation: the next token becomes the agent's only token, the old one is refused from now on.
    /// False when the agent has no rotation under way (finished already, or never begun).
    /// </summary>
    public async Task<bool> FinishRotationAsync(string id, CancellationToken cancellationToken)
    {
        bool finished = await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
                UPDATE agents SET token_sha256 = next_token_sha256, next_token_sha256 = NULL
                WHERE id = $id AND revoked_ms IS NULL AND next_token_sha256 IS NOT NULL;
                """);
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return finished;
    }

    /// <summary>Revokes an agent's token (the agent stays listed); false when there is no such active agent.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        bool revoked = await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
                UPDATE agents SET revoked_ms = $now, token_sha256 = randomblob(32), next_token_sha256 = NULL WHERE id = $id AND revoked_ms IS NULL;
                """);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$now", now);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>Deletes a revoked agent so its id can be created again; false when there is none or it is still active.</summary>
    public Task<bool> DeleteRevokedAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, "DELETE FROM agents WHERE id = $id AND revoked_ms IS NOT NULL;");
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>Every agent, by id.</summary>
    public Task<IReadOnlyList<AgentInfo>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AgentInfo>>(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT id, site_id, created_ms, revoked_ms, last_sequence FROM agents ORDER BY id;");
            using SqliteDataReader reader = command.ExecuteReader();
            var agents = new List<AgentInfo>();
            while (reader.Read())
            {
                agents.Add(new AgentInfo(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.GetInt64(4)));
            }

            return agents;
        }, cancellationToken);

    /// <summary>The last batch sequence stored per agent (ingest's duplicate check starts from these).</summary>
    public Task<Dictionary<string, long>> LastSequencesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT id, last_sequence FROM agents;");
            using SqliteDataReader reader = command.ExecuteReader();
            var map = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read())
            {
                map[reader.GetString(0)] = reader.GetInt64(1);
            }

            return map;
        }, cancellationToken);

    /// <summary>Records the highest sequence stored per agent, in one transaction.</summary>
    public Task SaveSequencesAsync(IReadOnlyDictionary<string, long> sequences, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction,
                "UPDATE agents SET last_sequence = max(last_sequence, $sequence) WHERE id = $id;");
            SqliteParameter idParameter = command.Parameters.Add("$id", SqliteType.Text);
            SqliteParameter sequenceParameter = command.Parameters.Add("$sequence", SqliteType.Integer);
            foreach ((string id, long sequence) in sequences)
            {
                idParameter.Value = id;
                sequenceParameter.Value = sequence;
                command.ExecuteNonQuery();
            }

            return sequences.Count;
        }, cancellationToken);

    private static void CheckToken(string token)
    {
        if (token.Length is < MinTokenLength or > MaxTokenLength || token.Any(char.IsWhiteSpace))
        {
            throw new AgentException($"a token is {MinTokenLength} to {MaxTokenLength} characters without spaces");
        }
    }

    private static string Hash(ReadOnlySpan<char> token)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(MaxTokenLength)];
        int length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexString(hash);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
