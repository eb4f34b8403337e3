using BenchmarkDotNet.Running;
using Network.Radius.Benchmarks;

// `inline [USERS] [LOGINS]`: a returning user's login through the portal's handler, time and bytes per part (InlineLoginBench).
// Otherwise BenchmarkDotNet. The assembly name (Network.Radius.Benchmarks) differs from the project file's, so
// BenchmarkDotNet cannot rebuild the project out of process; run in process:
//   dotnet run -c Release --project bench/Radius.Benchmarks -- --filter '*' --job short --inProcess
// `polls-ranking [PROPOSALS] [RATINGS] [RUNS] [CONNECTION]`: the polls' results on the portal's database (PollRankingBench).
if (args is ["polls-ranking", ..])
{
    return await PollRankingBench.RunAsync(args).ConfigureAwait(false);
}

if (args is ["inline", ..])
{
    return await InlineLoginBench.RunAsync(args).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(InlineLoginBench).Assembly).Run(args);
return 0;
