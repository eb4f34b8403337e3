using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Mail;
using Network.CaptivePortal.Privacy;
using Network.CaptivePortal.Sessions;
using Network.Radius.Dictionary;
using Network.ServiceDefaults;
using Network.Storage;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Privacy;

/// <summary>Retention on a fake clock: what is past its keeping period goes, what is not stays.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TempFolder _folder = new("portal-retention");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(Random.Shared.Next(18_000, 22_000)).AddSeconds(Random.Shared.Next(86_400)));
    private readonly SqliteDatabase _database;
    private readonly AccountService _accounts;
    private readonly SessionStore _sessions;
    private readonly AccountRegistration _registration;
    private readonly FileMailSender _outbox;
    private readonly PersonalDataEraser _eraser;

    public RetentionTests()
    {
        _database = new SqliteDatabase($"Data Source={_folder.PathOf("portal.db")}", [AccountService.Schema, SessionStore.Schema, AccountRegistration.Schema]);
        _accounts = new AccountService(_database, new AccountsOptions(), _time, null, new Argon2Parameters(128, 1, 1));
        _sessions = new SessionStore(_database, Options.Create(new SessionsOptions()), _time);
        _registration = new AccountRegistration(_database, _accounts, _time);
        var data = new DataDirectory(Options.Create(new StorageOptions { DataDirectory = _folder.FullPath }));
        _outbox = new FileMailSender(data, Options.Create(new MailOptions()), _time, NullLogger<FileMailSender>.Instance);
        _eraser = new PersonalDataEraser(_database, _outbox, Options.Create(new PrivacyOptions
        {
            AccountingRetention = TimeSpan.FromDays(365),
            OutboxRetention = TimeSpan.FromDays(7),
        }), _time, NullLogger<PersonalDataEraser>.Instance);
    }

    public void Dispose()
    {
        _accounts.Dispose();
        _database.Dispose();
        _folder.Dispose();
    }

    private Task Session(string id, string user, AcctStatusType status) => _sessions.RecordAsync(new AccountingRecord
    {
        StatusType = status, AcctSessionId = id, UserName = user, NasIdentifier = "hs-simonis", CallingStationId = "00-16-3E-00-00-01", SessionTime = 60,
    });

    [Fact]
    public async Task Accounting_past_the_retention_and_spent_tokens_and_old_mails_go_the_rest_stays()
    {
        Assert.Equal(RegistrationResult.Done, (await _registration.RegisterAsync("old.user", "Simonis-2026-wifi", "old@example.org", "hs-simonis")).Result);
        await Session("OLD-1", "old.user", AcctStatusType.Start);
        await Session("OLD-1", "old.user", AcctStatusType.Stop);
        await Session("STILL-OPEN", "old.user", AcctStatusType.Start);
        Assert.NotNull(await _registration.CreateResetAsync("old.user", TimeSpan.FromMinutes(30)));
        await _outbox.SendAsync(new OutgoingMail("old@example.org", "Reset", "link"), CancellationToken.None);
        string mail = Assert.Single(Directory.GetFiles(_outbox.OutboxPath));
        File.SetLastWriteTimeUtc(mail, _time.GetUtcNow().UtcDateTime);

        _time.Advance(TimeSpan.FromDays(366));
        await Session("NEW-1", "new.user", AcctStatusType.Start);
        int removed = await _eraser.SweepAsync();

        Assert.True(removed >= 4, $"{removed} removed");
        Assert.Null(await _sessions.FindAsync("OLD-1"));
        Assert.NotNull(await _sessions.FindAsync("STILL-OPEN"));
        Assert.NotNull(await _sessions.FindAsync("NEW-1"));
        Assert.Empty(Directory.GetFiles(_outbox.OutboxPath));
        Assert.Empty(await _registration.RegistrationsHourlyAsync(_time.GetUtcNow().AddDays(-400), _time.GetUtcNow()));
        Assert.NotNull(await _accounts.FindAsync("old.user"));
    }

    [Fact]
    public async Task A_young_mail_and_young_accounting_stay()
    {
        await Session("YOUNG-1", "someone", AcctStatusType.Start);
        await Session("YOUNG-1", "someone", AcctStatusType.Stop);
        await _outbox.SendAsync(new OutgoingMail("young@example.org", "Reset", "link"), CancellationToken.None);
        File.SetLastWriteTimeUtc(Assert.Single(Directory.GetFiles(_outbox.OutboxPath)), _time.GetUtcNow().UtcDateTime);

        _time.Advance(TimeSpan.FromDays(6));
        int removed = await _eraser.SweepAsync();

        Assert.Equal(0, removed);
        Assert.NotNull(await _sessions.FindAsync("YOUNG-1"));
        Assert.Single(Directory.GetFiles(_outbox.OutboxPath));
    }
}
