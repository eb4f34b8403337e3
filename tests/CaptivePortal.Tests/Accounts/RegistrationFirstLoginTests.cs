using Dapper;
using Microsoft.Extensions.Time.Testing;
using Network.CaptivePortal.Accounts;
using Network.Storage;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>
/// "New user" is followed within a second by the gateway's Access-Request for that user: registration leaves what that
/// request needs in memory, so it is answered on the RADIUS receive thread without Argon2 or the store.
/// </summary>
public sealed class RegistrationFirstLoginTests : IDisposable
{
    private const string Password = "Sint-Goedele-2026";
    private readonly TempFolder _folder = new("portal-first-login");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(Random.Shared.Next(16_000, 24_000)));
    private readonly ServiceDatabase _database;
    private readonly AccountService _accounts;
    private readonly AccountRegistration _registration;

    public RegistrationFirstLoginTests()
    {
        _database = PortalStore.Open($"Data Source={_folder.PathOf("portal.db")}");
        _accounts = new AccountService(_database, new AccountsOptions(), _time, null, new Argon2Parameters(128, 1, 1));
        _registration = new AccountRegistration(_database, _accounts, _time);
    }

    public void Dispose()
    {
        _accounts.Dispose();
        _database.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_first_Access_Request_after_New_user_is_answered_from_memory_with_the_right_password_only()
    {
        // Any earlier login has loaded the failure keys, as on a running server.
        await _accounts.VerifyPasswordAsync("nobody", "whatever-it-is", null);
        long fullBefore = _accounts.FullVerifications;

        (RegistrationResult result, string username) = await _registration.RegisterAsync("Lotte.Maes", Password, null, "hs-flageyplein");

        Assert.Equal(RegistrationResult.Done, result);
        Assert.Equal("Lotte.Maes", _accounts.TryVerifyFromMemory("lotte.maes", Password, "00-16-3E-12-34-56")?.Username);
        Assert.Null(_accounts.TryVerifyFromMemory("lotte.maes", Password + "!", null));
        Assert.Equal(fullBefore, _accounts.FullVerifications);
        Assert.Equal("Lotte.Maes", username);
    }

    [Fact]
    public async Task Registration_records_the_first_login_time()
    {
        await _registration.RegisterAsync("jonas", Password, null, null);

        long? lastLogin = await _database.ReadAsync(connection => connection.ExecuteScalarAsync<long?>(
            "SELECT last_login_ms FROM accounts WHERE username = 'jonas'"), CancellationToken.None);

        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), lastLogin);
    }

    [Fact]
    public async Task A_lock_after_registration_stops_the_memory_path()
    {
        await _accounts.VerifyPasswordAsync("nobody", "whatever-it-is", null);
        await _registration.RegisterAsync("mila", Password, null, null);

        await _accounts.LockAsync("mila");

        Assert.Null(_accounts.TryVerifyFromMemory("mila", Password, null));
    }
}
