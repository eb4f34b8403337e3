using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Network.EdgeAgent;
using Network.EdgeAgent.Cli;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Metrics;
using Network.EdgeAgent.Polling;
using Network.EdgeAgent.Probes;
using Network.EdgeAgent.Queue;
using Network.Hosting;

// `edge-agent snmp get|getnext|walk|bulkwalk|set ...`: the field tool, for a router without net-snmp.
if (args is ["snmp", .. var snmpArgs])
{
    // Buffered: a whole-tree walk is thousands of lines, and a write per line costs more than the walk.
    await using var stdout = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 1 << 16) { AutoFlush = false };
    return await SnmpCommand.RunAsync(snmpArgs, stdout, Console.Error);
}

// Hidden: `edge-agent queue-tool write|bench ...` drives the queue alone (crash tests, benchmarks).
if (args is ["queue-tool", .. var queueArgs])
{
    return QueueTool.Run([.. queueArgs], Console.Out);
}

// Otherwise the agent: `edge-agent --config FILE`.
var builder = Host.CreateApplicationBuilder(args);
if (!AgentConfigFile.TryAdd(builder.Configuration, args, out string? error))
{
    Console.Error.WriteLine($"configuration error: {error}");
    return ConfigurationErrors.ExitCode;
}

builder.Logging.AddAgentLogging();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddAgentMetrics().AddAgentSite().AddAgentQueue()
    .AddAgentForwarding() // registered first, stopped last: it flushes what the pollers wrote last
    .AddAgentPolling().AddAgentProbes();

using IHost host = builder.Build();
return ConfigurationErrors.Report(host.Run);
