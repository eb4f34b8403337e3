using System.Globalization;
using Network.Noc.Agents;
using Network.Noc.Users;
using Network.ServiceDefaults;
using Network.Storage;

namespace Network.Noc.Cli;

/// <summary>
/// The operators' command line, on the NOC's own store and configuration (appsettings, environment, and
/// <c>--Key:Sub=value</c> arguments). The first admin is created here; so are agents whose token the deployment
/// generated (ansible), read from standard input so it never shows in a process list. A command acts only on a store
/// that exists (<c>--create-store</c> makes a new one) and names the store it used, so an operator in the wrong folder
/// learns it at once instead of filling a new empty store.
/// </summary>
public static class NocCommands
{
    public const int ExitUsage = 64;
    public const int ExitNotFound = 1;
    public const int ExitRefused = 2;

    /// <summary>The flag that lets a command create the store when it is not there yet.</summary>
    public const string CreateStoreFlag = ExistingStore.CreateFlag;

    /// <summary>The commands: their words, their syntax after the words, what they do.</summary>
    private static readonly (string[] Words, string Syntax, string Meaning)[] s_commands =
    [
        (["users", "add"], "NAME --role engineer|planner|admin --password-stdin [--replace]",
            "adds a user; the password is the first line of standard input; --replace sets an existing user's role and password"),
        (["users", "list"], "", "lists the users and their roles"),
        (["users", "remove"], "NAME", "removes a user"),
        (["agents", "add"], "ID [--site SITE] [--token-stdin]",
            "registers an agent and prints a new token, once; --token-stdin takes the token from standard input instead"),
        (["agents", "list"], "", "lists the agents, their site, state and last sequence"),
        (["agents", "revoke"], "ID", "revokes an agent's token: its next ingest call gets 401"),
        (["agents", "rotate"], "ID --token-stdin | --finish",
            "starts a token rotation (the next token from standard input; the current and the next are both accepted) or finishes it"),
    ];

    private const string CommonOptions = """
        options of every command:
          --create-store                create the NOC's store when there is none yet (without it a command refuses to act
                                        on a store that does not exist, so a typo in the data folder creates nothing)
          --Storage:DataDirectory=DIR   the data folder (default: data, relative to the working directory), also
                                        Storage__DataDirectory in the environment; the store is noc.db in it
          --ConnectionStrings:Noc=FILE  another store file (relative: inside the data folder), or a PostgreSQL
                                        connection string (Host=...;Database=...;Username=...)
          --help                        this text; Network.Noc COMMAND --help for one command
        Every command says which store it used. Without a command, Network.Noc serves the dashboards and the APIs.
        """;

    /// <summary>The usage of the commands that begin with <paramref name="words"/> (all of them for none).</summary>
    public static string UsageOf(IReadOnlyList<string> words)
    {
        var text = new System.Text.StringBuilder("usage:\n");
        foreach ((string[] command, string syntax, string meaning) in s_commands.Where(c => c.Words.AsSpan().StartsWith(words.ToArray())))
        {
            text.Append("  Network.Noc ").AppendJoin(' ', command).Append(syntax.Length > 0 ? " " + syntax : "").Append(" [--create-store]\n")
                .Append("      ").Append(meaning).Append('\n');
        }

        return text.Append(CommonOptions).ToString();
    }

    /// <summary>
    /// An operator's command (<c>users ...</c>, <c>agents ...</c>) or a request for help (<c>help</c>, or <c>--help</c> /
    /// <c>-h</c> anywhere): never the service, so asking for help starts no server and creates no data folder.
    /// </summary>
    public static bool IsCommand(string[] args) => args is ["users" or "agents" or "help", ..] || Array.Exists(args, CommandLineHost.IsHelp);

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is ["help", ..] || Array.Exists(args, CommandLineHost.IsHelp))
        {
            await output.WriteAsync(UsageOf(HelpTopic(args))).ConfigureAwait(false);
            return 0;
        }

        bool createStore = args.Contains(CreateStoreFlag, StringComparer.Ordinal);
        try
        {
            return await CommandLineHost.RunAsync([.. args.Where(a => a != CreateStoreFlag)], builder =>
            {
                if (!createStore)
                {
                    // Registered before the stores' migration, which would create the file.
                    ExistingStore.Require(builder.Services);
                }

                builder.AddUserStore();
                builder.AddAgents();
            }, (words, services) => RunAsync(words, services, input, output, error), error).ConfigureAwait(false);
        }
        catch (StoreMissingException ex)
        {
            await error.WriteLineAsync(
                $"no NOC store at {ex.Path}: nothing done. Name the NOC's data folder (--Storage:DataDirectory=DIR or Storage__DataDirectory), " +
                $"or add {CreateStoreFlag} to create a new store there.").ConfigureAwait(false);
            return ExitRefused;
        }
    }

    /// <summary>The command words before the help flag that name commands (<c>users add --help</c>: users add).</summary>
    private static string[] HelpTopic(string[] args)
    {
        string[] words = [.. args.SkipWhile(a => a == "help").TakeWhile(a => !a.StartsWith('-')).Take(2)];
        while (words.Length > 0 && !s_commands.Any(c => c.Words.AsSpan().StartsWith(words)))
        {
            words = words[..^1];
        }

        return words;
    }

    private static async Task<int> RunAsync(string[] words, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        UserService users = services.GetRequiredService<UserService>();
        AgentService agents = services.GetRequiredService<AgentService>();
        ServiceDatabase database = services.GetRequiredService<ServiceDatabase>();
        string store = $"(store {(database.FilePath is string file ? Path.GetFullPath(file) : database.Description)})";
        try
        {
            switch (words)
            {
                case ["users", "add", string name, "--role", string role, "--password-stdin", .. var rest] when rest is [] or ["--replace"]:
                    {
                        string password = (await input.ReadLineAsync().ConfigureAwait(false)) ?? "";
                        NocUser user = await users.AddAsync(name, role, password, replace: rest.Length == 1, CancellationToken.None).ConfigureAwait(false);
                        await output.WriteLineAsync($"added user {user.Name} ({user.Role}) {store}").ConfigureAwait(false);
                        return 0;
                    }

                case ["users", "list"]:
                    await error.WriteLineAsync(store).ConfigureAwait(false);
                    foreach (NocUser user in await users.ListAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        await output.WriteLineAsync($"{user.Name}\t{user.Role}").ConfigureAwait(false);
                    }

                    return 0;
                case ["users", "remove", string name]:
                    return await Done(await users.RemoveAsync(name, CancellationToken.None).ConfigureAwait(false), $"removed user {name} {store}", $"no user {name} {store}", output, error).ConfigureAwait(false);
                case ["agents", "add", string id, .. var options]:
                    {
                        string? site = null;
                        bool tokenFromInput = false;
                        for (int i = 0; i < options.Length; i++)
                        {
                            switch (options[i])
                            {
                                case "--site" when i + 1 < options.Length:
                                    site = options[++i];
                                    break;
                                case "--token-stdin":
                                    tokenFromInput = true;
                                    break;
                                default:
                                    await error.WriteAsync(UsageOf(["agents", "add"])).ConfigureAwait(false);
                                    return ExitUsage;
                            }
                        }

                        string? given = tokenFromInput ? (await input.ReadLineAsync().ConfigureAwait(false))?.Trim() : null;
                        string token = await agents.CreateAsync(id, site, given, CancellationToken.None).ConfigureAwait(false);
                        await output.WriteLineAsync(tokenFromInput ? $"added agent {id} {store}" : $"added agent {id} {store}; its token (shown once): {token}").ConfigureAwait(false);
                        return 0;
                    }

                case ["agents", "list"]:
                    await error.WriteLineAsync(store).ConfigureAwait(false);
                    foreach (AgentInfo agent in await agents.ListAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        string state = agent.RevokedAt is DateTimeOffset at ? $"revoked {at:yyyy-MM-dd HH:mm}" : "active";
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{agent.Id}\t{agent.Site ?? "-"}\t{state}\tlast sequence {agent.LastSequence}")).ConfigureAwait(false);
                    }

                    return 0;
                case ["agents", "rotate", string id, "--token-stdin"]:
                    {
                        string next = (await input.ReadLineAsync().ConfigureAwait(false))?.Trim() ?? "";
                        return await Done(await agents.BeginRotationAsync(id, next, CancellationToken.None).ConfigureAwait(false),
                            $"agent {id} accepts its current and its next token until: agents rotate {id} --finish {store}", $"no active agent {id} {store}", output, error).ConfigureAwait(false);
                    }

                case ["agents", "rotate", string id, "--finish"]:
                    return await Done(await agents.FinishRotationAsync(id, CancellationToken.None).ConfigureAwait(false),
                        $"agent {id} accepts only its next token now {store}", $"no rotation under way for agent {id} {store}", output, error).ConfigureAwait(false);
                case ["agents", "revoke", string id]:
                    return await Done(await agents.RevokeAsync(id, CancellationToken.None).ConfigureAwait(false), $"revoked agent {id} {store}", $"no active agent {id} {store}", output, error).ConfigureAwait(false);
                default:
                    await error.WriteAsync(UsageOf(HelpTopic(words))).ConfigureAwait(false);
                    return ExitUsage;
            }
        }
        catch (Exception ex) when (ex is UserException or AgentException)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitRefused;
        }
    }

    private static async Task<int> Done(bool done, string success, string failure, TextWriter output, TextWriter error)
    {
        await (done ? output : error).WriteLineAsync(done ? success : failure).ConfigureAwait(false);
        return done ? 0 : ExitNotFound;
    }
}
