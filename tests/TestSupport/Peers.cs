using System.Net;
using System.Net.Sockets;

namespace Network.TestSupport;

/// <summary>A real peer (snmpd, radclient, VictoriaMetrics, Chromium) is missing: the test fails and says what to install.</summary>
public sealed class PeerMissingException(string message) : Exception(message);

/// <summary>Finding the real peers the tests run against. A missing peer fails the test; it is never skipped.</summary>
public static class Peers
{
    private static readonly string[] s_searchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/usr/bin", "/sbin"];

    /// <summary>The full path of <paramref name="executable"/>, or a failure naming the Debian package that has it.</summary>
    public static string Require(string executable, string aptPackage)
    {
        foreach (string dir in s_searchPath)
        {
            string candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new PeerMissingException(
            $"'{executable}' is not installed: run `apt-get install -y {aptPackage}` (./test.sh installs every peer the tests need)");
    }

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or TaskCanceledException or InvalidOperationException)
            {
                last = ex;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s{(last is null ? "" : ": " + last.Message)}");
    }
}

/// <summary>A folder under /tmp for one peer or test, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "network-test")
    {
        FullPath = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string FullPath { get; }

    public string PathOf(string name) => System.IO.Path.Combine(FullPath, name);

    public void Dispose() => Delete(FullPath);

    /// <summary>Deletes a test folder and what is in it; one a peer still holds is left for the machine's /tmp clean-up.</summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A peer may still hold a file for a moment; /tmp is cleaned by the machine.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
