using System.Diagnostics;
using System.Globalization;
using Dapper;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Polls;
using Network.Contracts;
using Network.Storage;

namespace Network.Radius.Benchmarks;

/// <summary>
/// The polls' ranking on the portal's database: PROPOSALS approved proposals with RATINGS ratings spread over them (one
/// per proposal and rater), then the results as the API and the page compute them (<see cref="PollStore.CountsAsync"/>
/// and <see cref="PollRanking.Rank"/>), RUNS times after 3 warm-up runs; again once the poll is closed and its ratings
/// folded into counts. SQLite in a temporary folder, or the PostgreSQL database CONNECTION names.
/// <code>
/// dotnet run -c Release --project bench/Radius.Benchmarks -- polls-ranking 1000 100000 20 [CONNECTION]
/// </code>
/// </summary>
internal static class PollRankingBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        int proposals = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        int ratings = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        int runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        DirectoryInfo folder = Directory.CreateTempSubdirectory("polls-ranking-");
        try
        {
            string connection = args.Length > 4 ? args[4] : $"Data Source={Path.Combine(folder.FullName, "portal.db")}";
            await using var database = new ServiceDatabase(connection, [AccountService.Feature.Migrations]);
            await database.MigrateAsync().ConfigureAwait(false);
            var store = new PollStore(database);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var draft = new PollDraft(new("t", "t", "t"), new("d", "d", "d"), now.AddDays(-1), now.AddDays(30),
                [.. Enumerable.Range(0, 5).Select(i => new PollOption($"zone-{i}", new($"z{i}", $"z{i}", $"z{i}")))], now.AddDays(20), true, false);
            long poll = await store.CreatePollAsync(draft, now, CancellationToken.None).ConfigureAwait(false);
            int raters = (ratings + proposals - 1) / proposals;
            var random = new Random(20150603);
            await database.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("""
                    INSERT INTO poll_proposals (poll_id, pseudonym, name, commune, address, why, option_key, state, submitted_ms)
                    VALUES (@poll, NULL, @name, 'bruxelles', 'somewhere', 'why', @zone, 'approved', @ms)
                    """, Enumerable.Range(0, proposals).Select(i => new { poll, name = $"place {i}", zone = $"zone-{i % 5}", ms = now.ToUnixTimeMilliseconds() }), t)
                    .ConfigureAwait(false);
                long[] ids = [.. await c.QueryAsync<long>("SELECT id FROM poll_proposals WHERE poll_id = @poll ORDER BY id", new { poll }, t).ConfigureAwait(false)];
                var rows = new List<object>(ratings);
                for (int r = 0; r < raters && rows.Count < ratings; r++)
                {
                    string pseudonym = $"{r:x64}";
                    for (int p = 0; p < ids.Length && rows.Count < ratings; p++)
                    {
                        rows.Add(new { proposal = ids[p], pseudonym, poll, hearts = 1 + random.Next(5), ms = now.ToUnixTimeMilliseconds() });
                    }
                }

                await c.ExecuteAsync("INSERT INTO poll_ratings (proposal_id, pseudonym, poll_id, hearts, rated_ms) VALUES (@proposal, @pseudonym, @poll, @hearts, @ms)",
                    rows, t).ConfigureAwait(false);
            }, CancellationToken.None).ConfigureAwait(false);
            StoredPoll stored = (await store.PollAsync(poll, CancellationToken.None).ConfigureAwait(false))!;

            Console.WriteLine($"{proposals} approved proposals, {ratings} ratings, {(connection.StartsWith("Data Source", StringComparison.Ordinal) ? "SQLite" : "PostgreSQL")}");
            await MeasureAsync("running (ratings by pseudonym)", store, stored, runs).ConfigureAwait(false);
            await store.CloseDueAsync(now.AddDays(31), CancellationToken.None).ConfigureAwait(false);
            await MeasureAsync("closed (counts only)", store, stored, runs).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task MeasureAsync(string what, PollStore store, StoredPoll poll, int runs)
    {
        var times = new List<double>(runs);
        PollResults? results = null;
        for (int i = 0; i < runs + 3; i++)
        {
            long start = Stopwatch.GetTimestamp();
            PollCounts counts = await store.CountsAsync(poll.Id, CancellationToken.None).ConfigureAwait(false);
            results = PollRanking.Rank(poll, counts, PollStates.Open, 5);
            if (i >= 3)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"{what}: min {times[0]:F1} ms, median {times[times.Count / 2]:F1} ms, max {times[^1]:F1} ms over {runs} runs; {results!.Proposals.Count} ranked, {results.Proposals.Sum(p => p.Ratings)} ratings, best {results.Proposals[0].Score:F3}"));
    }
}
