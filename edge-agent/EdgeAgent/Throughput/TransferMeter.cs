using System.Net.Sockets;

namespace Network.EdgeAgent.Throughput;

/// <summary>Makes the TCP sockets of a test (tests make them inside a network namespace; the agent uses the default).</summary>
public delegate Socket TcpSocketFactory();

/// <summary>One direction of one test: the payload bytes counted over the measured interval (the warm-up left out).</summary>
public readonly record struct ThroughputMeasurement(long Bytes, TimeSpan Interval)
{
    /// <summary>Payload bits a second over the interval, in Mbit/s (10^6 bit/s).</summary>
    public double Mbps => Interval <= TimeSpan.Zero ? 0 : Bytes * 8 / Interval.TotalSeconds / 1e6;
}

/// <summary>
/// Counts the payload bytes a transfer moves (its loop calls <see cref="Add"/>) and reads the count when the warm-up ends
/// and when the measured interval ends: the rate is the difference over the time between the two readings. Where the
/// system says, <paramref name="delivered"/> gives the kernel's count instead: for a sender the bytes the other end
/// acknowledged (<see cref="TcpInfo.BytesAcked"/>), for a receiver the bytes that arrived
/// (<see cref="TcpInfo.BytesReceived"/>); what the loop counts would also count the socket buffers' filling and draining.
/// </summary>
public sealed class TransferMeter(Func<long?>? delivered = null)
{
    private long _bytes;

    /// <summary>Plain TCP sockets, Nagle on as iperf3's own client has it (the test writes 128 KiB blocks).</summary>
    public static TcpSocketFactory DefaultSockets { get; } = () => new Socket(SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Bytes delivered since the transfer started: acknowledged by the peer where known, else counted.</summary>
    public long Bytes => delivered?.Invoke() ?? Interlocked.Read(ref _bytes);

    public void Add(int bytes) => Interlocked.Add(ref _bytes, bytes);

    /// <summary>
    /// Waits <paramref name="omit"/>, reads the count, waits <paramref name="duration"/>, reads it again. A transfer that
    /// ends or fails before that fails the measurement.
    /// </summary>
    public async Task<ThroughputMeasurement> MeasureAsync(Task transfer, TimeSpan omit, TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        ArgumentNullException.ThrowIfNull(time);
        await WaitAsync(transfer, omit, time, cancellationToken).ConfigureAwait(false);
        long startBytes = Bytes;
        long start = time.GetTimestamp();
        await WaitAsync(transfer, duration, time, cancellationToken).ConfigureAwait(false);
        long endBytes = Bytes;
        return new ThroughputMeasurement(endBytes - startBytes, time.GetElapsedTime(start));
    }

    private static async Task WaitAsync(Task transfer, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        Task delay = Task.Delay(wait, time, cancellationToken);
        if (await Task.WhenAny(delay, transfer).ConfigureAwait(false) == transfer)
        {
            await transfer.ConfigureAwait(false); // its exception, if any
            throw new IOException("the transfer ended before the measured interval did");
        }

        await delay.ConfigureAwait(false);
    }
}
