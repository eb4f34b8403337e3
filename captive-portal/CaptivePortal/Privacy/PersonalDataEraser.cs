using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Mail;
using Network.Storage;

namespace Network.CaptivePortal.Privacy;

/// <summary>
/// Erases personal data: a deleted account's names, device addresses and IP addresses in the accounting (the counters stay,
/// nameless, for the hotspot figures), and everything past its retention period (<see cref="PrivacyOptions"/>).
/// </summary>
public sealed partial class PersonalDataEraser(SqliteDatabase database, FileMailSender outbox, IOptions<PrivacyOptions> options, TimeProvider time,
    ILogger<PersonalDataEraser> logger)
{
    private const long HourMs = 3_600_000;

    /// <summary>Removes the username, MAC and IP address from every session and accounting record of this user.</summary>
    public Task<int> EraseSessionsAsync(string username, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) =>
        {
            int erased = 0;
            foreach (string table in (string[])["sessions", "accounting_records"])
            {
                using SqliteCommand command = SqliteDatabase.Command(connection, transaction,
                    $"UPDATE {table} SET username = NULL, calling_station_id = NULL, framed_ip = NULL WHERE username = $username COLLATE NOCASE;");
                command.Parameters.AddWithValue("$username", username);
                erased += command.ExecuteNonQuery();
            }

            return erased;
        }, cancellationToken);

    /// <summary>One retention pass: old accounting records, closed sessions, hourly counts, expired reset tokens and outbox mails.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        long cutoff = (now - options.Value.AccountingRetention).ToUnixTimeMilliseconds();
        long nowMs = now.ToUnixTimeMilliseconds();
        int removed = await database.WriteAsync((connection, transaction) =>
        {
            int count = 0;
            foreach (string sql in (string[])[
                "DELETE FROM accounting_records WHERE received_ms < $cutoff;",
                "DELETE FROM sessions WHERE is_open = 0 AND last_update_ms < $cutoff;",
                "DELETE FROM registrations_hourly WHERE hour_ms < $cutoff - $hour;",
                "DELETE FROM password_resets WHERE expires_ms <= $now;",
            ])
            {
                using SqliteCommand command = SqliteDatabase.Command(connection, transaction, sql);
                command.Parameters.AddWithValue("$cutoff", cutoff);
                command.Parameters.AddWithValue("$hour", HourMs);
                command.Parameters.AddWithValue("$now", nowMs);
                count += command.ExecuteNonQuery();
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);

        if (Directory.Exists(outbox.OutboxPath))
        {
            DateTime oldest = (now - options.Value.OutboxRetention).UtcDateTime;
            foreach (FileInfo file in new DirectoryInfo(outbox.OutboxPath).EnumerateFiles("*.eml").Where(f => f.LastWriteTimeUtc < oldest))
            {
                file.Delete();
                removed++;
            }
        }

        if (removed > 0)
        {
            LogSwept(logger, removed);
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} records past their keeping period")]
    private static partial void LogSwept(ILogger logger, int count);
}

/// <summary>Runs <see cref="PersonalDataEraser.SweepAsync"/> at start and every <see cref="PrivacyOptions.SweepInterval"/>.</summary>
public sealed class RetentionService(PersonalDataEraser eraser, IOptions<PrivacyOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await eraser.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SqliteException or IOException)
            {
                logger.LogWarning(ex, "Retention sweep failed; trying again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
