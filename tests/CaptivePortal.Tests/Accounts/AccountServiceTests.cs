using Network.Storage;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>The store's tests on each engine: one subclass per engine (<see cref="SqliteAccountServiceTests"/>, <see cref="PostgresAccountServiceTests"/>).</summary>
public abstract class AccountServiceTests
{
    /// <summary>A fresh, empty portal database on this class's engine, with its stores.</summary>
    private protected abstract PortalStore NewStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null);

    private const string Password = "Sint-Denijsplein 2016";

    [Fact]
    public async Task A_new_user_logs_in_with_any_case_of_the_username()
    {
        using var store = NewStore();

        Assert.Equal(AccountChangeResult.Done, await store.Accounts.CreateAsync("Alice.Dupont", Password));
        AuthResult result = await store.Accounts.VerifyPasswordAsync("alice.DUPONT", Password, "00:10:a4:23:19:c0");

        Assert.Equal(AuthResult.Accepted("Alice.Dupont"), result);
        AccountInfo? info = await store.Accounts.FindAsync("ALICE.dupont");
        Assert.NotNull(info);
        Assert.Equal(store.Time.GetUtcNow().ToUnixTimeMilliseconds(), info.LastLogin?.ToUnixTimeMilliseconds());
        Assert.Equal(PasswordAlgorithm.Argon2id, info.HashAlgorithm);
    }

    [Fact]
    public async Task Usernames_are_unique_without_regard_to_case()
    {
        using var store = NewStore();

        Assert.Equal(AccountChangeResult.Done, await store.Accounts.CreateAsync("bob_42", Password));
        Assert.Equal(AccountChangeResult.UsernameTaken, await store.Accounts.CreateAsync("BOB_42", "another password 1"));
    }

    [Theory]
    [InlineData("too short", "ab")]
    [InlineData("too long", "abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("space", "alice dupont")]
    [InlineData("at sign", "alice@example")]
    [InlineData("non-ASCII letter", "jos\u00e9")]
    [InlineData("NUL", "alice\0bob")]
    public async Task Refuses_usernames_outside_the_rule(string description, string username)
    {
        using var store = NewStore();

        Assert.Equal(AccountChangeResult.UsernameInvalid, await store.Accounts.CreateAsync(username, Password));
        Assert.False(AccountPolicy.IsValidUsername(username), description);
    }

    [Theory]
    [InlineData("seven characters", "Flagey7", AccountChangeResult.PasswordTooShort)]
    [InlineData("the username", "Colignon.plein", AccountChangeResult.PasswordEqualsUsername)]
    [InlineData("common", "password1", AccountChangeResult.PasswordTooCommon)]
    [InlineData("common, other case", "AZERTYUIOP", AccountChangeResult.PasswordTooCommon)]
    [InlineData("longer than PAP carries", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", AccountChangeResult.PasswordTooLong)]
    public async Task Applies_the_password_policy(string description, string password, AccountChangeResult expected)
    {
        using var store = NewStore();

        Assert.Equal(expected, await store.Accounts.CreateAsync("Colignon.plein", password));
        Assert.Null(await store.Accounts.FindAsync("Colignon.plein"));
        Assert.True(expected != AccountChangeResult.Done, description);
    }

    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_look_the_same_and_cost_the_same()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("carol", Password);

        long before = store.Accounts.FullVerifications;
        AuthResult wrong = await store.Accounts.VerifyPasswordAsync("carol", "not the password", null);
        long afterWrong = store.Accounts.FullVerifications;
        AuthResult unknown = await store.Accounts.VerifyPasswordAsync("nobody", "not the password", null);
        long afterUnknown = store.Accounts.FullVerifications;

        Assert.Equal(wrong, unknown);
        Assert.Equal(AuthResult.Rejected(AuthOutcome.UnknownOrWrong), wrong);
        Assert.Equal(1, afterWrong - before);
        Assert.Equal(1, afterUnknown - afterWrong);
    }

    [Fact]
    public async Task A_returning_user_hits_the_cache_which_keeps_no_password()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("dave", Password);
        string storedHash = await StoredHashAsync(store, "dave");

        Assert.True((await store.Accounts.VerifyPasswordAsync("dave", Password, null)).IsAccepted);
        long afterFirst = store.Accounts.FullVerifications;
        Assert.True((await store.Accounts.VerifyPasswordAsync("DAVE", Password, null)).IsAccepted);

        Assert.Equal(afterFirst, store.Accounts.FullVerifications);
        var entry = store.Accounts.Cache.Peek("dave");
        Assert.NotNull(entry);
        // The entry is an HMAC tag, the hash string it was verified against, an expiry and the account's row: nothing else.
        Assert.Equal(["Tag", "PasswordHash", "Expires", "Account"], entry.GetType().GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract"));
        Assert.NotNull(entry.Account);
        Assert.Equal(["Id", "Username", "Locked", "LastLoginMs", "Read"], entry.Account.GetType().GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract"));
        Assert.DoesNotContain(Password, entry.Account.ToString(), StringComparison.Ordinal);
        Assert.Equal(32, entry.Tag.Length);
        Assert.Equal(storedHash, entry.PasswordHash);
        Assert.Equal(store.Time.GetUtcNow() + TimeSpan.FromMinutes(10), entry.Expires);
        byte[] password = Encoding.UTF8.GetBytes(Password);
        Assert.Equal(-1, entry.Tag.AsSpan().IndexOf(password.AsSpan(0, 4)));
        Assert.DoesNotContain(Password, entry.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, storedHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_never_matches_the_cache()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("erin", Password);
        await store.Accounts.VerifyPasswordAsync("erin", Password, null);
        long before = store.Accounts.FullVerifications;

        AuthResult result = await store.Accounts.VerifyPasswordAsync("erin", Password + "x", null);

        Assert.Equal(AuthOutcome.UnknownOrWrong, result.Outcome);
        Assert.Equal(before + 1, store.Accounts.FullVerifications);
    }

    [Fact]
    public async Task Cache_entries_expire()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("frank", Password);
        await store.Accounts.VerifyPasswordAsync("frank", Password, null);
        long before = store.Accounts.FullVerifications;

        store.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await store.Accounts.VerifyPasswordAsync("frank", Password, null)).IsAccepted);

        Assert.Equal(before + 1, store.Accounts.FullVerifications);
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        using var store = NewStore(new AccountsOptions { VerificationCacheSize = 16 });
        for (int i = 0; i < 40; i++)
        {
            store.Accounts.Cache.Remember($"user{i:00}", Password, "$hash", store.Time.GetUtcNow());
            store.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(store.Accounts.Cache.Count, 1, 16);
        Assert.NotNull(store.Accounts.Cache.Peek("user39"));
        Assert.Null(store.Accounts.Cache.Peek("user00"));
    }

    [Fact]
    public async Task A_new_password_ends_the_old_one_and_its_cache_entry()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("grace", Password);
        await store.Accounts.VerifyPasswordAsync("grace", Password, null);

        Assert.Equal(AccountChangeResult.Done, await store.Accounts.SetPasswordAsync("grace", "Raadsplein Anderlecht"));

        Assert.Null(store.Accounts.Cache.Peek("grace"));
        Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyPasswordAsync("grace", Password, null)).Outcome);
        Assert.True((await store.Accounts.VerifyPasswordAsync("grace", "Raadsplein Anderlecht", null)).IsAccepted);
    }

    [Fact]
    public async Task A_password_changed_by_another_process_ends_this_process_cache_entry()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("heidi", Password);
        await store.Accounts.VerifyPasswordAsync("heidi", Password, null);
        AccountService other = store.NewAccountService(store.OpenDatabase());

        await other.SetPasswordAsync("heidi", "Simon Bolivarlaan");

        Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyPasswordAsync("heidi", Password, null)).Outcome);
    }

    [Fact]
    public async Task A_returning_user_is_answered_from_memory_and_only_with_the_right_password()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("dora", Password);

        Assert.Null(store.Accounts.TryVerifyFromMemory("dora", Password, null)); // never verified yet
        Assert.True((await store.Accounts.VerifyPasswordAsync("dora", Password, "02-00-00-00-00-01")).IsAccepted);
        long full = store.Accounts.FullVerifications;

        Assert.Equal("dora", store.Accounts.TryVerifyFromMemory("DORA", Password, "02-00-00-00-00-01")?.Username);
        Assert.Null(store.Accounts.TryVerifyFromMemory("dora", Password + "!", null));
        Assert.Null(store.Accounts.TryVerifyFromMemory("nobody", Password, null));
        Assert.Equal(full, store.Accounts.FullVerifications);
    }

    [Fact]
    public async Task The_memory_path_takes_an_ASCII_password_as_octets_and_leaves_any_other_to_the_normalising_path()
    {
        using var store = NewStore();
        const string ascii = "Raadsplein 2015", accented = "Sint-Gillis \u00e9lan 2016";
        await store.Accounts.CreateAsync("erik", ascii);
        await store.Accounts.CreateAsync("fien", accented);
        Assert.True((await store.Accounts.VerifyPasswordAsync("erik", ascii, null)).IsAccepted);
        Assert.True((await store.Accounts.VerifyPasswordAsync("fien", accented, null)).IsAccepted);

        Assert.Equal("erik", store.Accounts.TryVerifyFromMemory("ERIK", Encoding.UTF8.GetBytes(ascii), null)?.Username);
        Assert.Null(store.Accounts.TryVerifyFromMemory("erik", Encoding.UTF8.GetBytes(ascii + "!"), null));
        Assert.Null(store.Accounts.TryVerifyFromMemory("erik", Encoding.UTF8.GetBytes(ascii).AsSpan(..^1), null));
        // Not ASCII: the octets may need NFKC first, so the octet path never answers them; the string path does.
        Assert.Null(store.Accounts.TryVerifyFromMemory("fien", Encoding.UTF8.GetBytes(accented), null));
        Assert.Equal("fien", store.Accounts.TryVerifyFromMemory("fien", accented, null)?.Username);
        Assert.Equal("fien", store.Accounts.TryVerifyFromMemory("fien", accented.Normalize(NormalizationForm.FormD), null)?.Username);
    }

    [Fact]
    public async Task The_memory_path_steps_aside_for_failures_on_record_and_for_a_stale_row()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("emil", Password);
        await store.Accounts.VerifyPasswordAsync("emil", Password, null);

        await store.Accounts.VerifyPasswordAsync("emil", "a wrong guess", null);
        Assert.Null(store.Accounts.TryVerifyFromMemory("emil", Password, null));
        Assert.True((await store.Accounts.VerifyPasswordAsync("emil", Password, null)).IsAccepted); // resets the count
        Assert.NotNull(store.Accounts.TryVerifyFromMemory("emil", Password, null));

        // A failure from a device keeps that device off the fast path, for this user too.
        await store.Accounts.VerifyPasswordAsync("someone.else", "a wrong guess", "02-00-00-00-00-09");
        Assert.Null(store.Accounts.TryVerifyFromMemory("emil", Password, "02-00-00-00-00-09"));
        Assert.NotNull(store.Accounts.TryVerifyFromMemory("emil", Password, "02-00-00-00-00-0A"));

        // Another process (the operators' command line) locks the account: seen once the row is older than RowFreshness.
        AccountService other = store.NewAccountService(store.OpenDatabase());
        Assert.True(await other.LockAsync("emil"));
        store.Time.Advance(AccountService.RowFreshness + TimeSpan.FromMilliseconds(1));
        Assert.Null(store.Accounts.TryVerifyFromMemory("emil", Password, null));
        Assert.Equal(AuthOutcome.Disabled, (await store.Accounts.VerifyPasswordAsync("emil", Password, null)).Outcome);
    }

    [Fact]
    public async Task Failures_on_record_survive_a_restart_and_keep_the_user_off_the_memory_path()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("fien", Password);
        await FailAsync(store, "fien", 10, null);
        AccountService restarted = store.NewAccountService(store.OpenDatabase());

        Assert.Equal(AuthOutcome.Locked, (await restarted.VerifyPasswordAsync("fien", Password, null)).Outcome);
        Assert.Null(restarted.TryVerifyFromMemory("fien", Password, null));
    }

    [Fact]
    public async Task A_locked_account_is_disabled_even_with_the_right_password_until_unlocked()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("ivan", Password);
        await store.Accounts.VerifyPasswordAsync("ivan", Password, null);

        Assert.True(await store.Accounts.LockAsync("IVAN"));

        Assert.Null(store.Accounts.Cache.Peek("ivan"));
        Assert.Equal(AuthOutcome.Disabled, (await store.Accounts.VerifyPasswordAsync("ivan", Password, null)).Outcome);
        // Without the password, a locked account is no different from a wrong password.
        Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyPasswordAsync("ivan", "wrong password", null)).Outcome);
        Assert.True((await store.Accounts.FindAsync("ivan"))!.Locked);
        Assert.True(await store.Accounts.UnlockAsync("ivan"));
        Assert.True((await store.Accounts.VerifyPasswordAsync("ivan", Password, null)).IsAccepted);
        Assert.False(await store.Accounts.LockAsync("nobody"));
    }

    [Fact]
    public async Task Ten_failures_lock_a_user_out_even_with_the_right_password_for_fifteen_minutes()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("judy", Password);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyPasswordAsync("judy", $"guess {i:00} wrong", null)).Outcome);
        }

        Assert.Equal(AuthOutcome.Locked, (await store.Accounts.VerifyPasswordAsync("judy", Password, null)).Outcome);
        AccountInfo? info = await store.Accounts.FindAsync("judy");
        Assert.Equal(10, info!.FailedAttempts);
        Assert.Equal(store.Time.GetUtcNow() + TimeSpan.FromMinutes(15), info.LockedOutUntil);
        store.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.Equal(AuthOutcome.Locked, (await store.Accounts.VerifyPasswordAsync("judy", Password, null)).Outcome);
        store.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await store.Accounts.VerifyPasswordAsync("judy", Password, null)).IsAccepted);
        Assert.Equal(0, (await store.Accounts.FindAsync("judy"))!.FailedAttempts);
    }

    [Fact]
    public async Task A_success_resets_the_count_and_old_failures_leave_the_window()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("kim", Password);

        await FailAsync(store, "kim", 9, null);
        Assert.True((await store.Accounts.VerifyPasswordAsync("kim", Password, null)).IsAccepted);
        await FailAsync(store, "kim", 9, null);
        store.Time.Advance(TimeSpan.FromMinutes(15));
        await FailAsync(store, "kim", 9, null);

        Assert.True((await store.Accounts.VerifyPasswordAsync("kim", Password, null)).IsAccepted);
    }

    [Fact]
    public async Task Unknown_usernames_lock_out_like_known_ones()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("leo.known", Password);

        await FailAsync(store, "leo.known", 10, null);
        await FailAsync(store, "leo.unknown", 10, null);

        Assert.Equal(
            await store.Accounts.VerifyPasswordAsync("leo.known", "any password", null),
            await store.Accounts.VerifyPasswordAsync("leo.unknown", "any password", null));
    }

    [Fact]
    public async Task Twenty_failures_from_one_device_lock_that_device_out_for_every_user()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("mallory", Password);
        await store.Accounts.CreateAsync("victim", Password);
        for (int i = 0; i < 20; i++)
        {
            await store.Accounts.VerifyPasswordAsync($"target{i:00}", "guess", "aa:bb:cc:dd:ee:ff");
        }

        Assert.Equal(AuthOutcome.Locked, (await store.Accounts.VerifyPasswordAsync("victim", Password, "AA-BB-CC-DD-EE-FF")).Outcome);
        Assert.True((await store.Accounts.VerifyPasswordAsync("victim", Password, "00-10-A4-23-19-C0")).IsAccepted);
        store.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.True((await store.Accounts.VerifyPasswordAsync("mallory", Password, "aabb.ccdd.eeff")).IsAccepted);
    }

    [Fact]
    public async Task Lockout_thresholds_follow_the_options()
    {
        using var store = NewStore(new AccountsOptions { MaxFailuresPerUser = 3, LockoutPeriod = TimeSpan.FromMinutes(1) });
        await store.Accounts.CreateAsync("nina", Password);

        await FailAsync(store, "nina", 3, null);

        Assert.Equal(AuthOutcome.Locked, (await store.Accounts.VerifyPasswordAsync("nina", Password, null)).Outcome);
        store.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await store.Accounts.VerifyPasswordAsync("nina", Password, null)).IsAccepted);
    }

    [Fact]
    public async Task An_imported_PBKDF2_hash_logs_in_and_is_rehashed_to_Argon2id()
    {
        using var store = NewStore();
        // Python hashlib.pbkdf2_hmac('sha512', b'Urbizone-Beursplein', b'Sint-Gillis-salt', 1000, 64).
        const string Legacy = "$pbkdf2-sha512$i=1000$U2ludC1HaWxsaXMtc2FsdA$FAN7/RsdMtPbLGgn+k+dTI3CFrF79lYZtIH8ylZUm0wJSL+Ew3v48165vQZCYliwYbzTXVGTmD3gisMfm/nFzQ";
        Assert.Equal(AccountChangeResult.Done, await store.Accounts.ImportAsync("olga", Legacy));
        Assert.Equal(AccountChangeResult.HashInvalid, await store.Accounts.ImportAsync("olga2", "Urbizone-Beursplein"));
        Assert.Equal(PasswordAlgorithm.Pbkdf2Sha512, (await store.Accounts.FindAsync("olga"))!.HashAlgorithm);

        Assert.True((await store.Accounts.VerifyPasswordAsync("olga", "Urbizone-Beursplein", null)).IsAccepted);

        string rehashed = await StoredHashAsync(store, "olga");
        Assert.StartsWith("$argon2id$v=19$m=128,t=1,p=1$", rehashed, StringComparison.Ordinal);
        Assert.Equal(rehashed, store.Accounts.Cache.Peek("olga")!.PasswordHash);
        store.Time.Advance(TimeSpan.FromHours(1));
        Assert.True((await store.Accounts.VerifyPasswordAsync("olga", "Urbizone-Beursplein", null)).IsAccepted);
    }

    [Fact]
    public async Task An_Argon2id_hash_with_older_parameters_is_rehashed_on_login()
    {
        using var store = NewStore();
        // The reference argon2 CLI at m=64, t=1: weaker than this store's parameters.
        await store.Accounts.ImportAsync("pete", "$argon2id$v=19$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE");

        Assert.True((await store.Accounts.VerifyPasswordAsync("pete", "Urbizone-Beursplein", null)).IsAccepted);

        Assert.StartsWith("$argon2id$v=19$m=128,t=1,p=1$", await StoredHashAsync(store, "pete"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remembered_device_logs_in_by_MAC_as_its_owner()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("quinn", Password);

        Assert.True(await store.Accounts.RememberDeviceAsync("quinn", "00:10:a4:23:19:c0"));
        Assert.False(await store.Accounts.RememberDeviceAsync("nobody", "00:10:a4:23:19:c1"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Accounts.RememberDeviceAsync("quinn", "not a mac"));

        Assert.Equal(AuthResult.Accepted("quinn"), await store.Accounts.VerifyMacAsync("0010.A423.19C0"));
        Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyMacAsync("00-10-A4-23-19-C1")).Outcome);
        Assert.Equal(["00-10-A4-23-19-C0"], (await store.Accounts.FindAsync("quinn"))!.Devices);
        await store.Accounts.LockAsync("quinn");
        Assert.Equal(AuthOutcome.Disabled, (await store.Accounts.VerifyMacAsync("00-10-A4-23-19-C0")).Outcome);
        await store.Accounts.UnlockAsync("quinn");
        Assert.True(await store.Accounts.ForgetDeviceAsync("quinn", "00-10-A4-23-19-C0"));
        Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyMacAsync("00-10-A4-23-19-C0")).Outcome);
    }

    [Fact]
    public async Task Removing_an_account_removes_its_devices_and_its_login()
    {
        using var store = NewStore();
        await store.Accounts.CreateAsync("rita", Password);
        await store.Accounts.RememberDeviceAsync("rita", "00-10-A4-23-19-C0");
        await store.Accounts.VerifyPasswordAsync("rita", Password, null);

        Assert.True(await store.Accounts.RemoveAsync("RITA"));

        Assert.False(await store.Accounts.RemoveAsync("rita"));
        Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyPasswordAsync("rita", Password, null)).Outcome);
        Assert.Equal(AuthOutcome.UnknownOrWrong, (await store.Accounts.VerifyMacAsync("00-10-A4-23-19-C0")).Outcome);
        Assert.Equal(AccountChangeResult.Done, await store.Accounts.CreateAsync("rita", "a brand new password"));
    }

    [Fact]
    public async Task Lists_accounts_by_name_a_page_at_a_time()
    {
        using var store = NewStore();
        foreach (string name in new[] { "charlie", "alpha", "bravo" })
        {
            await store.Accounts.CreateAsync(name, Password);
        }

        await FailAsync(store, "bravo", 2, null);

        IReadOnlyList<AccountInfo> all = await store.Accounts.ListAsync();
        IReadOnlyList<AccountInfo> page = await store.Accounts.ListAsync(skip: 1, take: 1);

        Assert.Equal(["alpha", "bravo", "charlie"], all.Select(a => a.Username));
        Assert.Equal(2, all[1].FailedAttempts);
        Assert.Equal("bravo", Assert.Single(page).Username);
    }

    [Fact]
    public async Task Many_parallel_logins_and_registrations_give_each_its_right_answer()
    {
        using var store = NewStore();
        string[] users = [.. Enumerable.Range(0, 8).Select(i => $"user{i}")];
        await Task.WhenAll(users.Select(u => store.Accounts.CreateAsync(u, Password + u)));

        AuthResult[] results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            store.Accounts.VerifyPasswordAsync(users[i % users.Length], i % 5 == 0 ? "wrong password" : Password + users[i % users.Length], null))));
        AccountChangeResult[] sameName = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            store.Accounts.CreateAsync("contested", Password))));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 5 == 0 ? AuthOutcome.UnknownOrWrong : AuthOutcome.Accepted, results[i].Outcome);
        }

        Assert.Equal(1, sameName.Count(r => r == AccountChangeResult.Done));
        Assert.Equal(7, sameName.Count(r => r == AccountChangeResult.UsernameTaken));
    }

    private static async Task FailAsync(PortalStore store, string username, int times, string? station)
    {
        for (int i = 0; i < times; i++)
        {
            Assert.NotEqual(AuthOutcome.Accepted, (await store.Accounts.VerifyPasswordAsync(username, $"wrong password {i}", station)).Outcome);
        }
    }

    private static async Task<string> StoredHashAsync(PortalStore store, string username) =>
        await store.Database.ReadAsync(connection => Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT password_hash FROM accounts WHERE username = @username", new { username }), CancellationToken.None) ?? "";
}

public sealed class SqliteAccountServiceTests : AccountServiceTests
{
    private const string SqlitePassword = "Sint-Denijsplein 2016";

    private protected override PortalStore NewStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null) =>
        new(accounts, sessions, parameters);

    [Fact]
    public async Task Accounts_outlive_the_process_and_the_schema_is_migrated_once()
    {
        using var store = new PortalStore();
        await store.Accounts.CreateAsync("sam", SqlitePassword);

        AccountService restarted = store.NewAccountService(store.OpenDatabase());

        Assert.True((await restarted.VerifyPasswordAsync("sam", SqlitePassword, null)).IsAccepted);
        using var connection = new SqliteConnection($"Data Source={store.FilePath}");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(Version, ',') FROM (SELECT Version FROM VersionInfo ORDER BY Version); PRAGMA journal_mode;";
        using SqliteDataReader reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("2026120710,2026120711,2026120712,2026120760", reader.GetString(0));
        Assert.True(reader.NextResult() && reader.Read());
        Assert.Equal("wal", reader.GetString(0));
    }

    [Fact]
    public async Task The_readiness_check_answers_from_the_file()
    {
        using var store = new PortalStore();
        var healthy = new ServiceDatabaseHealthCheck(store.Database);
        using ServiceDatabase folderAsFile = PortalStore.Open($"Data Source={Path.GetTempPath()}");
        var broken = new ServiceDatabaseHealthCheck(folderAsFile);

        Assert.Equal(HealthStatus.Healthy, (await healthy.CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Equal(HealthStatus.Unhealthy, (await broken.CheckHealthAsync(new HealthCheckContext())).Status);
    }
}

public sealed class PostgresAccountServiceTests(PostgresDatabase postgres) : AccountServiceTests, IClassFixture<PostgresDatabase>
{
    // A database per store: the tests expect empty tables (made off xunit's context: the constructor of a store is synchronous).
    private protected override PortalStore NewStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null) =>
        new(accounts, sessions, parameters, Task.Run(postgres.CreateAsync).GetAwaiter().GetResult());

    [Fact]
    public async Task Two_nodes_counting_failed_logins_of_one_user_at_once_count_every_one()
    {
        // Two portal nodes (two databases' pools on one server), the same user failing on both at once.
        using PortalStore store = NewStore(new AccountsOptions { MaxFailuresPerUser = 1000, MaxFailuresPerStation = 1000 });
        Assert.Equal(AccountChangeResult.Done, await store.Accounts.CreateAsync("ines", "Sint-Denijsplein 2016"));
        AccountService second = store.NewAccountService(store.OpenDatabase());
        const int PerNode = 40;

        AuthResult[] results = await Task.WhenAll(Enumerable.Range(0, PerNode * 2).Select(i => Task.Run(() =>
            (i % 2 == 0 ? store.Accounts : second).VerifyPasswordAsync("ines", $"wrong password {i}", "00-16-3E-00-00-01"))));

        Assert.All(results, r => Assert.Equal(AuthOutcome.UnknownOrWrong, r.Outcome));
        AccountInfo? info = await store.Accounts.FindAsync("ines");
        Assert.Equal(PerNode * 2, info?.FailedAttempts);
        Assert.Equal(PerNode * 2, await store.Database.ReadAsync(connection => Dapper.SqlMapper.ExecuteScalarAsync<int>(connection,
            "SELECT failures FROM login_failures WHERE key = 'station:00-16-3E-00-00-01'"), CancellationToken.None));
    }
}
