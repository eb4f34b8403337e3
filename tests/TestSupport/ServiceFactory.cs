using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Network.TestSupport;

/// <summary>
/// A web service of the platform in memory (WebApplicationFactory), with its data folder in a temporary folder
/// and any extra settings the test gives.
/// </summary>
public sealed class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private readonly TempFolder _data = new("service-data");
    private readonly Dictionary<string, string?> _settings = [];
    private readonly List<Action<IServiceCollection>> _services = [];

    public string DataDirectory => _data.FullPath;

    /// <summary>Sets a configuration key (for example <c>Storage:DataDirectory</c>) before the service starts.</summary>
    public ServiceFactory<TProgram> With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Registers services over the service's own (for example a fake <see cref="TimeProvider"/>) before it starts.</summary>
    public ServiceFactory<TProgram> WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (Action<IServiceCollection> configure in _services)
        {
            builder.ConfigureTestServices(configure);
        }

        builder.UseSetting("Storage:DataDirectory", _data.FullPath);
        foreach ((string key, string? value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _data.Dispose();
    }
}
