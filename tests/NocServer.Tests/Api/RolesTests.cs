using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Network.Noc.Tests.Api;

/// <summary>Every endpoint and hub method refuses a caller without the role: 401 with no session, 403 with the wrong role.</summary>
public class RolesTests
{
    /// <summary>Method, path, body, and the roles allowed (anything else gets 403; no session gets 401).</summary>
    public static TheoryData<string, string, string?, string> Endpoints => new()
    {
        { "GET", "/api/v1/me", null, "engineer,planner,admin" },
        { "GET", "/api/v1/sites", null, "engineer,planner,admin" },
        { "GET", "/api/v1/sites/hs-beursplein", null, "engineer,planner,admin" },
        { "GET", "/api/v1/sites/hs-beursplein/series?metric=if_in_bps", null, "engineer,planner,admin" },
        { "GET", "/api/v1/inventory/sites", null, "engineer,planner,admin" },
        { "GET", "/api/v1/alarms", null, "engineer,planner,admin" },
        { "POST", "/api/v1/alarms/acknowledge", "{\"ids\":[1],\"note\":\"x\"}", "engineer,admin" },
        { "GET", "/api/v1/users", null, "admin" },
        { "POST", "/api/v1/users", "{\"name\":\"x\",\"role\":\"engineer\",\"password\":\"short\"}", "admin" },
        { "DELETE", "/api/v1/users/nobody", null, "admin" },
        { "GET", "/api/v1/agents", null, "admin" },
        { "POST", "/api/v1/agents", "{\"id\":\"bad id\"}", "admin" },
        { "POST", "/api/v1/agents/nobody/revoke", null, "admin" },
        { "GET", "/api/v1/sla/schools/fts-anderlecht?month=2026-03", null, "engineer,planner,admin" },
        { "GET", "/api/v1/sla/schools/fts-anderlecht/definition", null, "engineer,planner,admin" },
        { "PUT", "/api/v1/sla/schools/fts-anderlecht/definition", "{\"availabilityObjectivePercent\":200}", "planner,admin" },
        { "GET", "/api/v1/sla/programme?from=2026-03&to=2026-03", null, "engineer,planner,admin" },
        { "GET", "/api/v1/sla/programme.csv?from=2026-03", null, "engineer,planner,admin" },
        { "GET", "/api/v1/sla/maintenance", null, "engineer,planner,admin" },
        { "POST", "/api/v1/sla/maintenance", "{\"sites\":[]}", "engineer,planner,admin" },
        { "GET", "/api/v1/reports/monthly?month=2026-03", null, "engineer,planner,admin" },
        { "GET", "/api/v1/reports/yearly?year=2026", null, "engineer,planner,admin" },
        { "GET", "/api/v1/reports/yearly/communes.csv?year=2026", null, "engineer,planner,admin" },
        { "PUT", "/api/v1/inventory/sites/x", "{\"id\":\"x\",\"name\":\"\",\"kind\":\"school\",\"commune\":\"Jette\",\"latitude\":0,\"longitude\":0}", "admin" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task An_endpoint_answers_401_without_a_session_403_for_another_role_and_not_either_for_its_roles(string method, string path, string? body, string allowed)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient anonymous = noc.Anonymous();
        using HttpResponseMessage refused = await anonymous.SendAsync(Request(method, path, body));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        foreach (string role in Users.NocRoles.All)
        {
            using HttpClient client = await noc.SignedInAsync(role);
            using HttpResponseMessage response = await client.SendAsync(Request(method, path, body));
            if (allowed.Split(',').Contains(role))
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} {method} {path}: {response.StatusCode}");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/map")]
    [InlineData("/alarms")]
    [InlineData("/sites/hs-beursplein")]
    public async Task A_page_sends_a_stranger_to_the_login_page(string path)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient anonymous = noc.Anonymous();

        using HttpResponseMessage response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hub_refuses_a_stranger_and_a_planner_cannot_acknowledge_through_it()
    {
        await using NocHost noc = await NocHost.StartAsync();
        HubConnection stranger = Connect(noc, cookie: null);
        HttpRequestException refused = await Assert.ThrowsAsync<HttpRequestException>(() => stranger.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using HubConnection planner = Connect(noc, await noc.CookieAsync("planner"));
        await planner.StartAsync();
        var snapshot = await planner.InvokeAsync<Network.Noc.Live.BoardSnapshot>("GetSnapshot");
        Assert.NotEmpty(snapshot.Sites);
        await Assert.ThrowsAsync<HubException>(() => planner.InvokeAsync<int>("AcknowledgeAlarms", new long[] { 1 }, "not mine to do"));

        await using HubConnection engineer = Connect(noc, await noc.CookieAsync("engineer"));
        await engineer.StartAsync();
        Assert.Equal(0, await engineer.InvokeAsync<int>("AcknowledgeAlarms", new long[] { 12345 }, "no such alarm"));
    }

    internal static HubConnection Connect(NocHost noc, string? cookie) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(noc.Factory.Server.BaseAddress, "/hubs/live"), options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => noc.Factory.Server.CreateHandler();
                if (cookie is not null)
                {
                    options.Headers["Cookie"] = cookie;
                }
            })
            .Build();

    private static HttpRequestMessage Request(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }
}
