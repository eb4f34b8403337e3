using System.Globalization;
using System.IO.MemoryMappedFiles;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Hosting;

namespace Network.EdgeAgent.Tests.Hosting;

/// <summary>What the agent gives back between cycles, and when: the page-out against the real kernel, the trim's moment.</summary>
public sealed class ResidentMemoryTests
{
    private const int Pages = 256;

    /// <summary>Kilobytes of <paramref name="path"/> resident in this process, from /proc/self/smaps.</summary>
    private static int ResidentKilobytes(string path)
    {
        int total = 0;
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-', StringComparison.Ordinal))
            {
                inside = line.EndsWith(path, StringComparison.Ordinal);
            }
            else if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += int.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [Fact]
    public void Page_out_takes_the_resident_pages_of_a_read_only_file_mapping_out_of_the_process_and_leaves_others_alone()
    {
        // On the build's own disk, not /tmp: a tmpfs page has nowhere to go without swap.
        string folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "pageout-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            string pagedOut = Path.Combine(folder, "code.bin");
            string kept = Path.Combine(folder, "kept.bin");
            foreach (string file in (string[])[pagedOut, kept])
            {
                using var stream = new FileStream(file, FileMode.CreateNew);
                stream.Write(new byte[Pages * Environment.SystemPageSize]);
                stream.Flush(flushToDisk: true); // clean pages: the kernel can drop them without writing
            }

            using MemoryMappedFile codeFile = MemoryMappedFile.CreateFromFile(pagedOut, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using MemoryMappedFile keptFile = MemoryMappedFile.CreateFromFile(kept, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using MemoryMappedViewAccessor code = codeFile.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            using MemoryMappedViewAccessor other = keptFile.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            long sum = 0;
            for (int page = 0; page < Pages; page++)
            {
                sum += code.ReadByte((long)page * Environment.SystemPageSize) + other.ReadByte((long)page * Environment.SystemPageSize);
            }

            Assert.Equal(0, sum);
            int size = Pages * Environment.SystemPageSize / 1024;
            Assert.Equal(size, ResidentKilobytes(pagedOut));

            long advised = ResidentMemory.PageOut(path => path == pagedOut);

            Assert.Equal(Pages * Environment.SystemPageSize, advised);
            Assert.InRange(ResidentKilobytes(pagedOut), 0, size / 8);
            Assert.Equal(size, ResidentKilobytes(kept));
            Assert.Equal(0, code.ReadByte(17 * Environment.SystemPageSize)); // what is read again comes back from the file
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(ForwardResult.Delivered, 2.0, true)]   // the cycle's batch is in and the forwarder idles: trim
    [InlineData(ForwardResult.Retry, 4.0, true)]       // the NOC is away: trim before the backoff
    [InlineData(ForwardResult.Delivered, 0.0, false)]  // more to send at once (a backlog): not yet
    [InlineData(ForwardResult.Retry, 0.0, false)]      // a 413 narrowed the batch: it goes again at once
    [InlineData(ForwardResult.Rejected, 0.0, false)]
    [InlineData(ForwardResult.Idle, 2.0, false)]       // nothing was done since the last trim
    public void The_forwarder_trims_when_a_step_that_did_work_leaves_it_waiting(ForwardResult result, double delaySeconds, bool trims) =>
        Assert.Equal(trims, ForwardingService.EndsACycle(new ForwardOutcome(result, TimeSpan.FromSeconds(delaySeconds))));

    [Fact]
    public void The_end_of_a_cycle_runs_a_full_collection_every_time()
    {
        int before = GC.CollectionCount(GC.MaxGeneration);

        ResidentMemory.AfterCycle();
        ResidentMemory.AfterCycle();

        Assert.True(GC.CollectionCount(GC.MaxGeneration) >= before + 2);
    }
}
