using Network.Noc.Home;
using Network.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapServiceDefaults();
app.MapHome();

return app.RunService();
