using Network.Noc.Agents;
using Network.Noc.Alarms;
using Network.Noc.Cli;
using Network.Noc.Ingest;
using Network.Noc.Inventory;
using Network.Noc.Live;
using Network.Noc.Pages;
using Network.Noc.Plan;
using Network.Noc.Polls;
using Network.Noc.Reports;
using Network.Noc.Sla;
using Network.Noc.Status;
using Network.Noc.Throughput;
using Network.Noc.TimeSeries;
using Network.Noc.Users;
using Network.ServiceDefaults;

// `users ...`, `agents ...`: the operators' command line, on the same store.
if (NocCommands.IsCommand(args))
{
    return await NocCommands.RunAsync(args, Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddUsers();
builder.AddInventory();
builder.AddAgents();
builder.AddTimeSeries();
builder.AddIngest();
builder.AddAlarms();
builder.AddSla();
builder.AddReports();
builder.AddStatus();
builder.AddLive();
builder.AddPlan();
builder.AddPolls();
builder.AddPages();
builder.AddThroughput();

var app = builder.Build();
app.MapServiceDefaults();
app.MapPages();
app.MapUsers();
app.MapInventory();
app.MapAgents();
app.MapIngest();
app.MapStatus();
app.MapAlarms();
app.MapSla();
app.MapReports();
app.MapLive();
app.MapThroughput();
app.MapPlan();
app.MapPolls();

return app.RunService();
