using BenchmarkDotNet.Running;

// The assembly name (Network.Radius.Benchmarks) differs from the project file's, so BenchmarkDotNet cannot rebuild
// the project out of process; run in process:
//   dotnet run -c Release --project bench/Radius.Benchmarks -- --filter '*' --job short --inProcess
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
