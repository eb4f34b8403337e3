using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>
/// The rows behind the RADIUS fast path are read again in rounds, so a user who keeps logging in stays on it, and a
/// lock made by another process is still seen within <see cref="AccountService.RowFreshness"/>.
/// </summary>
public sealed class VerificationSnapshotTests
{
    private const string Password = "Flageyplein 2015";

    [Fact]
    public async Task Rows_in_use_are_read_again_in_one_round_and_a_lock_elsewhere_still_ends_the_memory_path()
    {
        using var store = new PortalStore();
        await store.Accounts.CreateAsync("gust", Password);
        await store.Accounts.CreateAsync("hanne", Password);
        Assert.True((await store.Accounts.VerifyPasswordAsync("gust", Password, null)).IsAccepted);
        Assert.True((await store.Accounts.VerifyPasswordAsync("hanne", Password, null)).IsAccepted);
        Assert.NotNull(store.Accounts.TryVerifyFromMemory("gust", Password, null)); // gust logs in again, hanne does not

        TimeSpan step = AccountService.RowFreshness * 0.75;
        store.Time.Advance(step);
        Assert.Equal(1, await store.Accounts.RefreshSnapshotsAsync(CancellationToken.None)); // gust's row only
        store.Time.Advance(step); // older than RowFreshness since the login, younger since the round

        Assert.Equal("gust", store.Accounts.TryVerifyFromMemory("gust", Password, null)?.Username);
        Assert.Null(store.Accounts.TryVerifyFromMemory("hanne", Password, null));

        // The operators' command line (another process) locks gust: the next round reads the lock.
        AccountService other = store.NewAccountService(store.OpenDatabase());
        Assert.True(await other.LockAsync("gust"));
        store.Time.Advance(step);
        Assert.Equal(1, await store.Accounts.RefreshSnapshotsAsync(CancellationToken.None));
        Assert.Null(store.Accounts.TryVerifyFromMemory("gust", Password, null));
        Assert.Equal(AuthOutcome.Disabled, (await store.Accounts.VerifyPasswordAsync("gust", Password, null)).Outcome);
    }

    [Fact]
    public async Task A_round_that_read_the_row_before_a_lock_here_does_not_undo_it()
    {
        using var store = new PortalStore();
        await store.Accounts.CreateAsync("ilse", Password);
        await store.Accounts.VerifyPasswordAsync("ilse", Password, null);
        DateTimeOffset before = store.Time.GetUtcNow();
        store.Time.Advance(TimeSpan.FromMilliseconds(10));
        string hash = store.Accounts.Cache.Peek("ilse")!.PasswordHash;
        store.Accounts.Cache.Remember("ilse", Password, hash, store.Time.GetUtcNow(),
            new VerificationCache.AccountSnapshot(1, "ilse", Locked: true, LastLoginMs: null, store.Time.GetUtcNow()));

        // A snapshot read earlier (unlocked) arrives late: the younger, locked one stays.
        store.Accounts.Cache.Refresh("ilse", hash, new VerificationCache.AccountSnapshot(1, "ilse", Locked: false, LastLoginMs: null, before));
        Assert.True(store.Accounts.Cache.Peek("ilse")!.Account!.Locked);
    }
}
