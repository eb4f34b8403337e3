using System.Diagnostics;
using System.Globalization;
using System.Net;
using Network.Snmp.Client;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;

namespace Network.Snmp.Benchmarks;

/// <summary>
/// One manager polling a fleet the way the agent will: the system group (Get) and the ifTable (bulk walk) of every
/// device, all devices concurrently over one socket. Prints devices per second and CPU seconds per poll cycle.
/// <code>
/// dotnet run -c Release --project bench/Snmp.Benchmarks -- poll --devices 1000 --base-port 30161 --cycles 5
/// </code>
/// (with <c>fleet-simulator --devices 1000 --base-port 30161</c> running).
/// </summary>
internal static class FleetPoll
{
    private static readonly Oid[] s_system =
    [
        SnmpV2Mib.SysDescr.Append(0), SnmpV2Mib.SysUpTime.Append(0), SnmpV2Mib.SysName.Append(0), SnmpV2Mib.SysLocation.Append(0),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        int devices = Option(args, "--devices", 1000);
        int basePort = Option(args, "--base-port", 30161);
        int cycles = Option(args, "--cycles", 5);
        int concurrency = Option(args, "--concurrency", 256);
        await using SnmpClient client = SnmpClient.CreateUdp();
        SnmpTarget[] targets = [.. Enumerable.Range(0, devices).Select(i =>
            new SnmpTarget(new IPEndPoint(IPAddress.Loopback, basePort + i)) { Timeout = TimeSpan.FromSeconds(2), Retries = 2 })];

        Console.WriteLine("cycle  seconds  devices/s  cpu-seconds  bindings  failed");
        using var gate = new SemaphoreSlim(concurrency);
        for (int cycle = 1; cycle <= cycles; cycle++)
        {
            long bindings = 0;
            int failed = 0;
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(targets.Select(async target =>
            {
                await gate.WaitAsync();
                try
                {
                    long n = (await client.GetAsync(target, s_system)).Count;
                    await foreach (VarBind _ in client.BulkWalkAsync(target, IfMib.IfTable, 25))
                    {
                        n++;
                    }

                    Interlocked.Add(ref bindings, n);
                }
                catch (SnmpClientException)
                {
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    gate.Release();
                }
            }));
            clock.Stop();
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cycle,5}  {clock.Elapsed.TotalSeconds,7:0.000}  {devices / clock.Elapsed.TotalSeconds,9:0}  {cpu,11:0.000}  {bindings,8}  {failed,6}"));
        }

        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
