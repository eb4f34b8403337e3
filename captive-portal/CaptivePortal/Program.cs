using Network.CaptivePortal;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Cli;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;
using Network.CaptivePortal.Privacy;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Reporting;
using Network.CaptivePortal.Sessions;
using Network.ServiceDefaults;

// `users ...`, `sessions ...`, `clients ...`: the operators' command line, on the same stores and settings; `--help`.
if (PortalCommands.IsCommand(args))
{
    return await PortalCommands.RunAsync(args, Console.In, Console.Out, Console.Error);
}

if (!PortalConfigFile.TryTake(args, out string[] settings, out string? configFile))
{
    await Console.Error.WriteLineAsync(PortalCommands.Usage);
    return PortalCommands.ExitUsage;
}

var builder = WebApplication.CreateBuilder(settings);
if (!PortalConfigFile.TryAdd(builder.Configuration, configFile, out string? configError))
{
    await Console.Error.WriteLineAsync($"configuration error: {configError}");
    return Network.Hosting.ConfigurationErrors.ExitCode;
}

builder.AddServiceDefaults();
builder.AddAccounts();
builder.AddSessions();
builder.AddRadius();
builder.AddGateway();
builder.AddPortal();
builder.AddPrivacy();
builder.AddNocReporting();
builder.AddPolls();

var app = builder.Build();
app.MapServiceDefaults();
app.MapPortal();
app.MapPolls();

return app.RunService();
