using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>
/// Last-login stamps are noted in memory by the logins (the RADIUS fast path included) and written by one writer in one
/// transaction: a crowd of returning users costs one write, not one each, and nothing noted is lost at shutdown.
/// </summary>
public sealed class LastLoginBatchTests
{
    private const string Password = "Simonisplein 2016";

    [Fact]
    public async Task A_user_answered_from_memory_is_stamped_by_the_flush_not_by_the_login()
    {
        using var store = new PortalStore();
        await store.Accounts.CreateAsync("gust", Password);
        Assert.True((await store.Accounts.VerifyPasswordAsync("gust", Password, null)).IsAccepted);
        long first = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(1, await store.Accounts.FlushLastLoginsAsync());
        Assert.Equal(first, await LastLoginAsync(store, "gust"));

        // gust keeps logging in (every 1.5 s, the rows read again in rounds) for a little over a minute: all from memory.
        DateTimeOffset due = store.Time.GetUtcNow() + TimeSpan.FromMinutes(1);
        while (store.Time.GetUtcNow() < due)
        {
            store.Time.Advance(TimeSpan.FromMilliseconds(1500));
            Assert.Equal("gust", store.Accounts.TryVerifyFromMemory("gust", Password, null)?.Username);
            await store.Accounts.RefreshSnapshotsAsync(CancellationToken.None);
        }

        long stamped = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(1, store.Accounts.PendingLastLogins);
        Assert.Equal(first, await LastLoginAsync(store, "gust")); // not written by the login itself

        // Another login before the flush keeps one stamp for the user (a refresh round running behind may make it this
        // later login's); a read in this process flushes first, so it is never behind.
        store.Time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.NotNull(store.Accounts.TryVerifyFromMemory("gust", Password, null));
        Assert.Equal(1, store.Accounts.PendingLastLogins);
        long latest = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        AccountInfo? info = await store.Accounts.FindAsync("gust");
        Assert.InRange(info?.LastLogin?.ToUnixTimeMilliseconds() ?? 0, stamped, latest);
        Assert.Equal(info?.LastLogin?.ToUnixTimeMilliseconds(), await LastLoginAsync(store, "gust"));
        Assert.Equal(0, store.Accounts.PendingLastLogins);
        Assert.Equal(0, await store.Accounts.FlushLastLoginsAsync());
    }

    [Fact]
    public async Task Many_users_are_stamped_by_one_flush_and_an_older_stamp_never_moves_a_newer_one_back()
    {
        using var store = new PortalStore();
        string[] users = [.. Enumerable.Range(1, 40).Select(i => $"user{i:D3}")];
        foreach (string user in users)
        {
            await store.Accounts.CreateAsync(user, Password);
            Assert.True((await store.Accounts.VerifyPasswordAsync(user, Password, null)).IsAccepted);
        }

        long at = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(users.Length, store.Accounts.PendingLastLogins);
        Assert.Equal(users.Length, await store.Accounts.FlushLastLoginsAsync());
        foreach (string user in users)
        {
            Assert.Equal(at, await LastLoginAsync(store, user));
        }

        // Another process (a second portal on the same file) stamped user001 later than this one's pending stamp.
        store.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await store.Accounts.VerifyPasswordAsync("user001", Password, null)).IsAccepted);
        long later = at + (long)TimeSpan.FromMinutes(5).TotalMilliseconds;
        await store.Database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE accounts SET last_login_ms = @later WHERE username = 'user001'", new { later }, transaction), CancellationToken.None);
        Assert.Equal(1, await store.Accounts.FlushLastLoginsAsync());
        Assert.Equal(later, await LastLoginAsync(store, "user001"));
    }

    [Fact]
    public async Task The_writer_flushes_on_its_tick_and_what_is_left_when_it_stops()
    {
        using var store = new PortalStore();
        await store.Accounts.CreateAsync("hanne", Password);
        var writer = new LastLoginWriter(store.Accounts, store.Time, NullLogger<LastLoginWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        Assert.True((await store.Accounts.VerifyPasswordAsync("hanne", Password, null)).IsAccepted);
        long first = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Null(await LastLoginAsync(store, "hanne"));

        store.Time.Advance(AccountService.LastLoginFlushInterval);
        // The tick runs on the thread pool: wait for its write (bounded; the assertion below fails if it never comes).
        for (int i = 0; i < 200 && await LastLoginAsync(store, "hanne") is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(first, await LastLoginAsync(store, "hanne"));

        store.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await store.Accounts.VerifyPasswordAsync("hanne", Password, null)).IsAccepted);
        long second = store.Time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(1, store.Accounts.PendingLastLogins);
        await writer.StopAsync(CancellationToken.None);
        writer.Dispose();

        Assert.Equal(second, await LastLoginAsync(store, "hanne"));
        Assert.Equal(0, store.Accounts.PendingLastLogins);
    }

    private static Task<long?> LastLoginAsync(PortalStore store, string username) =>
        store.Database.ReadAsync(connection => connection.ExecuteScalarAsync<long?>(
            "SELECT last_login_ms FROM accounts WHERE username = @username", new { username }), CancellationToken.None);
}
