using System.Globalization;
using System.Runtime.InteropServices;

namespace Network.EdgeAgent.Tests.Throughput;

/// <summary>
/// The link tests' processes at a higher CPU priority (nice <see cref="Nice"/>; root): every thread of the test process,
/// and through them what it starts (the NOC, iperf3 both ends, which inherit the nice value of the thread that starts
/// them). The tests measure what the link carries; on a machine whose cores builds keep busy (a load of 40 on 2 cores),
/// the sender of whichever test was measuring was starved at times and the link ran below its rate, iperf3's client as
/// well as the agent. Disposing puts every thread back to the nice value the process had.
/// </summary>
public sealed partial class RaisedPriority : IDisposable
{
    public const int Nice = -15;

    private const int PrioProcess = 0;

    private readonly int _before;

    public RaisedPriority()
    {
        _before = NiceOf(Environment.ProcessId);
        SetAll(Nice);
    }

    public void Dispose() => SetAll(_before);

    private static void SetAll(int nice)
    {
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            // A thread that ended meanwhile, or no privilege to raise it: the tests run as they would have.
            _ = SetPriority(PrioProcess, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture), nice);
        }
    }

    /// <summary>A task's nice value: field 19 of /proc/PID/stat (after the command name in parentheses).</summary>
    private static int NiceOf(int id)
    {
        string stat = File.ReadAllText($"/proc/{id}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
