using Network.CaptivePortal.Portal;
using Network.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapServiceDefaults();
app.MapPortal();

return app.RunService();
