using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Sessions;
using Network.Radius.Client;
using Network.Radius.Packets;
using Network.ServiceDefaults;

namespace Network.CaptivePortal.Cli;

/// <summary>
/// The operators' command line, on the portal's own stores and configuration (appsettings, environment, and
/// <c>--Key:Sub=value</c> arguments):
/// <code>
/// users add NAME --password-stdin | users list | users lock NAME | users unlock NAME | users remove NAME
/// sessions list [HOTSPOT] | sessions disconnect ACCT-SESSION-ID
/// clients list
/// </code>
/// </summary>
public static class PortalCommands
{
    public const int ExitUsage = 64;
    public const int ExitNotFound = 1;
    public const int ExitRefused = 2;

    public const string Usage = """
        usage: Network.CaptivePortal users add NAME --password-stdin
                                     users import --stdin        (NAME PASSWORD a line)
                                     users list | lock NAME | unlock NAME | remove NAME
                                     sessions list [HOTSPOT] | disconnect ACCT-SESSION-ID
                                     clients list
               settings as for the service: appsettings.json, environment (Storage__DataDirectory), or --Storage:DataDirectory=DIR
        """;

    public static bool IsCommand(string[] args) => args is ["users" or "sessions" or "clients", ..];

    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error) =>
        CommandLineHost.RunAsync(args, builder =>
        {
            builder.AddAccounts();
            builder.AddSessions();
            builder.Services.AddOptions<RadiusOptions>().BindConfiguration(RadiusOptions.Section);
        }, async (words, services) => words switch
        {
            ["users", "add", string name, "--password-stdin"] => await AddUserAsync(services, name, input, output, error).ConfigureAwait(false),
            ["users", "import", "--stdin"] => await ImportUsersAsync(services, input, output, error).ConfigureAwait(false),
            ["users", "list"] => await ListUsersAsync(services, output).ConfigureAwait(false),
            ["users", "lock", string name] => Done(await services.GetRequiredService<AccountService>().LockAsync(name).ConfigureAwait(false), $"locked {name}", name, output, error),
            ["users", "unlock", string name] => Done(await services.GetRequiredService<AccountService>().UnlockAsync(name).ConfigureAwait(false), $"unlocked {name}", name, output, error),
            ["users", "remove", string name] => Done(await services.GetRequiredService<AccountService>().RemoveAsync(name).ConfigureAwait(false), $"removed {name}", name, output, error),
            ["sessions", "list", .. var hotspot] when hotspot.Length <= 1 => await ListSessionsAsync(services, hotspot.FirstOrDefault(), output).ConfigureAwait(false),
            ["sessions", "disconnect", string id] => await DisconnectAsync(services, id, output, error).ConfigureAwait(false),
            ["clients", "list"] => ListClients(services, output),
            _ => Fail(error),
        }, error);

    private static async Task<int> AddUserAsync(IServiceProvider services, string name, TextReader input, TextWriter output, TextWriter error)
    {
        // The password comes on stdin, never on the command line (where `ps` and shell history would show it).
        string password = (await input.ReadLineAsync().ConfigureAwait(false) ?? "").TrimEnd('\r');
        AccountChangeResult result = await services.GetRequiredService<AccountService>().CreateAsync(name, password).ConfigureAwait(false);
        if (result == AccountChangeResult.Done)
        {
            await output.WriteLineAsync($"added {name}").ConfigureAwait(false);
            return 0;
        }

        await error.WriteLineAsync($"not added: {result}").ConfigureAwait(false);
        return ExitRefused;
    }

    /// <summary>Many accounts at once: one <c>NAME PASSWORD</c> a line on stdin (a migration, a benchmark's users).</summary>
    private static async Task<int> ImportUsersAsync(IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
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
                await error.WriteLineAsync($"{parts[0]}: {result}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"added {added}, refused {refused}").ConfigureAwait(false);
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

    private static int Done(bool found, string message, string name, TextWriter output, TextWriter error)
    {
        (found ? output : error).WriteLine(found ? message : $"no user {name}");
        return found ? 0 : ExitNotFound;
    }

    private static int Fail(TextWriter error)
    {
        error.WriteLine(Usage);
        return ExitUsage;
    }

}
