namespace Network.EdgeAgent.Throughput;

/// <summary>
/// Runs a test's transfer loop on a thread of its own, with blocking socket calls, as iperf3's own client does: the kernel
/// wakes that thread when the socket can take or give more. An async loop's every step instead waits for a thread-pool
/// thread; while the pool is short of one (its threads busy or blocked elsewhere in the process, a new one comes only
/// every half second), the loop stalled for 0.5-0.8 s at a time, the socket ran dry and the link idled.
/// </summary>
internal static class TransferThread
{
    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task ends with it (its exception too).</summary>
    public static Task Run(string name, Action loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
