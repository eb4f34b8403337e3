using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.Agents;
using Network.Noc.Users;
using Network.TestSupport;

namespace Network.Noc.Tests;

/// <summary>
/// The NOC in memory with the demo inventory, a user of each role and one agent: what most API, hub and status
/// tests start from. Users sign in through the real login form (antiforgery and all).
/// </summary>
public sealed partial class NocHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const string AgentId = "agent-test";
    public const string Site = "hs-beursplein";

    private NocHost(ServiceFactory<Program> factory, string agentToken)
    {
        Factory = factory;
        AgentToken = agentToken;
    }

    public ServiceFactory<Program> Factory { get; }

    public string AgentToken { get; }

    public static string SeedFile => Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer", "Inventory", "demo-sites.json");

    /// <summary>Starts the NOC; <paramref name="settings"/> override configuration (RaiseAfter is 1 unless given, so one reading decides).</summary>
    public static Task<NocHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync((Action<IServiceCollection>?)null, settings);

    /// <summary>Starts the NOC on <paramref name="time"/> (a fake clock), or the system's clock when null.</summary>
    public static Task<NocHost> StartAsync(TimeProvider? time, params (string Key, string Value)[] settings) =>
        StartAsync(time is null ? null : services => services.AddSingleton(time), settings);

    /// <summary>Starts the NOC with <paramref name="services"/> added after its own (an extra ingest observer, a fake clock).</summary>
    public static async Task<NocHost> StartAsync(Action<IServiceCollection>? services, params (string Key, string Value)[] settings)
    {
        var factory = new ServiceFactory<Program>().With("Inventory:SeedFile", SeedFile).With("Status:RaiseAfter", "1").With("Status:ClearAfter", "1");
        if (services is not null)
        {
            factory.WithServices(services);
        }

        foreach ((string key, string value) in settings)
        {
            factory.With(key, value);
        }

        _ = factory.Server; // start it
        UserService users = factory.Services.GetRequiredService<UserService>();
        foreach (string role in NocRoles.All)
        {
            await users.AddAsync(role, role, Password, replace: false, CancellationToken.None);
        }

        string token = await factory.Services.GetRequiredService<AgentService>().CreateAsync(AgentId, null, null, CancellationToken.None);
        return new NocHost(factory, token);
    }

    /// <summary>A client with no cookie.</summary>
    public HttpClient Anonymous() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client signed in as the user named like <paramref name="role"/>.</summary>
    public async Task<HttpClient> SignedInAsync(string role)
    {
        HttpClient client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        string form = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        string token = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = role, ["password"] = Password, ["__RequestVerificationToken"] = token, ["returnUrl"] = "/",
        });
        using HttpResponseMessage response = await client.PostAsync(new Uri("/login", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The cookie header of a signed-in client (for the SignalR client).</summary>
    public async Task<string> CookieAsync(string role)
    {
        HttpClient client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using HttpResponseMessage page = await client.GetAsync(new Uri("/login", UriKind.Relative));
        string antiforgeryCookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        string token = AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/login", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = role, ["password"] = Password, ["__RequestVerificationToken"] = token, ["returnUrl"] = "/",
            }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith("noc.session", StringComparison.Ordinal)));
    }

    /// <summary>Posts a batch with the agent's token.</summary>
    public async Task<HttpResponseMessage> IngestAsync(SampleBatch batch, string? token = null)
    {
        using HttpClient client = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/ingest", UriKind.Relative))
        {
            Content = JsonContent.Create(batch, IngestJsonContext.Default.SampleBatch),
        };
        request.Headers.Authorization = new("Bearer", token ?? AgentToken);
        return await client.SendAsync(request);
    }

    /// <summary>A batch of this host's agent with one reading of a device.</summary>
    public static SampleBatch Batch(long sequence, params Sample[] samples) => new(AgentId, sequence, DateTimeOffset.UtcNow, samples);

    public static Sample Reading(string metric, double value, string site = Site, string? device = null, DateTimeOffset? at = null,
        IReadOnlyDictionary<string, string>? labels = null) => new(site, device ?? site, metric, at ?? DateTimeOffset.UtcNow, value, labels);

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>The antiforgery token of the (first) form of a page.</summary>
    public static string AntiforgeryToken(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
