using Network.TestSupport;

namespace Network.Snmp.Tests.Fixtures;

/// <summary>The snmpd fixture starts and answers net-snmp's own manager, v2c and every v3 user it creates.</summary>
public class SnmpdFixtureTests(SnmpdFixture snmpd) : IClassFixture<SnmpdFixture>
{
    [Fact]
    public async Task Snmpd_answers_snmpget_v2c_with_the_configured_location()
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", "-v2c", "-c", SnmpdFixture.Community, "-On", snmpd.Endpoint, "1.3.6.1.2.1.1.6.0");

        Assert.True(code == 0, stderr);
        Assert.Equal($".1.3.6.1.2.1.1.6.0 = STRING: \"{SnmpdFixture.Location}\"", stdout.Trim());
    }

    public static TheoryData<string> V3Users() => [.. SnmpdFixture.Users.Select(u => u.User)];

    [Theory]
    [MemberData(nameof(V3Users))]
    public async Task Snmpd_answers_snmpget_v3_for_each_user(string user)
    {
        var u = SnmpdFixture.Users.Single(x => x.User == user);
        string[] security = u.Priv is null
            ? ["-l", "authNoPriv", "-u", u.User, "-a", u.Auth, "-A", u.AuthPass]
            : ["-l", "authPriv", "-u", u.User, "-a", u.Auth, "-A", u.AuthPass, "-x", u.Priv, "-X", u.PrivPass!];

        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget", ["-v3", .. security, "-On", snmpd.Endpoint, "1.3.6.1.2.1.1.5.0"]);

        Assert.True(code == 0, stderr);
        Assert.Equal(".1.3.6.1.2.1.1.5.0 = STRING: \"snmpd-fixture\"", stdout.Trim());
    }

    [Fact]
    public async Task Snmpd_refuses_a_wrong_v3_password()
    {
        var (code, stdout, stderr) = await SnmpdFixture.RunToolAsync("snmpget",
            "-v3", "-l", "authPriv", "-u", "authPrivUser", "-a", "SHA", "-A", "wrongpass123", "-x", "AES", "-X", "privpass123",
            "-On", "-t", "1", "-r", "0", snmpd.Endpoint, "1.3.6.1.2.1.1.5.0");

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("snmpd-fixture", stdout, StringComparison.Ordinal);
        Assert.Contains("Authentication failure", stderr, StringComparison.OrdinalIgnoreCase);
    }
}
