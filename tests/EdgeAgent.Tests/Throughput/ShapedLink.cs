using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Network.EdgeAgent.Throughput;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Throughput;

/// <summary>
/// A link of known speed (root): a network namespace for the school, a veth pair into it, both ends shaped with tc's
/// token bucket to <see cref="RateMbps"/>. The NOC side (<see cref="ServerAddress"/>) stays in the test's namespace; the
/// school's sockets are made inside the namespace (<see cref="SchoolSockets"/>), so the agent's code runs in the test
/// and its packets cross the shaped link. Names and addresses are unique per link; disposing deletes the namespace,
/// and with it both ends of the pair, also when making the link failed halfway.
/// </summary>
public sealed partial class ShapedLink : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private readonly BlockingCollection<TaskCompletionSource<Socket>> _socketRequests = [];
    private readonly Thread _inside;

    private ShapedLink(string name, string server, string school, int rateMbps)
    {
        Namespace = name;
        ServerAddress = server;
        SchoolAddress = school;
        RateMbps = rateMbps;
        _inside = new Thread(MakeSocketsInside) { IsBackground = true, Name = "netns " + name };
    }

    public string Namespace { get; }

    public string ServerAddress { get; }

    public string SchoolAddress { get; }

    public int RateMbps { get; }

    /// <summary>
    /// The share of the shaped rate a TCP stream's payload gets: tbf counts whole Ethernet frames, 1514 bytes for the
    /// 1448 of payload a segment carries at an MTU of 1500 (20 bytes of IP, 32 of TCP with timestamps, 14 of Ethernet).
    /// </summary>
    public const double PayloadShare = 1448.0 / 1514;

    /// <summary>Sockets made inside the school's namespace (a socket keeps the namespace it was made in).</summary>
    public TcpSocketFactory SchoolSockets => () =>
    {
        var made = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _socketRequests.Add(made);
        return made.Task.GetAwaiter().GetResult();
    };

    public static async Task<ShapedLink> CreateAsync(int rateMbps)
    {
        Peers.Require("ip", "iproute2");
        Peers.Require("tc", "iproute2");
        string id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));
        int b = Random.Shared.Next(200, 250), c = Random.Shared.Next(0, 256), d = Random.Shared.Next(0, 64) * 4;
        string prefix = string.Create(CultureInfo.InvariantCulture, $"10.{b}.{c}.");
        var link = new ShapedLink("tp" + id, prefix + (d + 1), prefix + (d + 2), rateMbps);
        string ns = link.Namespace, outside = ns + "a", inside = ns + "b";
        string rate = string.Create(CultureInfo.InvariantCulture, $"{rateMbps}mbit");
        // The bucket holds 20 ms of the rate (at least 64 KiB): on a loaded machine the qdisc's timer and the senders
        // wake late, and tokens over a smaller bucket would be lost, so the link itself would run below its rate. Over
        // a measured interval of seconds the burst adds a fraction of a percent.
        string burst = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(64 * 1024, rateMbps * 1_000_000 / 8 / 50)}b");
        try
        {
            await RunAsync("ip", "netns", "add", ns);
            await RunAsync("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            await RunAsync("ip", "link", "set", inside, "netns", ns);
            await RunAsync("ip", "addr", "add", link.ServerAddress + "/30", "dev", outside);
            await RunAsync("ip", "link", "set", outside, "up");
            await RunAsync("ip", "netns", "exec", ns, "ip", "addr", "add", link.SchoolAddress + "/30", "dev", inside);
            await RunAsync("ip", "netns", "exec", ns, "ip", "link", "set", inside, "up");
            await RunAsync("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            await RunAsync("tc", "qdisc", "add", "dev", outside, "root", "tbf", "rate", rate, "burst", burst, "latency", "50ms");
            await RunAsync("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", inside, "root", "tbf", "rate", rate, "burst", burst, "latency", "50ms");
            link._inside.Start();
            return link;
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    /// <summary>Runs a command inside the school's namespace.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunInsideAsync(TimeSpan timeout, params string[] command) =>
        PeerProcess.RunAsync("ip", ["netns", "exec", Namespace, .. command], null, timeout);

    public void Dispose()
    {
        _socketRequests.CompleteAdding();
        // The namespace's deletion takes the veth pair with it (the outside end too).
        PeerProcess.RunAsync("ip", ["netns", "del", Namespace], null, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        _socketRequests.Dispose();
    }

    private void MakeSocketsInside()
    {
        using (var handle = File.OpenHandle($"/var/run/netns/{Namespace}"))
        {
            if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
            {
                foreach (TaskCompletionSource<Socket> request in _socketRequests.GetConsumingEnumerable())
                {
                    request.SetException(new IOException($"setns into {Namespace} failed: errno {Marshal.GetLastPInvokeError()}"));
                }

                return;
            }
        }

        try
        {
            foreach (TaskCompletionSource<Socket> request in _socketRequests.GetConsumingEnumerable())
            {
                request.SetResult(TransferMeter.DefaultSockets());
            }
        }
        catch (ObjectDisposedException)
        {
            // the link is gone
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        (int code, string stdout, string stderr) = await PeerProcess.RunAsync(file, arguments, null, TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: exit {code}: {stdout}{stderr}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
