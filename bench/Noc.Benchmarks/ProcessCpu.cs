using System.Globalization;

namespace Network.Noc.Benchmarks;

/// <summary>CPU time of another process (a peer, or the NOC under load), from /proc/PID/stat.</summary>
internal static class ProcessCpu
{
    /// <summary>utime + stime (fields 14 and 15 of proc(5)), in seconds.</summary>
    public static double Seconds(int pid)
    {
        // Split after the command name, which may hold spaces: field 3 (state) comes first there.
        string[] fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / (double)ClockTicks;
    }

    // sysconf(_SC_CLK_TCK): 100 on every Linux the platform runs on.
    private const int ClockTicks = 100;
}
