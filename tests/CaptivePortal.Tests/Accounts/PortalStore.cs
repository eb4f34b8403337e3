using Network.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>A real portal SQLite file in a temporary folder, a fake clock started at a random date, and the two stores on it.</summary>
internal sealed class PortalStore : IDisposable
{
    /// <summary>Cheap Argon2id for tests that are not about the cost; differs from <see cref="Argon2Parameters.Owasp"/>.</summary>
    public static readonly Argon2Parameters Cheap = new(128, 1, 1);

    private readonly TempFolder _folder = new("portal-store");
    private readonly List<IDisposable> _owned = [];

    public PortalStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null)
    {
        Time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(Random.Shared.Next(16_000, 24_000)).AddSeconds(Random.Shared.Next(86_400)));
        AccountsOptions = accounts ?? new AccountsOptions();
        SessionsOptions = sessions ?? new SessionsOptions();
        Parameters = parameters ?? Cheap;
        Database = OpenDatabase();
        Accounts = NewAccountService();
        Sessions = new SessionStore(Database, Options.Create(SessionsOptions), Time);
    }

    public FakeTimeProvider Time { get; }

    public AccountsOptions AccountsOptions { get; }

    public SessionsOptions SessionsOptions { get; }

    public Argon2Parameters Parameters { get; }

    public SqliteDatabase Database { get; }

    public AccountService Accounts { get; }

    public SessionStore Sessions { get; }

    public string FilePath => _folder.PathOf("portal.db");

    /// <summary>Another process's view of the same file (a restart).</summary>
    public SqliteDatabase OpenDatabase()
    {
        var database = new SqliteDatabase($"Data Source={FilePath}", [AccountService.Schema, SessionStore.Schema]);
        _owned.Add(database);
        return database;
    }

    public AccountService NewAccountService(SqliteDatabase? database = null)
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
