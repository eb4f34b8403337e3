using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Tests.Accounts;
using Network.Contracts;

namespace Network.CaptivePortal.Tests.Polls;

/// <summary>
/// The polls on a portal database (<see cref="PortalStore"/>: SQLite or PostgreSQL, a fake clock): the store, the service
/// and an account service that takes the polls' part along when it removes an account, as the portal wires them.
/// </summary>
internal sealed class PollFixture : IDisposable
{
    public const string Key = "pseudonym-key-for-tests-0123456789abcdef";

    public PollFixture(PortalStore store)
    {
        Portal = store;
        Options = Microsoft.Extensions.Options.Options.Create(new PollsOptions { PseudonymKey = Key });
        Pseudonyms = new Pseudonyms(Options);
        Accounts = new AccountService(store.Database, store.AccountsOptions, store.Time, null, PortalStore.Cheap, [new PollAccountRemoval(Pseudonyms)]);
        Store = new PollStore(store.Database);
        Service = new PollService(Store, Accounts, store.Sessions, Pseudonyms, Options, store.Time);
    }

    public PortalStore Portal { get; }

    public IOptions<PollsOptions> Options { get; }

    public Pseudonyms Pseudonyms { get; }

    public AccountService Accounts { get; }

    public PollStore Store { get; }

    public PollService Service { get; }

    public DateTimeOffset Now => Portal.Time.GetUtcNow();

    /// <summary>A poll of five zones, open from now for 30 days, taking proposals for 20.</summary>
    public static PollDraft Draft(DateTimeOffset now, bool requiresOnline = false, bool resultsWhileOpen = false) => new(
        new PollTexts("Waar komen de hotspots?", "Où vont les hotspots ?", "Where do the hotspots go?"),
        new PollTexts("Kies een zone.", "Choisissez une zone.", "Choose a zone."),
        now, now.AddDays(30),
        [
            new("public-places", new("Openbare pleinen", "Places publiques", "Public places")),
            new("metro", new("Metrostations", "Stations de métro", "Metro stations")),
            new("parks", new("Parken", "Parcs", "Parks")),
            new("libraries", new("Bibliotheken", "Bibliothèques", "Libraries")),
            new("markets", new("Markten", "Marchés", "Markets")),
        ],
        now.AddDays(20), resultsWhileOpen, requiresOnline);

    public Task<long> NewPollAsync(bool requiresOnline = false) => Store.CreatePollAsync(Draft(Now, requiresOnline), Now, CancellationToken.None);

    /// <summary>A citizen with a real account, signed in through the service.</summary>
    public async Task<PollCitizen> CitizenAsync(string username, string password = "Flagey-2026-wifi")
    {
        Assert.Equal(AccountChangeResult.Done, await Accounts.CreateAsync(username, password));
        (AuthResult result, PollCitizen? citizen) = await Service.SignInAsync(username, password, CancellationToken.None);
        Assert.True(result.IsAccepted);
        return citizen!;
    }

    public static NewProposal Place(string name = "Sint-Gorikshallen", string? proposer = null) =>
        new(name, "bruxelles", "Sint-Goriksplein 23", null, null, "Veel mensen wachten daar.", "public-places", proposer);

    /// <summary>A proposal made by <paramref name="citizen"/> and approved by a planner.</summary>
    public async Task<long> ApprovedAsync(long pollId, PollCitizen citizen, string name = "Sint-Gorikshallen")
    {
        (CitizenOutcome outcome, long id) = await Service.ProposeAsync(pollId, citizen, Place(name), CancellationToken.None);
        Assert.Equal(CitizenOutcome.Recorded, outcome);
        Assert.Equal(ModerationOutcome.Done, await Store.ModerateAsync(pollId, id, new ModerationRequest(ModerationActions.Approve, "planner.an"),
            ProposalStates.New, Now, CancellationToken.None));
        return id;
    }

    /// <summary>Rows of a table, as the database holds them.</summary>
    public Task<long> CountAsync(string table) =>
        Portal.Database.ReadAsync(connection => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, $"SELECT count(*) FROM {table}"), CancellationToken.None);

    public void Dispose() => Accounts.Dispose();
}
