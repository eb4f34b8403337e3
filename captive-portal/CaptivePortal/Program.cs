using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Cli;
using Network.CaptivePortal.Portal;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Sessions;
using Network.ServiceDefaults;

// `users ...`, `sessions ...`, `clients ...`: the operators' command line, on the same stores.
if (PortalCommands.IsCommand(args))
{
    return await PortalCommands.RunAsync(args, Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAccounts();
builder.AddSessions();
builder.AddRadius();

var app = builder.Build();
app.MapServiceDefaults();
app.MapPortal();

return app.RunService();
