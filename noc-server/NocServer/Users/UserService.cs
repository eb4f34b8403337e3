using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Network.Storage;

namespace Network.Noc.Users;

/// <summary>A user name that cannot be used, with the reason.</summary>
public sealed class UserException(string message) : Exception(message);

/// <summary>
/// The NOC's users: a name, one role, and a password kept only as ASP.NET Core Identity's PBKDF2 hash
/// (HMAC-SHA512, 100,000 iterations, 128-bit salt: its V3 format). An unknown name costs the same hash as a wrong
/// password, so a caller cannot tell which users exist from the time an answer takes.
/// </summary>
public sealed class UserService(SqliteDatabase database, TimeProvider time)
{
    public const int MaxNameLength = 64;
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;

    public static readonly SqliteSchema Schema = new("users",
    [
        """
        CREATE TABLE users (
            name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            last_login_ms INTEGER
        ) STRICT;
        """,
    ]);

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
        bool written = await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, replace
                ? """
                  INSERT INTO users (name, role, password_hash, created_ms) VALUES ($name, $role, $hash, $now)
                  ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash;
                  """
                : "INSERT INTO users (name, role, password_hash, created_ms) VALUES ($name, $role, $hash, $now) ON CONFLICT DO NOTHING;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$role", role);
            command.Parameters.AddWithValue("$hash", hash);
            command.Parameters.AddWithValue("$now", now);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
        return written ? user : throw new UserException($"user '{name}' exists");
    }

    /// <summary>The user when the password is theirs; null otherwise, after the same work either way.</summary>
    public async Task<NocUser?> VerifyAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (name.Length > MaxNameLength || password.Length > MaxPasswordLength)
        {
            s_hasher.VerifyHashedPassword(new NocUser("", ""), s_dummyHash, password.Length > MaxPasswordLength ? "" : password);
            return null;
        }

        (NocUser User, string Hash)? stored = await database.ReadAsync(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT name, role, password_hash FROM users WHERE name = $name;");
            command.Parameters.AddWithValue("$name", name.Trim());
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? (new NocUser(reader.GetString(0), reader.GetString(1)), reader.GetString(2)) : ((NocUser, string)?)null;
        }, cancellationToken).ConfigureAwait(false);

        if (stored is not (NocUser user, string hash))
        {
            s_hasher.VerifyHashedPassword(new NocUser("", ""), s_dummyHash, password);
            return null;
        }

        PasswordVerificationResult result = s_hasher.VerifyHashedPassword(user, hash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, "UPDATE users SET last_login_ms = $now WHERE name = $name;");
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$name", user.Name);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>Every user, by name.</summary>
    public Task<IReadOnlyList<NocUser>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<NocUser>>(connection =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT name, role FROM users ORDER BY name;");
            using SqliteDataReader reader = command.ExecuteReader();
            var users = new List<NocUser>();
            while (reader.Read())
            {
                users.Add(new NocUser(reader.GetString(0), reader.GetString(1)));
            }

            return users;
        }, cancellationToken);

    /// <summary>Removes a user; false when there was none.</summary>
    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, "DELETE FROM users WHERE name = $name;");
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
}
