using System.Net;
using CsCheck;
using Network.CaptivePortal.Sessions;
using Network.CaptivePortal.Tests.Accounts;
using Network.CaptivePortal.Accounts;
using Network.Radius.Dictionary;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Sessions;

/// <summary>The store's tests on each engine: one subclass per engine (<see cref="SqliteSessionStoreTests"/>, <see cref="PostgresSessionStoreTests"/>).</summary>
public abstract class SessionStoreTests
{
    /// <summary>A fresh, empty portal database on this class's engine, with its stores.</summary>
    private protected abstract PortalStore NewStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null);

    private static readonly IPAddress s_nasIp = IPAddress.Parse("10.20.0.1");

    private protected static AccountingRecord Record(AcctStatusType status, string sessionId, uint seconds = 0, uint input = 0, uint output = 0,
        string nas = "beursplein", string user = "alice", string mac = "00-10-A4-23-19-C0") => new()
        {
            StatusType = status,
            AcctSessionId = sessionId,
            UserName = user,
            NasIdentifier = nas,
            NasIpAddress = s_nasIp,
            CalledStationId = "AA-BB-CC-00-00-01:Urbizone",
            CallingStationId = mac,
            FramedIpAddress = IPAddress.Parse("10.1.0.7"),
            SessionTime = status == AcctStatusType.Start ? null : seconds,
            InputOctets = input,
            OutputOctets = output,
            TerminateCause = status == AcctStatusType.Stop ? AcctTerminateCause.UserRequest : null,
        };

    [Fact]
    public async Task Start_interim_and_stop_build_one_session()
    {
        using var store = NewStore();
        DateTimeOffset start = store.Time.GetUtcNow();

        Assert.Equal(AccountingOutcome.Recorded, await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "s1")));
        store.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(AccountingOutcome.Recorded, await store.Sessions.RecordAsync(Record(AcctStatusType.InterimUpdate, "s1", 300, 1000, 5000)));
        Assert.Equal(SessionState.Open, (await store.Sessions.FindAsync("s1"))!.State);
        store.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(AccountingOutcome.Recorded, await store.Sessions.RecordAsync(Record(AcctStatusType.Stop, "s1", 420, 1500, 9000)));

        SessionInfo session = (await store.Sessions.FindAsync("s1"))!;
        Assert.Equal(SessionState.Closed, session.State);
        Assert.Equal((1500L, 9000L, 420L), (session.InputBytes, session.OutputBytes, session.SessionTimeSeconds));
        Assert.Equal(start, session.Started);
        Assert.Equal(store.Time.GetUtcNow(), session.Stopped);
        Assert.Equal(AcctTerminateCause.UserRequest, session.TerminateCause);
        Assert.Equal(("alice", "beursplein", s_nasIp, "00-10-A4-23-19-C0"), (session.Username, session.Hotspot, session.NasIpAddress, session.CallingStationId));
        Assert.Empty(await store.Sessions.OnlineByHotspotAsync());
    }

    [Fact]
    public async Task The_same_stop_twice_counts_once_even_with_a_new_delay_time()
    {
        using var store = NewStore();
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "s1"));
        DateTimeOffset sent = store.Time.GetUtcNow() + TimeSpan.FromMinutes(30);
        store.Time.SetUtcNow(sent);
        AccountingRecord stop = Record(AcctStatusType.Stop, "s1", 1800, 70_000, 80_000);

        Assert.Equal(AccountingOutcome.Recorded, await store.Sessions.RecordAsync(stop));
        store.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(AccountingOutcome.Duplicate, await store.Sessions.RecordAsync(stop with { DelayTime = 6 }));
        Assert.Equal(AccountingOutcome.Duplicate, await store.Sessions.RecordAsync(stop));

        SessionInfo session = (await store.Sessions.FindAsync("s1"))!;
        Assert.Equal(70_000, session.InputBytes);
        Assert.Equal(sent, session.Stopped);
        IReadOnlyList<HotspotHour> hours = await store.Sessions.HourlyAsync(sent.AddHours(-2), sent.AddHours(1));
        Assert.Equal(70_000, hours.Sum(h => h.InputBytes));
        Assert.Equal(80_000, hours.Sum(h => h.OutputBytes));
    }

    [Fact]
    public async Task Records_out_of_order_give_the_same_session()
    {
        using var store = NewStore();
        DateTimeOffset t0 = store.Time.GetUtcNow();
        AccountingRecord start = Record(AcctStatusType.Start, "s1") with { EventTimestamp = t0 };
        AccountingRecord interim = Record(AcctStatusType.InterimUpdate, "s1", 300, 100, 200) with { EventTimestamp = t0.AddMinutes(5) };
        AccountingRecord stop = Record(AcctStatusType.Stop, "s1", 600, 400, 900) with { EventTimestamp = t0.AddMinutes(10) };
        store.Time.Advance(TimeSpan.FromMinutes(11));

        foreach (AccountingRecord record in new[] { stop, interim, start })
        {
            Assert.Equal(AccountingOutcome.Recorded, await store.Sessions.RecordAsync(record));
        }

        SessionInfo session = (await store.Sessions.FindAsync("s1"))!;
        Assert.Equal(SessionState.Closed, session.State);
        Assert.Equal((400L, 900L, 600L), (session.InputBytes, session.OutputBytes, session.SessionTimeSeconds));
        Assert.Equal((t0, t0.AddMinutes(10), t0.AddMinutes(10)), (session.Started!.Value, session.LastUpdate, session.Stopped!.Value));
    }

    [Fact]
    public async Task Gigawords_carry_the_high_bits()
    {
        using var store = NewStore();
        AccountingRecord interim = Record(AcctStatusType.InterimUpdate, "s1", 3600, 5, 7) with { InputGigawords = 2, OutputGigawords = 1 };

        await store.Sessions.RecordAsync(interim);

        SessionInfo session = (await store.Sessions.FindAsync("s1"))!;
        Assert.Equal((2L << 32) + 5, session.InputBytes);
        Assert.Equal((1L << 32) + 7, session.OutputBytes);
        Assert.Equal((2L << 32) + 5, interim.InputBytes);
    }

    [Fact]
    public async Task Accounting_On_closes_the_gateways_sessions_that_had_no_news_since()
    {
        using var store = NewStore();
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "a1", user: "alice"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "a2", user: "bob"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "b1", nas: "flageyplein"));
        store.Time.Advance(TimeSpan.FromMinutes(1));
        var on = new AccountingRecord { StatusType = AcctStatusType.AccountingOn, AcctSessionId = "0", NasIdentifier = "beursplein", NasIpAddress = s_nasIp };

        Assert.Equal(AccountingOutcome.Recorded, await store.Sessions.RecordAsync(on));
        store.Time.Advance(TimeSpan.FromSeconds(1));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "a3", user: "carol"));
        // A late copy of the same Accounting-On: counted once, and the session begun after the restart stays open.
        Assert.Equal(AccountingOutcome.Duplicate, await store.Sessions.RecordAsync(on with { DelayTime = 1 }));

        SessionInfo a1 = (await store.Sessions.FindAsync("a1"))!;
        Assert.Equal((SessionState.Closed, AcctTerminateCause.NasReboot), (a1.State, a1.TerminateCause));
        Assert.Equal(SessionState.Closed, (await store.Sessions.FindAsync("a2"))!.State);
        Assert.Equal(SessionState.Open, (await store.Sessions.FindAsync("a3"))!.State);
        Assert.Equal(SessionState.Open, (await store.Sessions.FindAsync("b1"))!.State);
        Assert.Equal([new HotspotOnline("beursplein", 1, 1), new HotspotOnline("flageyplein", 1, 1)], await store.Sessions.OnlineByHotspotAsync());
    }

    [Fact]
    public async Task Accounting_Off_closes_the_gateways_sessions_too()
    {
        using var store = NewStore();
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "a1"));
        store.Time.Advance(TimeSpan.FromSeconds(1));

        await store.Sessions.RecordAsync(new AccountingRecord { StatusType = AcctStatusType.AccountingOff, NasIdentifier = "beursplein", NasIpAddress = s_nasIp });

        Assert.Equal(AcctTerminateCause.NasReboot, (await store.Sessions.FindAsync("a1"))!.TerminateCause);
    }

    [Fact]
    public async Task Users_online_per_hotspot_count_people_not_sessions()
    {
        using var store = NewStore();
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "1", user: "alice"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "2", user: "ALICE", mac: "00-10-A4-23-19-C1"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "3", user: "bob"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "4", user: "carol", nas: "flageyplein"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "5", user: "dave", nas: "flageyplein"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Stop, "5", 60, 1, 1, nas: "flageyplein", user: "dave"));

        Assert.Equal([new HotspotOnline("beursplein", 2, 3), new HotspotOnline("flageyplein", 1, 1)], await store.Sessions.OnlineByHotspotAsync());
        Assert.Equal(["3", "2", "1"], (await store.Sessions.ListOpenAsync("beursplein")).Select(s => s.AcctSessionId).Order().Reverse());
        Assert.Equal(4, (await store.Sessions.ListOpenAsync()).Count);
    }

    [Fact]
    public async Task The_hotspot_can_be_the_Called_Station_Id()
    {
        using var store = NewStore(sessions: new SessionsOptions { HotspotBy = HotspotSource.CalledStationId });
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "1"));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "2", user: "bob") with { CalledStationId = null });

        Assert.Equal([new HotspotOnline("AA-BB-CC-00-00-01:Urbizone", 1, 1), new HotspotOnline("beursplein", 1, 1)],
            await store.Sessions.OnlineByHotspotAsync());
    }

    [Fact]
    public async Task A_session_silent_for_three_intervals_counts_as_gone_until_it_speaks_again()
    {
        using var store = NewStore();
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "s1"));

        store.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.Single(await store.Sessions.OnlineByHotspotAsync());
        store.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await store.Sessions.OnlineByHotspotAsync());
        Assert.Empty(await store.Sessions.ListOpenAsync());
        Assert.Equal(SessionState.Stale, (await store.Sessions.FindAsync("s1"))!.State);

        await store.Sessions.RecordAsync(Record(AcctStatusType.InterimUpdate, "s1", 900, 10, 10));
        Assert.Equal(SessionState.Open, (await store.Sessions.FindAsync("s1"))!.State);
    }

    [Fact]
    public async Task Bytes_go_to_the_hour_they_were_counted_in()
    {
        using var store = NewStore();
        DateTimeOffset hour = new(store.Time.GetUtcNow().Ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero);
        DateTimeOffset start = hour.AddMinutes(50);
        store.Time.SetUtcNow(hour.AddHours(3));
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "s1") with { EventTimestamp = start });
        await store.Sessions.RecordAsync(Record(AcctStatusType.InterimUpdate, "s1", 600, 1000, 10) with { EventTimestamp = start.AddMinutes(10) });
        await store.Sessions.RecordAsync(Record(AcctStatusType.InterimUpdate, "s1", 1200, 3000, 30) with { EventTimestamp = start.AddMinutes(20) });
        await store.Sessions.RecordAsync(Record(AcctStatusType.Stop, "s1", 4800, 3500, 35) with { EventTimestamp = start.AddMinutes(80) });
        await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "s2", user: "bob") with { EventTimestamp = hour.AddMinutes(70) });

        IReadOnlyList<HotspotHour> hours = await store.Sessions.HourlyAsync(hour, hour.AddHours(3));

        Assert.Equal(
            [
                new HotspotHour("beursplein", hour, 1, 1, 0, 0),
                new HotspotHour("beursplein", hour.AddHours(1), 2, 1, 3000, 30),
                new HotspotHour("beursplein", hour.AddHours(2), 1, 0, 500, 5),
            ],
            hours);
        Assert.Equal([hours[2]], await store.Sessions.HourlyAsync(hour.AddHours(2), hour.AddHours(3)));
    }

    [Fact]
    public async Task Incomplete_records_are_refused()
    {
        using var store = NewStore();

        Assert.Equal(AccountingOutcome.Invalid, await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "") with { }));
        Assert.Equal(AccountingOutcome.Invalid, await store.Sessions.RecordAsync(Record(AcctStatusType.Start, "s1") with { NasIdentifier = null, NasIpAddress = null }));
        Assert.Equal(AccountingOutcome.Invalid, await store.Sessions.RecordAsync(Record((AcctStatusType)15, "s1")));
        Assert.Null(await store.Sessions.FindAsync("s1"));
    }

    [Fact]
    public async Task Parallel_writers_and_their_duplicates_count_each_record_once()
    {
        using var store = NewStore();
        AccountingRecord[] records = [.. Enumerable.Range(0, 40).SelectMany(i => new[]
        {
            Record(AcctStatusType.Start, $"s{i}", user: $"user{i}"),
            Record(AcctStatusType.InterimUpdate, $"s{i}", 300, (uint)i * 10, 1, user: $"user{i}"),
            Record(AcctStatusType.InterimUpdate, $"s{i}", 600, (uint)i * 20, 2, user: $"user{i}"),
        })];

        AccountingOutcome[] outcomes = await Task.WhenAll(records.Concat(records).Select(r => Task.Run(() => store.Sessions.RecordAsync(r))));

        Assert.Equal(records.Length, outcomes.Count(o => o == AccountingOutcome.Recorded));
        Assert.Equal(records.Length, outcomes.Count(o => o == AccountingOutcome.Duplicate));
        IReadOnlyList<SessionInfo> open = await store.Sessions.ListOpenAsync();
        Assert.Equal(40, open.Count);
        Assert.Equal(Enumerable.Range(0, 40).Sum(i => i * 20L), open.Sum(s => s.InputBytes));
        Assert.Equal([new HotspotOnline("beursplein", 40, 40)], await store.Sessions.OnlineByHotspotAsync());
    }

    [Fact]
    public async Task Bytes_per_hotspot_are_the_sum_of_each_sessions_last_counters_whatever_the_order_and_duplicates()
    {
        // Each session: cumulative counters growing by the generated steps, one interim per 20 minutes, then a Stop.
        Gen<(long[][] Sessions, int Seed)> gen = Gen.Select(Gen.Long[0, 3L << 32].Array[0, 6].Array[1, 6], Gen.Int);

        await gen.SampleAsync(async sample =>
        {
            using var store = NewStore();
            DateTimeOffset t0 = store.Time.GetUtcNow();
            store.Time.Advance(TimeSpan.FromDays(1));
            var records = new List<AccountingRecord>();
            var expected = new Dictionary<string, long>();
            for (int s = 0; s < sample.Sessions.Length; s++)
            {
                string nas = $"hotspot{s % 3}";
                long total = 0;
                records.Add(Record(AcctStatusType.Start, $"s{s}", nas: nas) with { EventTimestamp = t0 });
                for (int k = 0; k <= sample.Sessions[s].Length; k++)
                {
                    total += k < sample.Sessions[s].Length ? sample.Sessions[s][k] : 0;
                    AcctStatusType status = k < sample.Sessions[s].Length ? AcctStatusType.InterimUpdate : AcctStatusType.Stop;
                    records.Add(Record(status, $"s{s}", (uint)(k + 1) * 1200, (uint)total, 0, nas: nas) with
                    {
                        InputGigawords = (uint)(total >> 32),
                        EventTimestamp = t0.AddMinutes((k + 1) * 20),
                    });
                }

                expected[nas] = expected.GetValueOrDefault(nas) + total;
            }

            var random = new Random(sample.Seed);
            AccountingRecord[] sent = [.. records.Concat(records.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next())];
            int recorded = 0;
            foreach (AccountingRecord record in sent)
            {
                recorded += await store.Sessions.RecordAsync(record) == AccountingOutcome.Recorded ? 1 : 0;
            }

            IReadOnlyList<HotspotHour> hours = await store.Sessions.HourlyAsync(t0.AddHours(-1), t0.AddDays(1));
            Assert.Equal(records.Distinct().Count(), recorded);
            Assert.Equal(expected.OrderBy(e => e.Key), hours.GroupBy(h => h.Hotspot).Select(g => KeyValuePair.Create(g.Key, g.Sum(h => h.InputBytes))).OrderBy(e => e.Key));
            for (int s = 0; s < sample.Sessions.Length; s++)
            {
                SessionInfo session = (await store.Sessions.FindAsync($"s{s}"))!;
                Assert.Equal(SessionState.Closed, session.State);
                Assert.Equal(sample.Sessions[s].Sum(), session.InputBytes);
            }
        }, iter: 40, threads: 1);
    }
}

public sealed class SqliteSessionStoreTests : SessionStoreTests
{
    private protected override PortalStore NewStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null) =>
        new(accounts, sessions, parameters);
}

public sealed class PostgresSessionStoreTests(PostgresDatabase postgres) : SessionStoreTests, IClassFixture<PostgresDatabase>
{
    // A database per store: the tests expect empty tables (made off xunit's context: the constructor of a store is synchronous).
    private protected override PortalStore NewStore(AccountsOptions? accounts = null, SessionsOptions? sessions = null, Argon2Parameters? parameters = null) =>
        new(accounts, sessions, parameters, Task.Run(postgres.CreateAsync).GetAwaiter().GetResult());

    [Fact]
    public async Task Two_nodes_recording_one_session_at_once_keep_one_row_the_right_totals_and_each_record_once()
    {
        using PortalStore store = NewStore();
        await using var second = new SessionStore(store.OpenDatabase(), Microsoft.Extensions.Options.Options.Create(store.SessionsOptions), store.Time);
        AccountingRecord[] records =
        [
            Record(AcctStatusType.Start, "shared"),
            .. Enumerable.Range(1, 60).Select(k => Record(AcctStatusType.InterimUpdate, "shared", (uint)k * 60, (uint)k * 1000, (uint)k * 10)),
            .. Enumerable.Range(1, 20).Select(k => Record(AcctStatusType.InterimUpdate, $"other{k}", 60, 5, 5)),
        ];

        // Every record sent to both nodes (a gateway's retransmission to the second server), all at once.
        AccountingOutcome[] outcomes = await Task.WhenAll(records.SelectMany(r => (Task<AccountingOutcome>[])
            [Task.Run(() => store.Sessions.RecordAsync(r)), Task.Run(() => second.RecordAsync(r))]));

        Assert.Equal(records.Length, outcomes.Count(o => o == AccountingOutcome.Recorded));
        Assert.Equal(records.Length, outcomes.Count(o => o == AccountingOutcome.Duplicate));
        SessionInfo? shared = await store.Sessions.FindAsync("shared");
        Assert.NotNull(shared);
        Assert.Equal((3600L, 60_000L, 600L), (shared.SessionTimeSeconds, shared.InputBytes, shared.OutputBytes));
        Assert.Equal(21, (await store.Sessions.ListOpenAsync()).Count);
        Assert.Equal((61L, 1L), await store.Database.ReadAsync(connection => Dapper.SqlMapper.QuerySingleAsync<(long, long)>(connection,
            "SELECT (SELECT count(*) FROM accounting_records WHERE acct_session_id = 'shared'), (SELECT count(*) FROM sessions WHERE acct_session_id = 'shared')"),
            CancellationToken.None));
    }
}
