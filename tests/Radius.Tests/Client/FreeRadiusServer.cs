using System.Net;
using Network.TestSupport;

namespace Network.Radius.Tests.Client;

/// <summary>
/// FreeRADIUS 3.2 itself (Debian's <c>freeradius</c>) as the RADIUS server the client asks: a private copy of its
/// configuration (COOKBOOK.md) with one virtual server on 127.0.0.1 and a free port that authorizes from the users file
/// and authenticates PAP, one client (127.0.0.1) that must sign its Access-Requests
/// (<c>require_message_authenticator = yes</c>), and two users:
/// <list type="bullet">
/// <item><c>marie</c>, whose replies carry a Message-Authenticator (a reply item <c>Message-Authenticator = 0x00</c>
/// makes FreeRADIUS compute one, as BlastRADIUS-fixed versions always do);</item>
/// <item><c>paul</c>, whose replies carry none (what this pre-BlastRADIUS 3.2.1 does by default).</item>
/// </list>
/// </summary>
public sealed class FreeRadiusServer : IAsyncLifetime
{
    public const string Secret = "s3cret-portal";
    public const string MariePassword = "correct horse 7";
    public const string PaulPassword = "päss wörd 8";

    private readonly TempFolder _folder = new("freeradius");
    private PeerProcess? _process;

    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>FreeRADIUS's own log (<c>-l</c>) and console output, for failure messages.</summary>
    public string Log => (File.Exists(_folder.PathOf("radius.log")) ? File.ReadAllText(_folder.PathOf("radius.log")) : "") + (_process?.Output ?? "");

    public async Task InitializeAsync()
    {
        string radclient = Radclient.Path;
        Port = Peers.FreeUdpPort();
        _process = await StartAsync(_folder, $$"""
            server default {
            listen {
            	type = auth
            	ipaddr = 127.0.0.1
            	port = {{Port}}
            }
            authorize {
            	files
            	pap
            }
            authenticate {
            	Auth-Type PAP {
            		pap
            	}
            }
            post-auth {
            	Post-Auth-Type REJECT {
            		attr_filter.access_reject
            	}
            }
            }

            """, $$"""
            client portal {
            	ipaddr = 127.0.0.1
            	secret = {{Secret}}
            	require_message_authenticator = yes
            }

            """, users: $"""
            marie Cleartext-Password := "{MariePassword}"
            	Reply-Message = "Welkom marie",
            	Session-Timeout = 3600,
            	Message-Authenticator = 0x00

            paul Cleartext-Password := "{PaulPassword}"
            	Reply-Message = "Welcome paul"

            """, proxy: null);

        // Ready when radclient gets an answer (any answer) to a signed request for a user that does not exist.
        await Peers.WaitUntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new PeerMissingException("freeradius exited at start-up: " + Log);
            }

            var (_, stdout, _) = await PeerProcess.RunAsync(radclient, ["-r", "1", "-t", "1", $"127.0.0.1:{Port}", "auth", Secret],
                stdin: "User-Name=nobody,User-Password=x,Message-Authenticator=0x00\n");
            return stdout.Contains("Received Access-Reject", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), $"FreeRADIUS answering on 127.0.0.1:{Port}");
    }

    /// <summary>
    /// Starts FreeRADIUS on a private copy of Debian's configuration in <paramref name="folder"/> (COOKBOOK.md): the one
    /// virtual server <paramref name="site"/>, the <paramref name="clients"/> and <paramref name="users"/> files, its log and
    /// run files in the folder, and proxying only with a <paramref name="proxy"/> configuration (proxy.conf).
    /// </summary>
    internal static async Task<PeerProcess> StartAsync(TempFolder folder, string site, string clients, string users, string? proxy)
    {
        string freeradius = Peers.Require("freeradius", "freeradius");
        string raddb = folder.PathOf("raddb");
        await CopyDirectoryAsync("/etc/freeradius/3.0", raddb);
        foreach (string enabled in Directory.GetFileSystemEntries(Path.Combine(raddb, "sites-enabled")))
        {
            File.Delete(enabled);
        }

        // The eap module wants an "Auth-Type EAP" section in the server; these servers speak PAP only.
        File.Delete(Path.Combine(raddb, "mods-enabled", "eap"));
        await File.WriteAllTextAsync(Path.Combine(raddb, "sites-enabled", "test-site"), site);
        await File.WriteAllTextAsync(Path.Combine(raddb, "clients.conf"), clients);
        await File.WriteAllTextAsync(Path.Combine(raddb, "mods-config", "files", "authorize"), users);
        if (proxy is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(raddb, "proxy.conf"), proxy);
        }

        string conf = Path.Combine(raddb, "radiusd.conf");
        string[] lines = await File.ReadAllLinesAsync(conf);
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith("logdir = ", StringComparison.Ordinal))
            {
                lines[i] = "logdir = " + folder.FullPath;
            }
            else if (trimmed.StartsWith("run_dir = ", StringComparison.Ordinal))
            {
                lines[i] = "run_dir = " + folder.FullPath;
            }
            else if (trimmed.StartsWith("proxy_requests", StringComparison.Ordinal))
            {
                lines[i] = proxy is null ? "proxy_requests = no" : "proxy_requests = yes";
            }
        }

        await File.WriteAllLinesAsync(conf, lines);
        (int chown, _, string chownError) = await PeerProcess.RunAsync("chown", ["-R", "freerad", folder.FullPath]);
        Assert.True(chown == 0, chownError);
        return PeerProcess.Start(freeradius, ["-f", "-d", raddb, "-l", folder.PathOf("radius.log")]);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _folder.Dispose();
    }

    // cp -a: FreeRADIUS's configuration has symbolic links (mods-enabled, sites-enabled) that must stay links.
    private static async Task CopyDirectoryAsync(string from, string to)
    {
        (int code, _, string error) = await PeerProcess.RunAsync("cp", ["-a", from, to]);
        if (code != 0)
        {
            throw new PeerMissingException($"cannot copy {from} (is freeradius installed?): {error}");
        }
    }
}
