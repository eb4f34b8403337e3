using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Network.FleetSimulator;

/// <summary>
/// The console's commands (<see cref="FleetConsole"/>: <c>down DEVICE</c>, <c>up DEVICE</c>) for a simulator running in
/// the background, as under run.sh: a TCP line protocol on loopback only. A connection sends one line of at most
/// <see cref="MaxLine"/> bytes within <see cref="Timeout"/> and gets the console's answer as one line; connections are
/// served one at a time. <c>fleet-simulator control --port P down 3</c> is its client (or <c>echo 'down 3' | nc
/// 127.0.0.1 P</c>).
/// </summary>
public sealed class FleetControl : IAsyncDisposable
{
    public const int MaxLine = 256;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public const string ClientUsage = "usage: fleet-simulator control --port P down DEVICE | up DEVICE   (the simulator's --control-port)";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FleetControl(Fleet fleet, TcpListener listener)
    {
        _listener = listener;
        _loop = Task.Run(() => AcceptAsync(fleet, _listener, _stop.Token));
    }

    /// <summary>The port it listens on (on 127.0.0.1).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0: any free port).</summary>
    public static FleetControl Start(Fleet fleet, int port)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(backlog: 8);
        return new FleetControl(fleet, listener);
    }

    /// <summary>Sends one command line to a running simulator and returns its answer.</summary>
    public static async Task<string> SendAsync(int port, string line, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), timeout.Token).ConfigureAwait(false);
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return (await reader.ReadToEndAsync(timeout.Token).ConfigureAwait(false)).TrimEnd('\n', '\r');
    }

    /// <summary><c>control --port P WORDS...</c>: 0 when the simulator did it, 1 when it refused, 64 for a bad command line, 69 unreachable.</summary>
    public static async Task<int> RunClientAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not ["--port", string portText, .. var words] || words.Length == 0
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            await error.WriteLineAsync(ClientUsage).ConfigureAwait(false);
            return 64;
        }

        string answer;
        try
        {
            answer = await SendAsync(port, string.Join(' ', words)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            await error.WriteLineAsync($"fleet-simulator control: no simulator answers on 127.0.0.1:{port} ({ex.Message})").ConfigureAwait(false);
            return 69;
        }

        bool refused = answer.StartsWith('?');
        await (refused ? error : output).WriteLineAsync(answer).ConfigureAwait(false);
        return refused ? 1 : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // stopping
        }

        _stop.Dispose();
    }

    private static async Task AcceptAsync(Fleet fleet, TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ServeAsync(fleet, client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // a client that went away or took too long: the next one
            }
        }
    }

    private static async Task ServeAsync(Fleet fleet, TcpClient client, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        NetworkStream stream = client.GetStream();
        byte[] buffer = new byte[MaxLine + 1];
        int length = 0;
        while (length < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        int end = Array.IndexOf(buffer, (byte)'\n', 0, length);
        string answer;
        if (end < 0 && length > MaxLine)
        {
            answer = $"? a command is one line of at most {MaxLine} bytes";
        }
        else
        {
            string line = Encoding.ASCII.GetString(buffer, 0, end < 0 ? length : end).TrimEnd('\r');
            answer = line.Any(c => c > '~' || (c < ' ' && c != '\t')) ? "? not a command" : FleetConsole.Apply(fleet, line);
            if (answer.Length == 0)
            {
                answer = $"? {FleetConsole.Help}";
            }
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer + "\n"), timeout.Token).ConfigureAwait(false);
    }
}
