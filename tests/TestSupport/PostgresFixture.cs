using Npgsql;

namespace Network.TestSupport;

/// <summary>
/// One real PostgreSQL server (Debian's <c>postgresql</c> binaries, COOKBOOK.md: initdb and postgres without systemd) for
/// the whole test process, on 127.0.0.1 and a free port, its files in a folder under /tmp; started by the first test
/// that asks for it, stopped when the process ends (and, when the process was killed before that, by the next test
/// process that starts one: <see cref="RemoveOrphans"/>). Durability is off (<c>fsync=off</c>): the tests need the engine's
/// semantics, not its crash safety.
/// </summary>
public sealed class PostgresServer
{
    private static readonly SemaphoreSlim s_startGate = new(1, 1);
    private static PostgresServer? s_shared;

    private readonly TempFolder _folder;
    private readonly PeerProcess _process;

    private PostgresServer(TempFolder folder, PeerProcess process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = 20, Timeout = 30 }.ConnectionString;

    /// <summary>The server, started on first use.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await s_startGate.WaitAsync();
        try
        {
            if (s_shared is null || s_shared._process.HasExited)
            {
                s_shared = await StartAsync();
                PostgresServer started = s_shared;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => started.Stop();
            }

            return s_shared;
        }
        finally
        {
            s_startGate.Release();
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        string bin = BinaryFolder();
        RemoveOrphans();
        var folder = new TempFolder(FolderPrefix + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        bool root = Environment.UserName == "root";
        string data = folder.PathOf("data");
        if (root)
        {
            // initdb and postgres refuse to run as root: the folder goes to the postgres user the package made.
            (int chown, _, string chownError) = await PeerProcess.RunAsync("chown", ["postgres:postgres", folder.FullPath]);
            if (chown != 0)
            {
                throw new PeerMissingException($"chown postgres {folder.FullPath} failed ({chownError.Trim()}): is the Debian package 'postgresql' installed?");
            }
        }

        (int exit, string stdout, string stderr) = await PeerProcess.RunAsync(root ? "runuser" : Path.Combine(bin, "initdb"),
            [.. root ? ["-u", "postgres", "--", Path.Combine(bin, "initdb")] : Array.Empty<string>(),
             "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"], timeout: TimeSpan.FromMinutes(2));
        if (exit != 0)
        {
            throw new PeerMissingException($"initdb failed ({exit}): {stdout}{stderr}");
        }

        int port = Peers.FreeTcpPort();
        string[] serverArguments =
        [
            "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", folder.FullPath,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=400", "-c", "shared_buffers=32MB",
        ];
        PeerProcess process = root
            ? PeerProcess.Start("runuser", ["-u", "postgres", "--", Path.Combine(bin, "postgres"), .. serverArguments])
            : PeerProcess.Start(Path.Combine(bin, "postgres"), serverArguments);
        var server = new PostgresServer(folder, process, port);
        try
        {
            await Peers.WaitUntilAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new PeerMissingException($"postgres exited at start-up: {process.Output}");
                }

                try
                {
                    await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
                    await connection.OpenAsync();
                    return true;
                }
                catch (NpgsqlException)
                {
                    return false; // not listening yet, or still starting up ("the database system is starting up")
                }
            }, TimeSpan.FromSeconds(60), "PostgreSQL accepting connections");
        }
        catch
        {
            server.Stop();
            throw;
        }

        return server;
    }

    private const string FolderPrefix = "postgres-of-";

    /// <summary>
    /// Servers whose test process is gone (killed before its exit handler ran): their postmaster is stopped and their
    /// folder deleted. Each folder is named after its test process, so a server another running test process uses is
    /// left alone. Without this every killed run left a server and about a gigabyte of databases under /tmp.
    /// </summary>
    private static void RemoveOrphans()
    {
        foreach (string folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            string owner = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, out int pid) || IsRunning(pid))
            {
                continue;
            }

            string pidFile = Path.Combine(folder, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out int postmaster) && IsRunning(postmaster))
            {
                using var server = System.Diagnostics.Process.GetProcessById(postmaster);
                server.Kill(entireProcessTree: true);
                server.WaitForExit(TimeSpan.FromSeconds(10));
            }

            TempFolder.Delete(folder);
        }
    }

    private static bool IsRunning(int pid) => Directory.Exists("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string BinaryFolder()
    {
        const string root = "/usr/lib/postgresql";
        string? newest = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out int v) ? v : 0)
                .FirstOrDefault()
            : null;
        return newest ?? throw new PeerMissingException("PostgreSQL is not installed: run `apt-get install -y postgresql` (./test.sh installs every peer the tests need)");
    }

    private void Stop()
    {
        _process.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _folder.Dispose();
    }
}

/// <summary>
/// A database of its own for one test class (use as <c>IClassFixture&lt;PostgresDatabase&gt;</c>) on the shared
/// <see cref="PostgresServer"/>; <see cref="CreateAsync"/> makes further fresh ones (one per test, where a test needs a
/// clean database).
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>The class's database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        ConnectionString = await CreateAsync();
    }

    /// <summary>A new, empty database on the server and its connection string.</summary>
    public async Task<string> CreateAsync()
    {
        _server ??= await PostgresServer.SharedAsync();
        string name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(_server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return _server.ConnectionString(name);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
