using System.Runtime.InteropServices;

namespace Network.EdgeAgent.Hosting;

/// <summary>
/// glibc's malloc(3) tuned for a small resident set, at start-up: one arena instead of one per thread (each keeps the
/// memory freed in it resident), and blocks of 128 KiB or more mapped and unmapped on their own (zlib's and OpenSSL's
/// buffers) instead of glibc raising that threshold after the first such block is freed and keeping later ones in the
/// heap. The same as <c>MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072</c>; a variable
/// an operator sets wins. Nothing outside glibc (musl has no mallopt). A runtime thread that allocated before this runs
/// keeps the arena it got; setting the variables from exec instead measured no different (docs/benchmarks.md).
/// </summary>
internal static partial class NativeHeap
{
    // <malloc.h>
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int ArenaMax = -8;        // M_ARENA_MAX
    private const int BlockBytes = 128 * 1024;

    public static void Tune()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            Set("MALLOC_ARENA_MAX", ArenaMax, 1);
            Set("MALLOC_MMAP_THRESHOLD_", MmapThreshold, BlockBytes);
            Set("MALLOC_TRIM_THRESHOLD_", TrimThreshold, BlockBytes);
        }
        catch (EntryPointNotFoundException)
        {
            // not glibc
        }
    }

    private static void Set(string variable, int parameter, int value)
    {
        if (Environment.GetEnvironmentVariable(variable) is null)
        {
            _ = Mallopt(parameter, value);
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
