using Network.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>
/// The portal's database (a real SQLite file in a temporary folder, or the PostgreSQL database a connection string names), a
/// fake clock started at a random date, and the two stores on it.
/// </summary>
internal sealed class PortalStore : IDisposable
{
    /// <summary>Cheap Argon2id for tests that are not about the cost; differs from <see cref="Argon2Parameters.Owasp"/>.</summary>
    public static readonly Argon2Parameters Cheap = new(128, 1, 1);

    private readonly TempFolder _folder = new("portal-store");
    private readonly List<IDisposable> _owned = [];

    public PortalStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null, string? connectionString = null)
    {
        Time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(Random.Shared.Next(16_000, 24_000)).AddSeconds(Random.Shared.Next(86_400)));
        AccountsOptions = accounts ?? new AccountsOptions();
        SessionsOptions = sessions ?? new SessionsOptions();
        Parameters = parameters ?? Cheap;
        ConnectionString = connectionString ?? $"Data Source={FilePath}";
        Database = OpenDatabase();
        Accounts = NewAccountService();
        Sessions = new SessionStore(Database, Options.Create(SessionsOptions), Time);
    }

    public FakeTimeProvider Time { get; }

    public AccountsOptions AccountsOptions { get; }

    public SessionsOptions SessionsOptions { get; }

    public Argon2Parameters Parameters { get; }

    public ServiceDatabase Database { get; }

    public AccountService Accounts { get; }

    public SessionStore Sessions { get; }

    /// <summary>The SQLite file, when no connection string was given.</summary>
    public string FilePath => _folder.PathOf("portal.db");

    public string ConnectionString { get; }

    /// <summary>The legacy features of the portal's files made before FluentMigrator, and their last versions.</summary>
    public static IReadOnlyDictionary<string, int> LegacyVersions { get; } = new[] { AccountService.Feature, AccountRegistration.Feature, SessionStore.Feature }
        .ToDictionary(f => f.LegacyComponent!, f => f.LegacyVersion);

    /// <summary>The portal's database as the service opens it: every portal table, files of the old runner taken over.</summary>
    public static ServiceDatabase Open(string connectionString) => new(connectionString, [AccountService.Feature.Migrations], LegacyVersions);

    /// <summary>Another process's view of the same database (a restart, a second node).</summary>
    public ServiceDatabase OpenDatabase()
    {
        ServiceDatabase database = Open(ConnectionString);
        _owned.Add(database);
        return database;
    }

    public AccountService NewAccountService(ServiceDatabase? database = null)
    {
        var service = new AccountService(database ?? Database, AccountsOptions, Time, null, Parameters);
        _owned.Add(service);
        return service;
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        _folder.Dispose();
    }
}
