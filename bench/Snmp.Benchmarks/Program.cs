using BenchmarkDotNet.Running;
using Network.Snmp.Benchmarks;

// `poll ...`: the fleet-polling measurement (see FleetPoll.cs). Anything else goes to BenchmarkDotNet.
// The assembly name (Network.Snmp.Benchmarks) differs from the project file's, so BenchmarkDotNet cannot
// rebuild the project out of process; run in process:
//   dotnet run -c Release --project bench/Snmp.Benchmarks -- --filter '*' --job short --inProcess
if (args is ["poll", .. var rest])
{
    return await FleetPoll.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
