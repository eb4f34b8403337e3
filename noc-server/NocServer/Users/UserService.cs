using Dapper;
using FluentMigrator;
using Microsoft.AspNetCore.Identity;
using Network.Storage;

namespace Network.Noc.Users;

/// <summary>A user name that cannot be used, with the reason.</summary>
public sealed class UserException(string message) : Exception(message);

/// <summary>The users' table (in files made before FluentMigrator: the "users" feature at version 1).</summary>
[Migration(2026120701, "NOC users")]
public sealed class UsersTable : ServiceMigration
{
    public override void Up()
    {
        EnsureCaseInsensitiveText();
        CreateTableIfAbsent("users")?
            .WithColumn("name").AsCustom(CaseInsensitiveText).NotNullable().PrimaryKey()
            .WithColumn("role").AsString().NotNullable()
            .WithColumn("password_hash").AsString().NotNullable()
            .WithColumn("created_ms").AsInt64().NotNullable()
            .WithColumn("last_login_ms").AsInt64().Nullable();
    }
}

/// <summary>
/// The NOC's users: a name, one role, and a password kept only as ASP.NET Core Identity's PBKDF2 hash
/// (HMAC-SHA512, 100,000 iterations, 128-bit salt: its V3 format). An unknown name costs the same hash as a wrong
/// password, so a caller cannot tell which users exist from the time an answer takes.
/// </summary>
public sealed class UserService(ServiceDatabase database, TimeProvider time)
{
    public const int MaxNameLength = 64;
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;

    /// <summary>The users' tables on the NOC's database.</summary>
    public static readonly DatabaseFeature Feature = new(typeof(UsersTable).Assembly, "users", 1);

    private static readonly PasswordHasher<NocUser> s_hasher = new();
    private static readonly string s_dummyHash = s_hasher.HashPassword(new NocUser("", ""), "a password nobody has");

    /// <summary>Creates a user, or changes the role and password of an existing one when <paramref name="replace"/>.</summary>
    public async Task<NocUser> AddAsync(string name, string role, string password, bool replace, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new UserException($"a user name is 1 to {MaxNameLength} characters without spaces");
        }

        if (!NocRoles.IsKnown(role))
        {
            throw new UserException($"unknown role '{role}': one of {string.Join(", ", NocRoles.All)}");
        }

        if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            throw new UserException($"a password is {MinPasswordLength} to {MaxPasswordLength} characters");
        }

        var user = new NocUser(name, role);
        string hash = s_hasher.HashPassword(user, password);
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        int written = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(replace
            ? """
              INSERT INTO users (name, role, password_hash, created_ms) VALUES (@name, @role, @hash, @now)
              ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
              """
            : "INSERT INTO users (name, role, password_hash, created_ms) VALUES (@name, @role, @hash, @now) ON CONFLICT DO NOTHING",
            new { name, role, hash, now }, transaction, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return written == 1 ? user : throw new UserException($"user '{name}' exists");
    }

    /// <summary>The user when the password is theirs; null otherwise, after the same work either way.</summary>
    public async Task<NocUser?> VerifyAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (name.Length > MaxNameLength || password.Length > MaxPasswordLength)
        {
            s_hasher.VerifyHashedPassword(new NocUser("", ""), s_dummyHash, password.Length > MaxPasswordLength ? "" : password);
            return null;
        }

        StoredUser? stored = await database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<StoredUser>(new CommandDefinition(
            "SELECT name, role, password_hash AS hash FROM users WHERE name = @name", new { name = name.Trim() }, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            s_hasher.VerifyHashedPassword(new NocUser("", ""), s_dummyHash, password);
            return null;
        }

        var user = new NocUser(stored.Name, stored.Role);
        if (s_hasher.VerifyHashedPassword(user, stored.Hash, password) == PasswordVerificationResult.Failed)
        {
            return null;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET last_login_ms = @now WHERE name = @name", new { now, name = user.Name }, transaction, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<NocUser>> ListAsync(CancellationToken cancellationToken)
    {
        // Columns only: SQLite gives a literal in the select list no type when there are no rows, which Dapper cannot map.
        IEnumerable<(string Name, string Role)> users = await database.ReadAsync(connection => connection.QueryAsync<(string Name, string Role)>(new CommandDefinition(
            "SELECT name, role FROM users ORDER BY name", cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. users.Select(u => new NocUser(u.Name, u.Role))];
    }

    /// <summary>Removes a user; false when there was none.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken) =>
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE name = @name", new { name }, transaction, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false) == 1;

    private sealed record StoredUser(string Name, string Role, string Hash);
}
