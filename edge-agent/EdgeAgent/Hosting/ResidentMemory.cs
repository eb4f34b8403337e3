using System.Globalization;
using System.Runtime.InteropServices;

namespace Network.EdgeAgent.Hosting;

/// <summary>
/// Gives memory back to the system when a cycle's work is done (a poll round delivered to the NOC, or a failed attempt
/// before a backoff): the agent then idles for most of its 30 s interval, so this is the moment to return what the cycle
/// used, as browsers collect in idle time and Android compacts cached apps. Two steps, each measured side by side with
/// the agent without it (docs/benchmarks.md, "Edge agent memory with an HTTPS NOC"):
/// <list type="bullet">
/// <item>a blocking, compacting collection in the GC's aggressive mode, which also decommits the free regions. Without
/// it the committed regions grow cycle after cycle (3 MB after 2 minutes, 5.5 MB after 4); with it the heap stays about
/// 1.1 MB, for about 0.04 % of a core;</item>
/// <item>once, after the first cycle: <c>madvise(MADV_PAGEOUT)</c> over the read-only mappings of the agent's own binary
/// and of libssl/libcrypto, so the pages only start-up and the first cycle touched (configuration, validation, type
/// loading, the first connection) leave the resident set, and the next cycles fault back in what they use: 7.7 MB of
/// the binary become about 6 MB. The kernel leaves alone pages that other processes map too (a libcrypto another
/// program uses).</item>
/// </list>
/// Measured and not kept: <c>malloc_trim(0)</c> after each cycle (no change: glibc already returns the large blocks,
/// <see cref="NativeHeap"/>); the page-out as soon as the services run (0.85 MB more of the binary stays resident, and
/// the peak is the same).
/// </summary>
internal static partial class ResidentMemory
{
    private const int MadvPageOut = 21; // MADV_PAGEOUT, <sys/mman.h>, Linux 5.4
    private static int s_pagedOut;

    /// <summary>Collects and compacts the managed heap (decommitting what it frees); the first time also pages out the code.</summary>
    public static void AfterCycle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux() && Interlocked.Exchange(ref s_pagedOut, 1) == 0)
        {
            string? self = Environment.ProcessPath;
            _ = PageOut(path => path == self
                || path.Contains("/libcrypto.so", StringComparison.Ordinal)
                || path.Contains("/libssl.so", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// <c>madvise(MADV_PAGEOUT)</c> over the read-only mappings of the files <paramref name="which"/> accepts (by path), from
    /// <c>/proc/self/maps</c>. Returns the bytes advised (0 when the kernel is older than 5.4 or the maps cannot be read).
    /// </summary>
    public static long PageOut(Func<string, bool> which)
    {
        ArgumentNullException.ThrowIfNull(which);
        long advised = 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                // start-end perms offset dev inode path
                string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6 || fields[1].Contains('w', StringComparison.Ordinal) || !which(fields[5].Trim()))
                {
                    continue;
                }

                int dash = fields[0].IndexOf('-', StringComparison.Ordinal);
                ulong start = ulong.Parse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                ulong end = ulong.Parse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (Madvise((nint)start, (nuint)(end - start), MadvPageOut) == 0)
                {
                    advised += (long)(end - start);
                }
            }
        }
        catch (IOException)
        {
            // no procfs: nothing to advise
        }
        catch (UnauthorizedAccessException)
        {
            // likewise
        }

        return advised;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
