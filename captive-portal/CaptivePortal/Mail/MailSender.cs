using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Network.ServiceDefaults;

namespace Network.CaptivePortal.Mail;

/// <summary>One plain-text mail to one person.</summary>
public sealed record OutgoingMail(string To, string Subject, string Body);

/// <summary>Sends the portal's mails (password-reset links). Swap in an SMTP sender where a mail server is reachable.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>Where the file sender writes. Section <c>Mail</c>.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The From address of the portal's mails.</summary>
    [System.ComponentModel.DataAnnotations.EmailAddress]
    public string From { get; set; } = "no-reply@urbizone.example";

    /// <summary>Folder of the outbox, inside <c>Storage:DataDirectory</c> when relative.</summary>
    [System.ComponentModel.DataAnnotations.Required(AllowEmptyStrings = false)]
    public string OutboxDirectory { get; set; } = "outbox";
}

[OptionsValidator]
public sealed partial class MailOptionsValidator : IValidateOptions<MailOptions>;

/// <summary>
/// The default sender: each mail becomes an RFC 5322 message file (<c>.eml</c>) in the outbox folder, for an operator's
/// mail relay to pick up (or to read by hand). The log says that a mail was written, never its content: it holds a reset link.
/// </summary>
public sealed partial class FileMailSender(DataDirectory data, IOptions<MailOptions> options, TimeProvider time, ILogger<FileMailSender> logger) : IMailSender
{
    public string OutboxPath => Path.Combine(data.FullPath, options.Value.OutboxDirectory);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (mail.To.Any(c => c is '\r' or '\n') || mail.Subject.Any(c => c is '\r' or '\n'))
        {
            throw new ArgumentException("A header must be one line.", nameof(mail));
        }

        data.Ensure();
        Directory.CreateDirectory(OutboxPath);
        DateTimeOffset now = time.GetUtcNow();
        string name = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}.eml");
        var message = new StringBuilder()
            .Append("From: ").Append(options.Value.From).Append("\r\n")
            .Append("To: ").Append(mail.To).Append("\r\n")
            .Append("Subject: =?utf-8?B?").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(mail.Subject))).Append("?=\r\n")
            .Append("Date: ").Append(now.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
            .Append(mail.Body.ReplaceLineEndings("\r\n")).Append("\r\n");
        string path = Path.Combine(OutboxPath, name);
        await File.WriteAllTextAsync(path + ".tmp", message.ToString(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.Move(path + ".tmp", path);
        LogWritten(logger, name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail written to the outbox as {File}")]
    private static partial void LogWritten(ILogger logger, string file);
}
