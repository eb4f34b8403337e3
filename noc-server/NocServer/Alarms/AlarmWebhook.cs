using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Network.Noc.Alarms;

/// <summary>Options of the alarms, section <c>Alarms</c>.</summary>
public sealed class AlarmsOptions
{
    public const string Section = "Alarms";

    /// <summary>Where every alarm change is POSTed as JSON (a chat bridge, a pager); empty: no webhook.</summary>
    [Url]
    public string? WebhookUrl { get; set; }

    /// <summary>When set, each POST carries <c>X-Noc-Signature: sha256=HEX</c>, the HMAC-SHA256 of the body with this secret.</summary>
    [StringLength(1024)]
    public string? WebhookSecret { get; set; }

    /// <summary>Whether alarms suppressed by a parent that is down are sent too.</summary>
    public bool WebhookSuppressed { get; set; }
}

[OptionsValidator]
public sealed partial class AlarmsOptionsValidator : IValidateOptions<AlarmsOptions>;

/// <summary>
/// Sends alarm changes to the configured webhook from a bounded queue, so a slow or dead receiver never slows the
/// NOC: up to three tries per change; when the queue is full the oldest change goes and is counted.
/// </summary>
public sealed partial class AlarmWebhook(IOptions<AlarmsOptions> options, ILogger<AlarmWebhook> logger, TimeProvider time) : BackgroundService, IAlarmObserver
{
    private static readonly Counter<long> s_sent = NocMetrics.Counter(NocMetricNames.AlarmWebhook, "Alarm webhook deliveries by result.");

    private readonly Channel<AlarmView> _queue = Channel.CreateBounded<AlarmView>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        _ => s_sent.Add(1, NocMetrics.Tag("result", "dropped")));

    /// <summary>Queues the changes for the webhook, when there is one (parent-suppressed alarms only with <c>WebhookSuppressed</c>, those in maintenance or of a flapping device never).</summary>
    public void AlarmsChanged(IReadOnlyList<AlarmView> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (string.IsNullOrEmpty(options.Value.WebhookUrl))
        {
            return;
        }

        foreach (AlarmView alarm in changed)
        {
            if (alarm.SuppressedBy is null || (options.Value.WebhookSuppressed && !AlarmKinds.Marked(alarm.SuppressedBy)))
            {
                _queue.Writer.TryWrite(alarm);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(options.Value.WebhookUrl))
        {
            return;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var uri = new Uri(options.Value.WebhookUrl);
        await foreach (AlarmView alarm in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(alarm, JsonSerializerOptions.Web);
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new("application/json");
                    using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
                    if (options.Value.WebhookSecret is { Length: > 0 } secret)
                    {
                        request.Headers.Add("X-Noc-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
                    }

                    using HttpResponseMessage response = await http.SendAsync(request, stoppingToken);
                    response.EnsureSuccessStatusCode();
                    s_sent.Add(1, NocMetrics.Tag("result", "delivered"));
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    if (attempt >= 3)
                    {
                        s_sent.Add(1, NocMetrics.Tag("result", "failed"));
                        LogWebhookFailed(logger, alarm.Id, ex.Message);
                        break;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(attempt * 2), time, stoppingToken);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm webhook gave up on alarm {Alarm}: {Error}")]
    private static partial void LogWebhookFailed(ILogger logger, long alarm, string error);
}
