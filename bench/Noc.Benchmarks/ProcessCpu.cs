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

    /// <summary>
    /// The CPU seconds a process has used since <paramref name="before"/>, counted until it goes quiet (less than 20 ms of CPU in
    /// half a second): a server that answers before it has finished its work (VictoriaMetrics buffers, the NOC judges and
    /// publishes after the write) is charged for all of it.
    /// </summary>
    public static async Task<double> UntilQuietAsync(int pid, double before)
    {
        double previous = Seconds(pid);
        while (true)
        {
            await Task.Delay(500);
            double now = Seconds(pid);
            if (now - previous < 0.02)
            {
                return previous - before;
            }

            previous = now;
        }
    }

    /// <summary>The 1-minute load average, from /proc/loadavg.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    // sysconf(_SC_CLK_TCK): 100 on every Linux the platform runs on.
    private const int ClockTicks = 100;
}
