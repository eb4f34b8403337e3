using Network.EdgeAgent.Cli;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Metrics;
using Network.EdgeAgent.Polling;
using Network.EdgeAgent.Probes;
using Network.EdgeAgent.Queue;
using Network.EdgeAgent.Throughput;
using Network.Hosting;

// `edge-agent snmp get|getnext|walk|bulkwalk|set ...`: the field tool, for a router without net-snmp.
if (args is ["snmp", .. var snmpArgs])
{
    return await SnmpCommand.RunOnConsoleAsync(snmpArgs);
}

// Hidden: `edge-agent queue-tool write|bench ...` drives the queue alone (crash tests, benchmarks).
if (args is ["queue-tool", .. var queueArgs])
{
    return QueueTool.Run([.. queueArgs], Console.Out);
}

// `edge-agent throughput --config FILE`: the configured throughput test, once, now, printed (nothing is queued).
if (args is ["throughput", .. var throughputArgs])
{
    return await ThroughputTool.RunAsync([.. throughputArgs], Console.Out, Console.Error);
}

// Otherwise the agent: `edge-agent --config FILE`, on its own small host (Hosting/AgentHost.cs).
if (!AgentHostBuilder.TryCreate(args, out AgentHostBuilder? builder, out string? error))
{
    Console.Error.WriteLine($"configuration error: {error}");
    return ConfigurationErrors.ExitCode;
}

builder.AddAgentMetrics().AddAgentSite().AddAgentQueue()
    .AddAgentForwarding() // registered first, stopped last: it flushes what the pollers wrote last
    .AddAgentPolling().AddAgentProbes().AddAgentThroughput();

int exitCode = 0;
int configurationExit = ConfigurationErrors.Report(() =>
{
    using AgentHost host = builder.Build();
    exitCode = host.Run();
});
return configurationExit != 0 ? configurationExit : exitCode;
