using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Sessions;
using Network.Radius.Client;
using Network.Radius.Packets;
using Network.Hosting;
using Network.ServiceDefaults;
using Network.Storage;

namespace Network.CaptivePortal.Cli;

/// <summary>
/// The operators' command line, on the portal's own stores and configuration: the same sources as the service
/// (appsettings.json, appsettings.{Environment}.json, the settings file of <c>--config FILE</c> or <c>Portal:ConfigFile</c>,
/// environment, and <c>--Key:Sub=value</c> arguments), so it sees the gateways and the data folder the service was given.
/// A command acts only on a store that exists (<c>--create-store</c> makes a new one) and names the store it used, so an
/// operator in the wrong folder learns it at once instead of filling a new empty store. <c>--help</c> starts nothing.
/// </summary>
public static class PortalCommands
{
    public const int ExitUsage = 64;
    public const int ExitNotFound = 1;
    public const int ExitRefused = 2;

    /// <summary>The flag that lets a command create the store when it is not there yet.</summary>
    public const string CreateStoreFlag = ExistingStore.CreateFlag;

    public const string Usage = """
        usage: Network.CaptivePortal [--config FILE] [--Key:Sub=value ...]    runs the portal (web pages and RADIUS)
               Network.CaptivePortal users add NAME --password-stdin             the password is the first line of standard input
                                     users import --stdin                        NAME PASSWORD a line on standard input
                                     users list | lock NAME | unlock NAME | remove NAME
                                     sessions list [HOTSPOT] | disconnect ACCT-SESSION-ID
                                     clients list                                the RADIUS clients (gateways), never their secrets
        options of every command:
          --config FILE                 the portal's settings file (JSON), as given to the service (also Portal__ConfigFile)
          --create-store                create the portal's store when there is none yet (without it a command refuses to
                                        act on a store that does not exist, so a typo in the data folder creates nothing)
          --Storage:DataDirectory=DIR   the data folder (default: data, relative to the working directory), also
                                        Storage__DataDirectory in the environment; the store is portal.db in it
          --ConnectionStrings:Portal=FILE   another store file (relative: inside the data folder)
          --help                        this text
        Every command that reads or writes the store says which one it used.
        """;

    /// <summary>
    /// An operator's command (<c>users ...</c>, <c>sessions ...</c>, <c>clients ...</c>) or a request for help (<c>help</c>,
    /// or <c>--help</c> / <c>-h</c> anywhere): never the service, so asking for help starts no server and creates no folder.
    /// </summary>
    public static bool IsCommand(string[] args) => Words(args) is ["users" or "sessions" or "clients" or "help", ..] || Array.Exists(args, CommandLineHost.IsHelp);

    /// <summary>The words of a command line: without <c>--config FILE</c> and the <c>--Key:Sub=value</c> settings, wherever they are.</summary>
    private static string[] Words(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        PortalConfigFile.TryTake(args, out string[] rest, out _);
        return [.. rest.Where(a => !CommandLineHost.IsSetting(a))];
    }

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Words(args) is ["help", ..] || Array.Exists(args, CommandLineHost.IsHelp))
        {
            await output.WriteAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        if (!PortalConfigFile.TryTake(args, out string[] rest, out string? configFile))
        {
            return Fail(error);
        }

        bool createStore = rest.Contains(CreateStoreFlag, StringComparer.Ordinal);
        bool usesStore = Words(rest) is not ["clients", ..];
        try
        {
            return await CommandLineHost.RunAsync([.. rest.Where(a => a != CreateStoreFlag)], builder =>
            {
                UseWebEnvironment(builder);
                if (!PortalConfigFile.TryAdd(builder.Configuration, configFile, out string? configError))
                {
                    throw new OptionsValidationException(PortalConfigFile.Key, typeof(string), [configError]);
                }

                builder.Services.AddOptions<RadiusOptions>().BindConfiguration(RadiusOptions.Section);
                if (usesStore)
                {
                    if (!createStore)
                    {
                        // Registered before the stores' migration, which would create the file.
                        ExistingStore.Require(builder.Services);
                    }

                    builder.AddAccounts();
                    builder.AddSessions();
                    builder.Services.AddRadiusClients();
                }
            }, (words, services) => RunAsync(words, services, input, output, error), error).ConfigureAwait(false);
        }
        catch (StoreMissingException ex)
        {
            await error.WriteLineAsync(
                $"no portal store at {ex.Path}: nothing done. Name the portal's data folder (--Storage:DataDirectory=DIR or Storage__DataDirectory, " +
                $"or the service's settings file with --config FILE), or add {CreateStoreFlag} to create a new store there.").ConfigureAwait(false);
            return ExitRefused;
        }
        catch (OptionsValidationException ex) when (ex.OptionsName == PortalConfigFile.Key)
        {
            await error.WriteLineAsync($"configuration error: {string.Join("; ", ex.Failures)}").ConfigureAwait(false);
            return ConfigurationErrors.ExitCode;
        }
    }

    /// <summary>
    /// The service, a web host, also takes its environment name from <c>ASPNETCORE_ENVIRONMENT</c> (which wins over
    /// <c>DOTNET_ENVIRONMENT</c>); this host knows only the latter. So the command line reads the same
    /// <c>appsettings.{Environment}.json</c> as the service, that file takes the place of the one of the other name.
    /// </summary>
    private static void UseWebEnvironment(IHostApplicationBuilder builder)
    {
        string? web = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        string current = builder.Environment.EnvironmentName;
        if (string.IsNullOrEmpty(web) || web == current)
        {
            return;
        }

        IList<IConfigurationSource> sources = builder.Configuration.Sources;
        int index = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path: { } path } && path == $"appsettings.{current}.json");
        if (index >= 0)
        {
            sources.RemoveAt(index);
            sources.Insert(index, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
            {
                Path = $"appsettings.{web}.json",
                Optional = true,
                FileProvider = builder.Environment.ContentRootFileProvider,
            });
        }

        builder.Environment.EnvironmentName = web;
    }

    private static async Task<int> RunAsync(string[] words, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        string store = services.GetService<ServiceDatabase>() is { } database ? $"(store {(database.FilePath is { } file ? Path.GetFullPath(file) : database.Description)})" : "";
        switch (words)
        {
            case ["users", "add", string name, "--password-stdin"]:
                return await AddUserAsync(services, name, input, output, error, store).ConfigureAwait(false);
            case ["users", "import", "--stdin"]:
                return await ImportUsersAsync(services, input, output, error, store).ConfigureAwait(false);
            case ["users", "list"]:
                await error.WriteLineAsync(store).ConfigureAwait(false);
                return await ListUsersAsync(services, output).ConfigureAwait(false);
            case ["users", "lock", string name]:
                return Done(await services.GetRequiredService<AccountService>().LockAsync(name).ConfigureAwait(false), $"locked {name} {store}", $"no user {name} {store}", output, error);
            case ["users", "unlock", string name]:
                return Done(await services.GetRequiredService<AccountService>().UnlockAsync(name).ConfigureAwait(false), $"unlocked {name} {store}", $"no user {name} {store}", output, error);
            case ["users", "remove", string name]:
                return Done(await services.GetRequiredService<AccountService>().RemoveAsync(name).ConfigureAwait(false), $"removed {name} {store}", $"no user {name} {store}", output, error);
            case ["sessions", "list", .. var hotspot] when hotspot.Length <= 1:
                await error.WriteLineAsync(store).ConfigureAwait(false);
                return await ListSessionsAsync(services, hotspot.FirstOrDefault(), output).ConfigureAwait(false);
            case ["sessions", "disconnect", string id]:
                await error.WriteLineAsync(store).ConfigureAwait(false);
                return await DisconnectAsync(services, id, output, error).ConfigureAwait(false);
            case ["clients", "list"]:
                return ListClients(services, output);
            default:
                return Fail(error);
        }
    }

    private static async Task<int> AddUserAsync(IServiceProvider services, string name, TextReader input, TextWriter output, TextWriter error, string store)
    {
        // The password comes on stdin, never on the command line (where `ps` and shell history would show it).
        string password = (await input.ReadLineAsync().ConfigureAwait(false) ?? "").TrimEnd('\r');
        AccountChangeResult result = await services.GetRequiredService<AccountService>().CreateAsync(name, password).ConfigureAwait(false);
        if (result == AccountChangeResult.Done)
        {
            await output.WriteLineAsync($"added {name} {store}").ConfigureAwait(false);
            return 0;
        }

        await error.WriteLineAsync($"not added: {Describe(result)} {store}").ConfigureAwait(false);
        return ExitRefused;
    }

    /// <summary>Many accounts at once: one <c>NAME PASSWORD</c> a line on stdin (a migration, a benchmark's users).</summary>
    private static async Task<int> ImportUsersAsync(IServiceProvider services, TextReader input, TextWriter output, TextWriter error, string store)
    {
        AccountService accounts = services.GetRequiredService<AccountService>();
        int added = 0, refused = 0;
        while (await input.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            string[] parts = line.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                continue;
            }

            AccountChangeResult result = await accounts.CreateAsync(parts[0], parts[1].TrimEnd('\r')).ConfigureAwait(false);
            if (result == AccountChangeResult.Done)
            {
                added++;
            }
            else
            {
                refused++;
                await error.WriteLineAsync($"{parts[0]}: {Describe(result)}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"added {added}, refused {refused} {store}").ConfigureAwait(false);
        return refused == 0 ? 0 : ExitRefused;
    }

    private static async Task<int> ListUsersAsync(IServiceProvider services, TextWriter output)
    {
        await output.WriteLineAsync("user                              created               last login            state").ConfigureAwait(false);
        foreach (AccountInfo a in await services.GetRequiredService<AccountService>().ListAsync().ConfigureAwait(false))
        {
            string state = a.Locked ? "locked" : a.LockedOutUntil is { } until ? $"locked out until {until:u}" : "active";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{a.Username,-33} {a.Created:u}  {(a.LastLogin is { } l ? l.ToString("u", CultureInfo.InvariantCulture) : "-"),-20}  {state}")).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> ListSessionsAsync(IServiceProvider services, string? hotspot, TextWriter output)
    {
        SessionStore sessions = services.GetRequiredService<SessionStore>();
        await output.WriteLineAsync("session id                hotspot                  user                 device             state").ConfigureAwait(false);
        foreach (SessionInfo s in await sessions.ListOpenAsync(hotspot).ConfigureAwait(false))
        {
            await output.WriteLineAsync($"{s.AcctSessionId,-25} {s.Hotspot,-24} {s.Username ?? "-",-20} {s.CallingStationId ?? "-",-18} {s.State}").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Disconnect-Request (RFC 5176) to the session's gateway, with the secret of the client entry that covers it.</summary>
    private static async Task<int> DisconnectAsync(IServiceProvider services, string id, TextWriter output, TextWriter error)
    {
        SessionInfo? session = await services.GetRequiredService<SessionStore>().FindAsync(id).ConfigureAwait(false);
        if (session is null)
        {
            await error.WriteLineAsync($"no session {id}").ConfigureAwait(false);
            return ExitNotFound;
        }

        RadiusOptions radius = services.GetRequiredService<IOptions<RadiusOptions>>().Value;
        RadiusClientOptions? client = session.NasIpAddress is { } nasIp
            ? radius.Clients.FirstOrDefault(c => (IPNetwork.TryParse(c.Address, out IPNetwork n) && n.Contains(nasIp)) || c.Address == nasIp.ToString())
            : null;
        if (session.NasIpAddress is null || client is null)
        {
            await error.WriteLineAsync($"session {id}: no NAS address, or no Radius:Clients entry covers {session.NasIpAddress}").ConfigureAwait(false);
            return ExitRefused;
        }

        List<RadiusAttribute> identification = [new(44, System.Text.Encoding.UTF8.GetBytes(id))];
        if (session.Username is { } user)
        {
            identification.Add(new RadiusAttribute(1, System.Text.Encoding.UTF8.GetBytes(user)));
        }

        await using var requester = new RadiusRequester();
        try
        {
            DynamicAuthorizationResult result = await requester.DisconnectAsync(new IPEndPoint(session.NasIpAddress, radius.DynamicAuthorizationPort),
                System.Text.Encoding.UTF8.GetBytes(client.Secret), identification, TimeSpan.FromSeconds(3), 2).ConfigureAwait(false);
            await output.WriteLineAsync(result.Acknowledged
                ? $"{session.NasIpAddress} acknowledged the disconnect of {id}"
                : $"{session.NasIpAddress} refused (Disconnect-NAK{(result.ErrorCause is { } cause ? $", Error-Cause {cause}" : "")})").ConfigureAwait(false);
            return result.Acknowledged ? 0 : ExitRefused;
        }
        catch (RadiusTimeoutException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitRefused;
        }
    }

    private static int ListClients(IServiceProvider services, TextWriter output)
    {
        output.WriteLine("name                      address                   Message-Authenticator required");
        foreach (RadiusClientOptions c in services.GetRequiredService<IOptions<RadiusOptions>>().Value.Clients)
        {
            output.WriteLine($"{c.Name,-25} {c.Address,-25} {c.RequireMessageAuthenticator}"); // never the secret
        }

        return 0;
    }

    private static int Done(bool found, string success, string failure, TextWriter output, TextWriter error)
    {
        (found ? output : error).WriteLine(found ? success : failure);
        return found ? 0 : ExitNotFound;
    }

    private static string Describe(AccountChangeResult result) => result switch
    {
        AccountChangeResult.UsernameTaken => "the name is taken",
        AccountChangeResult.UsernameLookAlike => "an account whose name looks the same exists (rn/m, 0/o, 1/l/i, 5/s, vv/w, cl/d, . _ -)",
        AccountChangeResult.UsernameInvalid => "not a username (3 to 32 of a-z A-Z 0-9 . _ -)",
        _ => result.ToString(),
    };

    private static int Fail(TextWriter error)
    {
        error.WriteLine(Usage);
        return ExitUsage;
    }

}
