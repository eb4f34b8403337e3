using Microsoft.Extensions.Hosting;
using Network.EdgeAgent;
using Network.EdgeAgent.Metrics;
using Network.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddAgentLogging();
builder.Services.AddAgentMetrics();

using IHost host = builder.Build();
return ConfigurationErrors.Report(host.Run);
