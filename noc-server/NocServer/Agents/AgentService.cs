using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using FluentMigrator;
using Network.Storage;

namespace Network.Noc.Agents;

/// <summary>An agent id or token that cannot be used.</summary>
public sealed class AgentException(string message) : Exception(message);

/// <summary>
/// The agents and their token hashes (in files made before FluentMigrator: the "agents" feature at version 2, the
/// second adding <c>next_token_sha256</c>).
/// </summary>
[Migration(2026120721, "NOC agents")]
public sealed class AgentsTable : ServiceMigration
{
    public override void Up()
    {
        CreateTableIfAbsent("agents")?
            .WithColumn("id").AsString().NotNullable().PrimaryKey()
            .WithColumn("site_id").AsString().Nullable()
            .WithColumn("token_sha256").AsBinary().NotNullable().Unique("agents_token_sha256")
            .WithColumn("created_ms").AsInt64().NotNullable()
            .WithColumn("revoked_ms").AsInt64().Nullable()
            .WithColumn("last_sequence").AsInt64().NotNullable().WithDefaultValue(0)
            .WithColumn("next_token_sha256").AsBinary().Nullable();
    }
}

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
public sealed partial class AgentService(ServiceDatabase database, TimeProvider time)
{
    public const int MinTokenLength = 24;
    public const int MaxTokenLength = 256;

    /// <summary>The agents' table on the NOC's database.</summary>
    public static readonly DatabaseFeature Feature = new(typeof(AgentsTable).Assembly, "agents", 2);

    private volatile FrozenDictionary<string, string> _byTokenHash = FrozenDictionary<string, string>.Empty;
    private readonly Lock _reloadLock = new();
    private Task? _scheduledReload;
    private long _lastReloadStart;

    /// <summary>Reads the active tokens into memory.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        IEnumerable<TokenRow> rows = await database.ReadAsync(connection => connection.QueryAsync<TokenRow>(new CommandDefinition(
            "SELECT id AS Id, token_sha256 AS Token, next_token_sha256 AS Next FROM agents WHERE revoked_ms IS NULL",
            cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (TokenRow row in rows)
        {
            map[Convert.ToHexString(row.Token)] = row.Id;
            if (row.Next is not null)
            {
                map[Convert.ToHexString(row.Next)] = row.Id;
            }
        }

        _byTokenHash = map.ToFrozenDictionary(StringComparer.Ordinal);
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
        byte[] hash = Convert.FromHexString(Hash(token));
        bool created = await database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO agents (id, site_id, token_sha256, created_ms) VALUES (@id, @site, @hash, @now) ON CONFLICT DO NOTHING",
            new { id, site, hash, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1, cancellationToken).ConfigureAwait(false);
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
        bool? begun = await database.WriteAsync<bool?>(async (connection, transaction) =>
        {
            // The unique key on token_sha256 refuses a current token taken meanwhile; this check also covers next tokens.
            if (await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "SELECT 1 FROM agents WHERE id <> @id AND (token_sha256 = @hash OR next_token_sha256 = @hash)",
                new { id, hash }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null)
            {
                return null;
            }

            return await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE agents SET next_token_sha256 = CASE WHEN token_sha256 = @hash THEN NULL ELSE @hash END
                WHERE id = @id AND revoked_ms IS NULL
                """, new { id, hash }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
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
        bool finished = await database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE agents SET token_sha256 = next_token_sha256, next_token_sha256 = NULL
            WHERE id = @id AND revoked_ms IS NULL AND next_token_sha256 IS NOT NULL
            """, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return finished;
    }

    /// <summary>Revokes an agent's token (the agent stays listed); false when there is no such active agent.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // The token's hash is overwritten with random bytes (the column is unique and required), so the old token matches nothing.
        byte[] noToken = RandomNumberGenerator.GetBytes(SHA256.HashSizeInBytes);
        bool revoked = await database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE agents SET revoked_ms = @now, token_sha256 = @noToken, next_token_sha256 = NULL WHERE id = @id AND revoked_ms IS NULL",
            new { id, now, noToken }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>Deletes a revoked agent so its id can be created again; false when there is none or it is still active.</summary>
    public Task<bool> DeleteRevokedAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM agents WHERE id = @id AND revoked_ms IS NOT NULL", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1,
            cancellationToken);

    /// <summary>Every agent, by id.</summary>
    public async Task<IReadOnlyList<AgentInfo>> ListAsync(CancellationToken cancellationToken)
    {
        IEnumerable<AgentRow> rows = await database.ReadAsync(connection => connection.QueryAsync<AgentRow>(new CommandDefinition(
            "SELECT id AS Id, site_id AS Site, created_ms AS CreatedMs, revoked_ms AS RevokedMs, last_sequence AS LastSequence FROM agents ORDER BY id",
            cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new AgentInfo(r.Id, r.Site, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedMs),
            r.RevokedMs is long revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null, r.LastSequence))];
    }

    /// <summary>The last batch sequence stored per agent (ingest's duplicate check starts from these).</summary>
    public async Task<Dictionary<string, long>> LastSequencesAsync(CancellationToken cancellationToken)
    {
        IEnumerable<AgentRow> rows = await database.ReadAsync(connection => connection.QueryAsync<AgentRow>(new CommandDefinition(
            "SELECT id AS Id, last_sequence AS LastSequence FROM agents", cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.LastSequence, StringComparer.Ordinal);
    }

    /// <summary>
    /// Records the highest sequence stored per agent, in one transaction. Each update only ever raises the number, in one
    /// statement, so two NOC nodes storing batches of one agent at once keep the higher.
    /// </summary>
    public Task SaveSequencesAsync(IReadOnlyDictionary<string, long> sequences, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE agents SET last_sequence = @Sequence WHERE id = @Id AND last_sequence < @Sequence",
            sequences.Select(s => new SequenceRow(s.Key, s.Value)), transaction, cancellationToken: cancellationToken)), cancellationToken);

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

    private sealed record SequenceRow(string Id, long Sequence);

    private sealed class TokenRow
    {
        public string Id { get; set; } = "";

        public byte[] Token { get; set; } = [];

        public byte[]? Next { get; set; }
    }

    private sealed class AgentRow
    {
        public string Id { get; set; } = "";

        public string? Site { get; set; }

        public long CreatedMs { get; set; }

        public long? RevokedMs { get; set; }

        public long LastSequence { get; set; }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
