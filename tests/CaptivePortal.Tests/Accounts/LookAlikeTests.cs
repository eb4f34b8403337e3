using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Network.CaptivePortal.Accounts;
using Network.Storage;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>
/// The look-alike check (<see cref="UsernameRules.Skeleton"/>) reads the accounts themselves: every account takes part,
/// however it was made (the sign-up form, <see cref="AccountService.CreateAsync"/> as the command line calls it, an import).
/// The command line as a real process is in <c>Cli/PortalCommandLineTests</c>.
/// </summary>
public sealed class LookAlikeTests : IDisposable
{
    private readonly TempFolder _folder = new("portal-look-alike");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(Random.Shared.Next(16_000, 24_000)));
    private readonly List<IDisposable> _owned = [];

    private string FilePath => _folder.PathOf("portal.db");

    public void Dispose()
    {
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        _folder.Dispose();
    }

    private (AccountService Accounts, AccountRegistration Registration) Open()
    {
        ServiceDatabase database = PortalStore.Open($"Data Source={FilePath}");
        var accounts = new AccountService(database, new AccountsOptions(), _time, null, PortalStore.Cheap);
        _owned.Add(database);
        _owned.Add(accounts);
        return (accounts, new AccountRegistration(database, accounts, _time));
    }

    [Fact]
    public async Task An_account_made_outside_the_sign_up_form_refuses_its_look_alikes_on_every_path()
    {
        var (accounts, registration) = Open();
        Assert.Equal(AccountChangeResult.Done, await accounts.CreateAsync("marie", "Sint-Gillis-2026"));

        Assert.Equal(RegistrationResult.UsernameTaken, (await registration.RegisterAsync("rnarie", "Sint-Gillis-2026!", null, null)).Result);
        Assert.Equal(AccountChangeResult.UsernameLookAlike, await accounts.CreateAsync("MARlE", "Sint-Gillis-2026!"));
        Assert.Equal(AccountChangeResult.UsernameLookAlike, await accounts.ImportAsync("rnarie", accounts.Hasher.Hash("Sint-Gillis-2026!")));
        Assert.Equal(AccountChangeResult.UsernameTaken, await accounts.CreateAsync("Marie", "Sint-Gillis-2026!"));
        Assert.Equal(RegistrationResult.Done, (await registration.RegisterAsync("maria", "Sint-Gillis-2026!", null, null)).Result);
    }

    [Fact]
    public async Task A_sign_up_refuses_the_look_alike_of_an_account_another_process_made_a_moment_ago()
    {
        var (_, portal) = Open();
        await portal.RegisterAsync("lotte", "Sint-Gillis-2026", null, null); // the portal's store is open and migrated
        var (cli, _) = Open();

        Assert.Equal(AccountChangeResult.Done, await cli.CreateAsync("tom_peeters", "Sint-Gillis-2026"));

        Assert.Equal(RegistrationResult.UsernameTaken, (await portal.RegisterAsync("torn-peeters", "Sint-Gillis-2026!", null, null)).Result);
    }

    [Fact]
    public async Task Accounts_stored_before_the_skeleton_was_kept_with_them_take_part_too()
    {
        // A file of the runner before FluentMigrator, its accounts at their last version, with an account an older release's
        // command line made after the skeleton column came (it wrote none).
        using (var connection = new SqliteConnection($"Data Source={FilePath};Pooling=false"))
        {
            connection.Open();
            using SqliteCommand create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT NOT NULL COLLATE NOCASE UNIQUE, password_hash TEXT NOT NULL,
                    created_ms INTEGER NOT NULL, last_login_ms INTEGER, locked INTEGER NOT NULL DEFAULT 0, skeleton TEXT) STRICT;
                CREATE INDEX accounts_skeleton ON accounts (skeleton);
                CREATE TABLE schema_version (component TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL) STRICT;
                INSERT INTO schema_version VALUES ('accounts', 2);
                INSERT INTO accounts (username, password_hash, created_ms) VALUES ('marie', 'not-a-hash', 0);
                """;
            create.ExecuteNonQuery();
        }

        var (accounts, registration) = Open();

        Assert.Equal(AccountChangeResult.UsernameLookAlike, await accounts.CreateAsync("rnarie", "Sint-Gillis-2026"));
        Assert.Equal(RegistrationResult.UsernameTaken, (await registration.RegisterAsync("rnarie", "Sint-Gillis-2026", null, null)).Result);
    }
}
