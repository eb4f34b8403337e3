using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.CaptivePortal.Tests.Accounts;
using Network.Radius.Dictionary;
using Network.Storage;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Storage;

/// <summary>
/// A portal file made by the release before FluentMigrator (commit 11e4300: its command line imported three users and
/// locked one, its RADIUS server took radclient's logins, two failed, and accounting for an open and a stopped session),
/// opened by this build: nothing lost, and the stores work on it.
/// </summary>
public sealed class LegacyPortalFileTests : IDisposable
{
    private readonly TempFolder _folder = new("portal-legacy");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_file_of_the_release_before_keeps_its_accounts_lockouts_and_sessions_and_takes_new_ones()
    {
        string file = _folder.PathOf("portal.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "portal-11e4300.db"), file);
        long madeMs;
        using (var legacy = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            Assert.Equal(["account_profiles=2", "accounts=2", "sessions=1"],
                legacy.Query<string>("SELECT component || '=' || version FROM schema_version ORDER BY component"));
            madeMs = legacy.ExecuteScalar<long>("SELECT max(received_ms) FROM accounting_records");
        }

        // The clock of the moment the file was made: its failed logins and open sessions are still current then.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(madeMs).AddMinutes(1));
        using ServiceDatabase database = PortalStore.Open($"Data Source={file}");
        using var accounts = new AccountService(database, new AccountsOptions(), time, null, PortalStore.Cheap);
        await using var sessions = new SessionStore(database, Options.Create(new SessionsOptions()), time);

        IReadOnlyList<AccountInfo> listed = await accounts.ListAsync();
        Assert.Equal(["user0001", "user0002", "user0003"], listed.Select(a => a.Username));
        Assert.NotNull(listed[0].LastLogin);
        Assert.Equal(2, listed[1].FailedAttempts);
        Assert.Equal([false, false, true], listed.Select(a => a.Locked));
        Assert.True((await accounts.VerifyPasswordAsync("USER0001", "pw-0001-secret", null)).IsAccepted);
        Assert.Equal(AuthOutcome.Disabled, (await accounts.VerifyPasswordAsync("user0003", "pw-0003-secret", null)).Outcome);
        Assert.Equal(AccountChangeResult.UsernameTaken, await accounts.CreateAsync("User0002", "Sint-Gillis-2026"));
        Assert.Equal(AccountChangeResult.UsernameLookAlike, await accounts.CreateAsync("userOOO2", "Sint-Gillis-2026"));
        Assert.Equal(AccountChangeResult.Done, await accounts.CreateAsync("lotte", "Sint-Gillis-2026"));

        SessionInfo? open = await sessions.FindAsync("legacy-open");
        Assert.Equal((SessionState.Open, "user0001", 123_456L, 654_321L), (open?.State, open?.Username, open?.InputBytes, open?.OutputBytes));
        SessionInfo? done = await sessions.FindAsync("legacy-done");
        Assert.Equal((SessionState.Closed, 300L, AcctTerminateCause.UserRequest), (done?.State, done?.SessionTimeSeconds, done?.TerminateCause));
        var interim = new AccountingRecord
        {
            StatusType = AcctStatusType.InterimUpdate, AcctSessionId = "legacy-open", UserName = "user0001", NasIdentifier = "hs-legacy",
            CallingStationId = "00-16-3E-11-22-33", SessionTime = 1200, InputOctets = 200_000, OutputOctets = 700_000,
        };
        Assert.Equal(AccountingOutcome.Recorded, await sessions.RecordAsync(interim));
        Assert.Equal(AccountingOutcome.Duplicate, await sessions.RecordAsync(interim));
        Assert.Equal(200_000L, (await sessions.FindAsync("legacy-open"))?.InputBytes);
        Assert.Equal([new HotspotOnline("hs-legacy", 1, 1)], await sessions.OnlineByHotspotAsync());

        using var check = new SqliteConnection($"Data Source={file};Pooling=false");
        Assert.Empty(check.Query<string>("SELECT component FROM schema_version"));
        Assert.Equal([2026120710L, 2026120711L, 2026120712L, 2026120760L], check.Query<long>("SELECT Version FROM VersionInfo ORDER BY Version"));
    }
}
