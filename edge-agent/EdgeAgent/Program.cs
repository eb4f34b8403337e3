using Microsoft.Extensions.Hosting;
using Network.EdgeAgent;
using Network.EdgeAgent.Cli;
using Network.EdgeAgent.Metrics;
using Network.Hosting;

// `edge-agent snmp get|getnext|walk|bulkwalk|set ...`: the field tool, for a router without net-snmp.
if (args is ["snmp", .. var snmpArgs])
{
    // Buffered: a whole-tree walk is thousands of lines, and a write per line costs more than the walk.
    await using var stdout = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 1 << 16) { AutoFlush = false };
    return await SnmpCommand.RunAsync(snmpArgs, stdout, Console.Error);
}

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddAgentLogging();
builder.Services.AddAgentMetrics();

using IHost host = builder.Build();
return ConfigurationErrors.Report(host.Run);
