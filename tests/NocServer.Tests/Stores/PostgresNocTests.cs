using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.TimeSeries;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Stores;

/// <summary>The whole NOC with its tables on PostgreSQL: the series stay in a SQLite file of their own.</summary>
public sealed class PostgresNocTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_NOC_on_PostgreSQL_ingests_opens_an_alarm_and_answers_a_series_query_from_its_own_series_file()
    {
        await using NocHost noc = await NocHost.StartAsync(("ConnectionStrings:Noc", await postgres.CreateAsync()));
        DateTimeOffset at = DateTimeOffset.UtcNow.AddSeconds(-5);

        using HttpResponseMessage stored = await noc.IngestAsync(NocHost.Batch(1,
            NocHost.Reading("if_in_bps", 1234, at: at), NocHost.Reading(MetricNames.DeviceReachable, 0, at: at)));

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        System.Text.Json.JsonElement series = await engineer.GetFromJsonAsync<System.Text.Json.JsonElement>(new Uri(
            $"/api/v1/sites/{NocHost.Site}/series?metric=if_in_bps&resolution=raw&from={Uri.EscapeDataString(at.AddMinutes(-1).ToString("O"))}", UriKind.Relative));
        Assert.Equal(1234, Assert.Single(Assert.Single(series.EnumerateArray()).GetProperty("buckets").EnumerateArray()).GetProperty("last").GetDouble());
        Assert.True(File.Exists(Path.Combine(noc.Factory.DataDirectory, "noc-series.db")));
        Assert.False(File.Exists(Path.Combine(noc.Factory.DataDirectory, "noc.db")));

        // The alarm and the agent's sequence are in PostgreSQL.
        ServiceDatabase database = noc.Factory.Services.GetRequiredService<ServiceDatabase>();
        Assert.Equal(DatabaseEngine.PostgreSql, database.Engine);
        (string State, long Sequence) row = await database.ReadAsync(connection => connection.QuerySingleAsync<(string, long)>(
            "SELECT (SELECT state FROM alarms WHERE site_id = @site AND kind = 'down'), (SELECT last_sequence FROM agents WHERE id = @agent)",
            new { site = NocHost.Site, agent = NocHost.AgentId }), CancellationToken.None);
        Assert.Equal((Alarms.AlarmStates.Open, 1L), row);
        using HttpResponseMessage ready = await noc.Anonymous().GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task The_command_line_on_PostgreSQL_acts_on_the_database_and_names_it()
    {
        using var data = new TempFolder("noc-cli-postgres");
        string[] common = [$"--ConnectionStrings:Noc={await postgres.CreateAsync()}", $"--Storage:DataDirectory={data.FullPath}"];
        using var added = new StringWriter();
        using var listed = new StringWriter();
        using var errors = new StringWriter();

        int add = await Cli.NocCommands.RunAsync(["users", "add", "pia", "--role", "engineer", "--password-stdin", .. common],
            new StringReader("a long enough password\n"), added, errors);
        int list = await Cli.NocCommands.RunAsync(["users", "list", .. common], new StringReader(""), listed, errors);

        Assert.Equal((0, 0), (add, list));
        Assert.StartsWith("added user pia (engineer) (store PostgreSQL 127.0.0.1:", added.ToString(), StringComparison.Ordinal);
        Assert.Equal("pia\tengineer\n", listed.ToString());
        Assert.DoesNotContain("a long enough", added.ToString() + listed.ToString() + errors.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(data.FullPath, "*.db"));
    }

    [Theory]
    [InlineData(null, null, "Noc", "noc.db")]
    [InlineData("other.db", null, "Noc", "noc.db")]
    [InlineData("Host=db.example;Database=noc", null, "Series", "noc-series.db")]
    [InlineData("Host=db.example;Database=noc", "/var/lib/noc/series.db", "Series", "noc-series.db")]
    [InlineData(null, "series.db", "Series", "noc-series.db")]
    public void The_series_stay_in_the_NOCs_file_while_it_is_SQLite_and_get_their_own_otherwise(string? noc, string? series, string name, string file)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Noc"] = noc, ["ConnectionStrings:Series"] = series,
        }).Build();

        Assert.Equal((name, file), TimeSeriesExtensions.SeriesFile(configuration));
    }
}
