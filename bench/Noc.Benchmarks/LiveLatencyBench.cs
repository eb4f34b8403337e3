using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Network.Contracts;

namespace Network.Noc.Benchmarks;

/// <summary>
/// Ingest-to-dashboard latency of a running NOC: <c>--clients</c> SignalR dashboards (WebSockets, signed in as
/// <c>--user</c>/<c>--password</c>) connect to <c>/hubs/live</c>; then <c>--changes</c> times, one agent
/// (<c>--agent ID:TOKEN</c>) posts a reading that flips a site between up and down (rotating over <c>--sites</c> sites
/// of the seed inventory, so no site flaps), and every dashboard notes when the site's new state reaches it. The
/// latency of one change at one dashboard is that moment minus the moment the POST was sent. Start the NOC with
/// <c>Status:RaiseAfter=1</c> and <c>Status:ClearAfter=1</c> so one reading is one change.
/// </summary>
internal static partial class LiveLatencyBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        string url = options.Value("--url") ?? throw new ArgumentException("--url http://HOST:PORT is required");
        string[] agent = (options.Value("--agent") ?? throw new ArgumentException("--agent ID:TOKEN is required")).Split(':', 2);
        string user = options.Value("--user") ?? "admin";
        string password = options.Value("--password") ?? throw new ArgumentException("--password is required");
        int clients = (int)options.Long("--clients", 100);
        int changes = (int)options.Long("--changes", 200);
        string seed = options.Value("--seed-file") ?? Path.Combine("noc-server", "NocServer", "Inventory", "demo-sites.json");
        string[] sites = [.. JsonDocument.Parse(await File.ReadAllTextAsync(seed)).RootElement.GetProperty("sites").EnumerateArray()
            .Where(s => s.GetProperty("lifecycle").GetString() == "active").Select(s => s.GetProperty("id").GetString()!).Take((int)options.Long("--sites", 30))];

        string cookie = await SignInAsync(new Uri(url), user, password);
        var sent = new ConcurrentDictionary<(string Site, string State), long>();
        var latencies = new ConcurrentBag<double>();
        var connections = new List<HubConnection>();
        int received = 0;
        for (int i = 0; i < clients; i++)
        {
            HubConnection connection = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(url), "/hubs/live"), o => o.Headers["Cookie"] = cookie)
                .Build();
            connection.On<JsonElement, long>("SiteChanged", (site, _) =>
            {
                long now = Stopwatch.GetTimestamp();
                string id = site.GetProperty("id").GetString()!;
                string state = site.GetProperty("state").GetString()!;
                if (sent.TryGetValue((id, state), out long at))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                    Interlocked.Increment(ref received);
                }
            });
            await connection.StartAsync();
            await connection.InvokeAsync<JsonElement>("GetSnapshot");
            connections.Add(connection);
        }

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        long sequence = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var rounds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < changes; i++)
        {
            string site = sites[i % sites.Length];
            int round = rounds[site] = rounds.GetValueOrDefault(site) + 1;
            bool up = round % 2 == 1;
            string state = up ? "Up" : "Down";
            var batch = new SampleBatch(agent[0], ++sequence, DateTimeOffset.UtcNow,
                [new Sample(site, site, "device_reachable", DateTimeOffset.UtcNow, up ? 1 : 0)]);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/ingest")
            {
                Content = JsonContent.Create(batch, IngestJsonContext.Default.SampleBatch),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent[1]);
            int before = Volatile.Read(ref received);
            sent[(site, state)] = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            // One change at a time: wait until every dashboard has it (or 5 s) before the next.
            var wait = Stopwatch.StartNew();
            while (Volatile.Read(ref received) < before + clients && wait.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(1);
            }

            sent.TryRemove((site, state), out _);
        }

        double[] sorted = [.. latencies.Order()];
        int expected = clients * changes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"live: {clients} dashboards, {changes} changes, {sorted.Length} of {expected} deliveries; ingest-to-dashboard p50 {Percentile(sorted, 0.50):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms, max {sorted[^1]:0.0} ms"));
        foreach (HubConnection connection in connections)
        {
            await connection.DisposeAsync();
        }

        return sorted.Length == expected ? 0 : 1;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    internal static async Task<string> SignInAsync(Uri url, string user, string password)
    {
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = url };
        string form = await http.GetStringAsync(new Uri("/login", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = user, ["password"] = password, ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
        });
        using HttpResponseMessage response = await http.PostAsync(new Uri("/login", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in as {user} failed: {(int)response.StatusCode}");
        }

        Cookie session = handler.CookieContainer.GetCookies(url).Single(c => c.Name == "noc.session");
        return $"{session.Name}={session.Value}";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
