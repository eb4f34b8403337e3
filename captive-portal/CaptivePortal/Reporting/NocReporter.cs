using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.Contracts;
using Network.Hosting;
using Network.ServiceDefaults;

namespace Network.CaptivePortal.Reporting;

/// <summary>What became of one report.</summary>
public enum ReportOutcome
{
    /// <summary>200, or 409: the NOC has the batch (a 409 is a batch it already had, so it counts as delivered).</summary>
    Delivered,

    /// <summary>Not sent now (network error, 5xx, 429): the same batch, same sequence, goes again later.</summary>
    Retry,

    /// <summary>401/403 (the token), 400/413: sending it again would not help; the batch is dropped and the error logged.</summary>
    Rejected,

    /// <summary>No <c>Noc:Url</c>.</summary>
    Disabled,
}

/// <summary>
/// Per-hotspot figures to the NOC as a virtual agent, as the hotspot's own series (device <see cref="DeviceNames.Hotspot"/>):
/// users and sessions online, logins (accounting starts) and registrations in the current hour, and the month so far in
/// <see cref="NocReportingOptions.TimeZone"/> (sessions, logins, registrations, octets, and the distinct users as a
/// <see cref="UserCountSketch"/>; in a month's first days the month before again, stamped at its last millisecond, so the
/// NOC has its final figures); as a gzip JSON <see cref="SampleBatch"/> with a bearer token. The sequence rises strictly across
/// restarts (kept in <c>noc-sequence</c> in the data folder, written before the batch leaves), and an unsent batch is sent
/// again unchanged, so the NOC can drop what it already has.
/// </summary>
public sealed partial class NocReporter(HttpClient http, IOptions<NocReportingOptions> options, SessionStore sessions, AccountRegistration registrations,
    DataDirectory data, TimeProvider time, ILogger<NocReporter> logger) : IDisposable
{
    /// <summary>How long into a month the month before is sent again (its last accounting may come late).</summary>
    public static readonly TimeSpan ClosingDays = TimeSpan.FromDays(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
    private SampleBatch? _pending;
    private DateTimeOffset _notBefore;

    private string SequencePath => Path.Combine(data.Ensure(), "noc-sequence");

    /// <summary>The next sequence this portal will use.</summary>
    public long NextSequence => ReadLastSequence() + 1;

    /// <summary>Builds this moment's figures (or takes the batch still pending) and sends it once.</summary>
    public async Task<ReportOutcome> ReportOnceAsync(CancellationToken cancellationToken = default)
    {
        NocReportingOptions o = options.Value;
        if (string.IsNullOrEmpty(o.Url))
        {
            return ReportOutcome.Disabled;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DateTimeOffset now = time.GetUtcNow();
            if (_pending is not null && now < _notBefore)
            {
                return ReportOutcome.Retry;
            }

            _pending ??= await BuildBatchAsync(now, cancellationToken).ConfigureAwait(false);
            return await SendAsync(_pending, o, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The figures now, under the next sequence (reserved on disk first).</summary>
    internal async Task<SampleBatch> BuildBatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        IReadOnlyList<HotspotOnline> onlineNow = await sessions.OnlineByHotspotAsync(cancellationToken).ConfigureAwait(false);
        foreach (HotspotOnline online in onlineNow)
        {
            samples.Add(new Sample(online.Hotspot, DeviceNames.Hotspot, MetricNames.UsersOnline, now, online.Users));
            samples.Add(new Sample(online.Hotspot, DeviceNames.Hotspot, MetricNames.SessionsOnline, now, online.Sessions));
        }

        DateTimeOffset hour = new(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        foreach (HotspotHour h in await sessions.HourlyAsync(hour, now.AddTicks(1), cancellationToken).ConfigureAwait(false))
        {
            samples.Add(new Sample(h.Hotspot, DeviceNames.Hotspot, MetricNames.LoginsPerHour, now, h.StartedSessions));
        }

        foreach ((string hotspot, _, int count) in await registrations.RegistrationsHourlyAsync(hour, now.AddTicks(1), cancellationToken).ConfigureAwait(false))
        {
            samples.Add(new Sample(hotspot, DeviceNames.Hotspot, MetricNames.RegistrationsPerHour, now, count));
        }

        var sketches = new List<UserSketch>();
        var hotspots = new SortedSet<string>(StringComparer.Ordinal);
        DateTimeOffset monthStart = MonthStart(now);
        if (now - monthStart < ClosingDays)
        {
            DateTimeOffset previous = MonthStart(monthStart.AddTicks(-1));
            hotspots.UnionWith(await AddMonthAsync(previous, monthStart, monthStart.AddMilliseconds(-1), samples, sketches, cancellationToken).ConfigureAwait(false));
        }

        hotspots.UnionWith(await AddMonthAsync(monthStart, now.AddTicks(1), now, samples, sketches, cancellationToken).ConfigureAwait(false));

        // A hotspot of the month whose last session has ended has nobody online now: say 0, or the NOC would keep showing
        // the last figure sent while someone was there.
        hotspots.ExceptWith(onlineNow.Select(o => o.Hotspot));
        foreach (string hotspot in hotspots)
        {
            samples.Add(new Sample(hotspot, DeviceNames.Hotspot, MetricNames.UsersOnline, now, 0));
            samples.Add(new Sample(hotspot, DeviceNames.Hotspot, MetricNames.SessionsOnline, now, 0));
        }

        long sequence = ReadLastSequence() + 1;
        string temporary = SequencePath + ".tmp";
        await File.WriteAllTextAsync(temporary, sequence.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, SequencePath, overwrite: true);
        return new SampleBatch(options.Value.AgentId, sequence, now, samples) { Sketches = sketches.Count > 0 ? sketches : null };
    }

    /// <summary>The month's figures per hotspot over [<paramref name="from"/>, <paramref name="to"/>), stamped <paramref name="at"/>; the hotspots they are of.</summary>
    private async Task<IReadOnlyCollection<string>> AddMonthAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset at, List<Sample> samples, List<UserSketch> sketches,
        CancellationToken cancellationToken)
    {
        var figures = new SortedDictionary<string, MonthFigures>(StringComparer.Ordinal);
        MonthFigures Of(string hotspot) => figures.TryGetValue(hotspot, out MonthFigures? f) ? f : figures[hotspot] = new MonthFigures();
        foreach (HotspotUser user in await sessions.UsersAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            MonthFigures f = Of(user.Hotspot);
            f.Users.Add(user.User);
            f.Sessions += user.Sessions;
        }

        foreach (HotspotHour hour in await sessions.HourlyAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            MonthFigures f = Of(hour.Hotspot);
            f.Logins += hour.StartedSessions;
            f.Octets += hour.InputBytes + hour.OutputBytes;
        }

        foreach ((string hotspot, _, int count) in await registrations.RegistrationsHourlyAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            Of(hotspot).Registrations += count;
        }

        string month = TimeZoneInfo.ConvertTime(from, _zone).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        foreach ((string hotspot, MonthFigures f) in figures)
        {
            samples.Add(new Sample(hotspot, DeviceNames.Hotspot, MetricNames.SessionsMonth, at, f.Sessions));
            samples.Add(new Sample(hotspot, DeviceNames.Hotspot, MetricNames.LoginsMonth, at, f.Logins));
            samples.Add(new Sample(hotspot, DeviceNames.Hotspot, MetricNames.RegistrationsMonth, at, f.Registrations));
            samples.Add(new Sample(hotspot, DeviceNames.Hotspot, MetricNames.OctetsMonth, at, f.Octets));
            sketches.Add(new UserSketch(hotspot, month, f.Users.ToBase64()));
        }

        return figures.Keys;
    }

    /// <summary>The start of the month <paramref name="at"/> is in, in the report's zone.</summary>
    private DateTimeOffset MonthStart(DateTimeOffset at)
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(at, _zone);
        var first = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(first, _zone.GetUtcOffset(first));
    }

    private async Task<ReportOutcome> SendAsync(SampleBatch batch, NocReportingOptions o, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
        {
            await JsonSerializer.SerializeAsync(gzip, batch, IngestJsonContext.Default.SampleBatch, cancellationToken).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(o.Url!.TrimEnd('/') + "/"), "api/v1/ingest"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.Token);
        request.Content = new ByteArrayContent(body.ToArray());
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogRetry(logger, batch.Sequence, ex.Message);
            return ReportOutcome.Retry;
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.Conflict:
                    _pending = null;
                    return ReportOutcome.Delivered;
                case HttpStatusCode.TooManyRequests:
                    TimeSpan wait = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - time.GetUtcNow()) ?? TimeSpan.FromSeconds(o.IntervalSeconds);
                    _notBefore = time.GetUtcNow() + wait;
                    LogRetry(logger, batch.Sequence, $"429, retry after {wait.TotalSeconds:F0} s");
                    return ReportOutcome.Retry;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge:
                    _pending = null;
                    LogRejected(logger, batch.Sequence, (int)response.StatusCode);
                    return ReportOutcome.Rejected;
                default:
                    LogRetry(logger, batch.Sequence, $"HTTP {(int)response.StatusCode}");
                    return ReportOutcome.Retry;
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    private sealed class MonthFigures
    {
        public long Sessions { get; set; }

        public long Logins { get; set; }

        public long Registrations { get; set; }

        public long Octets { get; set; }

        public UserCountSketch Users { get; } = new();
    }

    private long ReadLastSequence() =>
        File.Exists(SequencePath) && long.TryParse(File.ReadAllText(SequencePath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long last) ? last : 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "NOC report {Sequence} not delivered ({Reason}); it goes again at the next interval")]
    private static partial void LogRetry(ILogger logger, long sequence, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The NOC refused report {Sequence} with HTTP {Status} (401/403: check Noc:Token and Noc:AgentId); dropped")]
    private static partial void LogRejected(ILogger logger, long sequence, int status);
}

/// <summary>Calls <see cref="NocReporter.ReportOnceAsync"/> every <c>Noc:IntervalSeconds</c> (not at start: the first figures need an interval).</summary>
public sealed class NocReportingService(NocReporter reporter, IOptions<NocReportingOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(options.Value.Url))
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await reporter.ReportOnceAsync(stoppingToken).ConfigureAwait(false);
        }
    }
}

public static class NocReportingExtensions
{
    /// <summary>Reporting to the NOC (options section <c>Noc</c>), off while <c>Noc:Url</c> is empty.</summary>
    public static IHostApplicationBuilder AddNocReporting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NocReportingOptions>().BindConfiguration(NocReportingOptions.Section)
            .ValidateOnStartNamingKeys(NocReportingOptions.Section, new NocReportingOptionsValidator());
        builder.Services.AddHttpClient(nameof(NocReporter), client => client.Timeout = TimeSpan.FromSeconds(30));
        // One reporter per process: it holds the batch not yet delivered.
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<NocReporter>(services,
            services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(NocReporter))));
        builder.Services.AddHostedService<NocReportingService>();
        return builder;
    }
}
