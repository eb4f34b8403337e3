using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Configuration;
using Network.Hosting;

namespace Network.EdgeAgent.Hosting;

/// <summary>
/// Puts the agent together without a service container: each feature's <c>Add…()</c> binds and validates its options
/// (failures name the full key, as <see cref="ValidatedOptions"/> does for the services) and registers what it runs.
/// Objects are made once, in <see cref="Build"/>, only when every option is valid, so a broken file never opens the
/// queue or a socket. Why not Microsoft.Extensions.Hosting: on a router its configuration sources, file watcher,
/// logger thread, container and their code cost more memory than the whole agent's own work (docs/benchmarks.md).
/// </summary>
public sealed class AgentHostBuilder
{
    private readonly List<string> _failures = [];
    private readonly Dictionary<Type, object> _instances = [];
    private readonly Dictionary<Type, Func<AgentHostBuilder, object>> _factories = [];
    private readonly List<object> _created = [];
    private readonly List<Func<AgentHostBuilder, IHostedService>> _services = [];
    private bool _built;

    public AgentHostBuilder(IConfiguration configuration, ILoggerFactory logging, TimeProvider? time = null)
    {
        Configuration = configuration;
        Logging = logging;
        Time = time ?? TimeProvider.System;
    }

    public IConfiguration Configuration { get; }

    public ILoggerFactory Logging { get; }

    public TimeProvider Time { get; }

    /// <summary>
    /// The agent's configuration: its JSON file (<c>--config FILE</c> or <c>Agent:ConfigFile</c>), then the environment
    /// (<c>Agent__Noc__Token</c>), then the command line (<c>--Agent:Noc:Url=...</c>), each overriding the one before;
    /// logs to stdout. False, with a message naming the file, when the file is missing or not JSON.
    /// </summary>
    public static bool TryCreate(string[] args, [NotNullWhen(true)] out AgentHostBuilder? builder, [NotNullWhen(false)] out string? error)
    {
        NativeHeap.Tune();
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        if (!AgentConfigFile.TryAdd(configuration, args, out error))
        {
            builder = null;
            return false;
        }

        builder = new AgentHostBuilder(configuration, JsonLineLoggerFactory.ForStdout(configuration));
        return true;
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="section"/> with <paramref name="bind"/> (a call to the
    /// source-generated <c>Bind</c>, so no reflection) and validates it with the generated <paramref name="validator"/>
    /// and any <paramref name="more"/> checks. Failures are kept for <see cref="Build"/>; the options are returned either
    /// way and can be had later with <see cref="Get{T}"/>.
    /// </summary>
    public TOptions AddOptions<TOptions>(string section, Action<IConfiguration, TOptions> bind, IValidateOptions<TOptions> validator,
        params IValidateOptions<TOptions>[] more)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(bind);
        var options = new TOptions();
        _instances[typeof(TOptions)] = options;
        try
        {
            bind(Configuration.GetSection(section), options);
        }
        catch (InvalidOperationException ex) when (ConfigurationErrors.TryDescribe(ex, out string? message))
        {
            _failures.Add(message); // a value of the wrong type: validating the rest would only add noise
            return options;
        }

        foreach (IValidateOptions<TOptions> check in (IValidateOptions<TOptions>[])[ValidatedOptions.NamingKeys(section, validator), .. more])
        {
            ValidateOptionsResult result = check.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                _failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        return options;
    }

    /// <summary>Registers how to make the one <typeparamref name="T"/> of the process (made on first <see cref="Get{T}"/>).</summary>
    public AgentHostBuilder AddSingleton<T>(Func<AgentHostBuilder, T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories[typeof(T)] = factory;
        return this;
    }

    /// <summary>Registers a service the host starts (in registration order) and stops (in reverse order).</summary>
    public AgentHostBuilder AddHostedService(Func<AgentHostBuilder, IHostedService> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _services.Add(factory);
        return this;
    }

    /// <summary>The one <typeparamref name="T"/>: bound options, or the object its factory makes (once).</summary>
    public T Get<T>()
        where T : class
    {
        if (_instances.TryGetValue(typeof(T), out object? instance))
        {
            return (T)instance;
        }

        if (!_built)
        {
            throw new InvalidOperationException($"{typeof(T).Name} is made in Build(), once the options are valid");
        }

        if (!_factories.TryGetValue(typeof(T), out Func<AgentHostBuilder, object>? factory))
        {
            throw new InvalidOperationException($"nothing registered makes a {typeof(T).Name}");
        }

        var made = (T)factory(this);
        _instances[typeof(T)] = made;
        _created.Add(made);
        return made;
    }

    /// <summary>A logger for <paramref name="category"/>.</summary>
    public ILogger Logger(string category) => Logging.CreateLogger(category);

    /// <summary>
    /// Makes the host. Throws <see cref="OptionsValidationException"/> listing every configuration failure (which
    /// <see cref="ConfigurationErrors.Report"/> prints as one line, exit 78) before anything is made.
    /// </summary>
    public AgentHost Build()
    {
        if (_failures.Count > 0)
        {
            throw new OptionsValidationException("Agent", typeof(AgentHostBuilder), _failures);
        }

        _built = true;
        var services = new List<IHostedService>(_services.Count);
        foreach (Func<AgentHostBuilder, IHostedService> factory in _services)
        {
            IHostedService service = factory(this);
            services.Add(service);
            _created.Add(service);
        }

        return new AgentHost(services, [.. _created], Logging, Time);
    }
}
