using System.Net;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Security;
using Network.TestSupport;

namespace Network.Snmp.Tests.Client;

/// <summary>Our SNMPv3 manager against net-snmp's snmpd: every user of the fixture, and the ways to get it wrong.</summary>
public class SnmpdV3Tests(SnmpdFixture snmpd) : IClassFixture<SnmpdFixture>, IAsyncLifetime
{
    private readonly SnmpClient _client = SnmpClient.CreateUdp();
    private readonly SnmpClient _blocking = SnmpClient.CreateBlockingUdp(); // the field tool's manager

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _blocking.DisposeAsync();
    }

    public static TheoryData<string, bool> UsersAndManagers()
    {
        var data = new TheoryData<string, bool>();
        foreach (var u in SnmpdFixture.Users)
        {
            data.Add(u.User, false);
            data.Add(u.User, true);
        }

        return data;
    }

    internal static UsmUser UserOf(string name, string? authPass = null, string? privPass = null)
    {
        var u = SnmpdFixture.Users.Single(x => x.User == name);
        Assert.True(AuthProtocols.TryParse(u.Auth, out AuthProtocol auth));
        if (u.Priv is null)
        {
            return UsmUser.AuthNoPriv(u.User, auth, authPass ?? u.AuthPass);
        }

        Assert.True(PrivProtocols.TryParse(u.Priv, out PrivProtocol priv));
        return UsmUser.AuthPriv(u.User, auth, authPass ?? u.AuthPass, priv, privPass ?? u.PrivPass!);
    }

    private SnmpTarget Target(UsmUser user) =>
        new(new IPEndPoint(IPAddress.Loopback, snmpd.Port)) { Version = SnmpVersion.V3, User = user, Timeout = TimeSpan.FromSeconds(2), Retries = 1 };

    [Theory]
    [MemberData(nameof(UsersAndManagers))]
    public async Task Get_and_bulk_walk_of_the_system_group_work_for_every_user(string name, bool blocking)
    {
        SnmpTarget target = Target(UserOf(name));
        SnmpClient client = blocking ? _blocking : _client;

        IReadOnlyList<VarBind> get = await client.GetAsync(target, [Oid.Parse("1.3.6.1.2.1.1.5.0")]);
        var walk = new List<VarBind>();
        await foreach (VarBind b in client.BulkWalkAsync(target, Oid.Parse("1.3.6.1.2.1.1"), 5))
        {
            walk.Add(b);
        }

        Assert.Equal("snmpd-fixture", get[0].Value.AsString());
        Assert.Contains(walk, b => b.Oid == Oid.Parse("1.3.6.1.2.1.1.6.0") && b.Value.AsString() == SnmpdFixture.Location);
        Assert.True(walk.Count >= 8, $"only {walk.Count} bindings");
    }

    [Fact]
    public async Task A_wrong_authentication_pass_phrase_is_a_clear_error_and_never_data()
    {
        SnmpTarget target = Target(UserOf("authPrivUser", authPass: "wrongpass123"));

        var error = await Assert.ThrowsAsync<SnmpSecurityException>(() => _client.GetAsync(target, [Oid.Parse("1.3.6.1.2.1.1.5.0")]));

        Assert.Equal(UsmError.WrongDigest, error.Error);
        Assert.Contains("authentication failure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_user_is_a_clear_error()
    {
        var user = UsmUser.AuthPriv("nobodyHere", AuthProtocol.HmacSha1, "authpass123", PrivProtocol.Aes128, "privpass123");

        var error = await Assert.ThrowsAsync<SnmpSecurityException>(() => _client.GetAsync(Target(user), [Oid.Parse("1.3.6.1.2.1.1.5.0")]));

        Assert.Equal(UsmError.UnknownUserName, error.Error);
    }

    [Fact]
    public async Task A_wrong_privacy_pass_phrase_never_gives_data()
    {
        SnmpTarget target = Target(UserOf("sha256User", privPass: "wrongpriv256")) with { Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 };

        var error = await Assert.ThrowsAnyAsync<SnmpClientException>(() => _client.GetAsync(target, [Oid.Parse("1.3.6.1.2.1.1.5.0")]));

        Assert.True(error is SnmpSecurityException { Error: UsmError.DecryptionError } or SnmpTimeoutException, error.ToString());
    }
}
