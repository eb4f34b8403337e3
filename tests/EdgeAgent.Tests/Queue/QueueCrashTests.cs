using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Network.EdgeAgent.Queue;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Queue;

/// <summary>
/// The queue's crash safety for real: the agent's own executable appends and fsyncs batches in a child process
/// (<c>edge-agent queue-tool write</c>), is killed with SIGKILL at random moments, 30 times over the same folder;
/// after each kill every record whose fsync was reported is there exactly once, in order, and the queue opens.
/// </summary>
public sealed class QueueCrashTests : IDisposable
{
    private const int Kills = 30;
    private readonly TempFolder _folder = new("agent-queue-crash");

    [Fact]
    public async Task Kill_minus_9_during_writes_loses_no_synced_record_and_duplicates_none()
    {
        var random = new Random(20261129);
        ulong highestSynced = 0;
        ulong highestAcked = 0;
        long syncedTotal = 0;
        for (int kill = 0; kill < Kills; kill++)
        {
            int linesBeforeKill = random.Next(1, 40);
            (List<(ulong First, ulong Last)> synced, ulong acked) = await RunAndKillAsync(linesBeforeKill, random.Next(0, 15));
            foreach ((ulong first, ulong last) in synced)
            {
                Assert.Equal(highestSynced + 1, first); // the child carries on exactly after the last record that survived
                highestSynced = last;
                syncedTotal += (long)(last - first + 1);
            }

            highestAcked = Math.Max(highestAcked, acked);

            using SegmentStore store = SegmentStore.Open(new SegmentStoreSettings(_folder.FullPath, 1L << 30, 64 * 1024), NullLogger.Instance);
            Assert.True(store.Acks.Through >= highestAcked, $"kill {kill}: acknowledged {highestAcked}, the file says {store.Acks.Through}");
            IReadOnlyList<QueueRecord> records = store.Read(store.Acks.Through, ulong.MaxValue, int.MaxValue, int.MaxValue);
            ulong expected = store.Acks.Through + 1;
            foreach (QueueRecord record in records)
            {
                Assert.Equal(expected++, record.Id); // exactly once, in order
                Assert.Equal(record.Id, BinaryPrimitives.ReadUInt64LittleEndian(record.Payload.Span));
            }

            // Everything synced and not acknowledged is there; a batch written but not yet reported may be there too.
            Assert.True(store.LastId >= highestSynced, $"kill {kill}: synced through {highestSynced}, the queue ends at {store.LastId}");
            highestSynced = store.LastId; // the next child continues after what the queue holds
        }

        Assert.True(syncedTotal > Kills * 20, $"only {syncedTotal} records were synced");
    }

    private async Task<(List<(ulong, ulong)> Synced, ulong Acked)> RunAndKillAsync(int linesBeforeKill, int extraDelayMs)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { ServiceProcess.AssemblyPath("edge-agent/EdgeAgent", "edge-agent"), "queue-tool", "write", _folder.FullPath, "20", "200", "3" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var synced = new List<(ulong, ulong)>();
        ulong acked = 0;
        int lines = 0;
        bool killed = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            string[] parts = line.Split(' ');
            if (parts[0] == "synced")
            {
                synced.Add((ulong.Parse(parts[1], CultureInfo.InvariantCulture), ulong.Parse(parts[2], CultureInfo.InvariantCulture)));
                lines++;
            }
            else if (parts[0] == "acked")
            {
                acked = ulong.Parse(parts[1], CultureInfo.InvariantCulture);
            }

            if (lines >= linesBeforeKill && !killed)
            {
                if (extraDelayMs > 0)
                {
                    await Task.Delay(extraDelayMs);
                }

                process.Kill(); // SIGKILL; the lines already in the pipe are still read below
                killed = true;
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        Assert.True(killed, "the writer stopped by itself: " + await process.StandardError.ReadToEndAsync());
        return (synced, acked);
    }

    public void Dispose() => _folder.Dispose();
}
