using System.Globalization;
using Network.Noc.Agents;
using Network.Noc.Users;
using Network.ServiceDefaults;

namespace Network.Noc.Cli;

/// <summary>
/// The operators' command line, on the NOC's own store and configuration (appsettings, environment, and
/// <c>--Key:Sub=value</c> arguments). The first admin is created here; so are agents whose token the deployment
/// generated (ansible), read from standard input so it never shows in a process list.
/// </summary>
public static class NocCommands
{
    public const int ExitUsage = 64;
    public const int ExitNotFound = 1;
    public const int ExitRefused = 2;

    public const string Usage = """
        usage: Network.Noc users add NAME --role engineer|planner|admin --password-stdin [--replace]
                           users list | remove NAME
                           agents add ID [--site SITE] [--token-stdin]   (prints a new token unless one is given)
                           agents list | revoke ID
                           agents rotate ID --token-stdin | --finish      (both tokens accepted until --finish)
               settings as for the service: appsettings.json, environment (Storage__DataDirectory), or --Storage:DataDirectory=DIR
        """;

    public static bool IsCommand(string[] args) => args is ["users" or "agents", ..];

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        return await CommandLineHost.RunAsync(args, builder =>
        {
            builder.AddUserStore();
            builder.AddAgents();
        }, (words, services) => RunAsync(words, services, input, output, error), error).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(string[] words, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        UserService users = services.GetRequiredService<UserService>();
        AgentService agents = services.GetRequiredService<AgentService>();
        try
        {
            switch (words)
            {
                case ["users", "add", string name, "--role", string role, "--password-stdin", .. var rest] when rest is [] or ["--replace"]:
                    {
                        string password = (await input.ReadLineAsync().ConfigureAwait(false)) ?? "";
                        NocUser user = await users.AddAsync(name, role, password, replace: rest.Length == 1, CancellationToken.None).ConfigureAwait(false);
                        await output.WriteLineAsync($"user {user.Name} ({user.Role})").ConfigureAwait(false);
                        return 0;
                    }

                case ["users", "list"]:
                    foreach (NocUser user in await users.ListAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        await output.WriteLineAsync($"{user.Name}\t{user.Role}").ConfigureAwait(false);
                    }

                    return 0;
                case ["users", "remove", string name]:
                    return await Done(await users.RemoveAsync(name, CancellationToken.None).ConfigureAwait(false), $"removed {name}", $"no user {name}", output, error).ConfigureAwait(false);
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
                                    await error.WriteLineAsync(Usage).ConfigureAwait(false);
                                    return ExitUsage;
                            }
                        }

                        string? given = tokenFromInput ? (await input.ReadLineAsync().ConfigureAwait(false))?.Trim() : null;
                        string token = await agents.CreateAsync(id, site, given, CancellationToken.None).ConfigureAwait(false);
                        await output.WriteLineAsync(tokenFromInput ? $"agent {id} created" : $"agent {id} created; its token (shown once): {token}").ConfigureAwait(false);
                        return 0;
                    }

                case ["agents", "list"]:
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
                            $"agent {id} accepts its current and its next token until: agents rotate {id} --finish", $"no active agent {id}", output, error).ConfigureAwait(false);
                    }

                case ["agents", "rotate", string id, "--finish"]:
                    return await Done(await agents.FinishRotationAsync(id, CancellationToken.None).ConfigureAwait(false),
                        $"agent {id} accepts only its next token now", $"no rotation under way for agent {id}", output, error).ConfigureAwait(false);
                case ["agents", "revoke", string id]:
                    return await Done(await agents.RevokeAsync(id, CancellationToken.None).ConfigureAwait(false), $"revoked {id}", $"no active agent {id}", output, error).ConfigureAwait(false);
                default:
                    await error.WriteLineAsync(Usage).ConfigureAwait(false);
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
