using System.Text;
using Network.CaptivePortal.Gateway;

namespace Network.CaptivePortal.Tests.Gateway;

/// <summary>openNDS's FAS redirect as its documentation and http_microhttpd.c define it, read by <see cref="OpenNdsFas"/>.</summary>
public sealed class OpenNdsFasTests
{
    private const string FasKey = "1234567890";
    private const string Hid = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    // python3 -c "import hashlib; print(hashlib.sha256(b'<Hid>1234567890').hexdigest())"
    private const string ReturnToken = "50dda937b5a9575defbd4969dda73f8ee32d69e0d329ae5d51423c506ab36e50";

    // What openNDS 10 base64-encodes for fas_secure_enabled=1 (comma-space separated, values URL-encoded where openNDS encodes them).
    private const string Level1Text = "hid=" + Hid + ", clientip=10.1.0.23, clientmac=00:16:3e:12:34:56, client_type=cpd_can, cpi_query=none, "
        + "gatewayname=Flageyplein%20hotspot, gatewayurl=http%3A%2F%2F10.1.0.1, version=10.1.0, gatewayaddress=10.1.0.1:2050, "
        + "gatewaymac=aa:bb:cc:dd:ee:ff, originurl=http%3A%2F%2Fexample.org%2Fnews%3Fa%3D1, clientif=br-lan, "
        + "themespec=/usr/lib/opennds/theme_click-to-continue.sh, ";

    private static readonly ExternalPortalOptions s_options = new() { FasKey = FasKey, Secret = "radius-secret" };

    private static Dictionary<string, string> Level1(string text, string redir = "http://example.org/news?a=1") => new()
    {
        // openNDS puts the base64 in the URL unescaped; a query parser turns its '+' into a space.
        ["fas"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).Replace('+', ' '),
        ["redir"] = redir,
    };

    [Fact]
    public void The_return_token_is_the_hex_SHA_256_of_hid_and_faskey() =>
        Assert.Equal(ReturnToken, OpenNdsFas.ReturnToken(Hid, FasKey));

    [Fact]
    public void A_level_1_redirect_gives_the_gateway_the_client_and_the_return_token()
    {
        UamContext? context = OpenNdsFas.TryParse(Level1(Level1Text), s_options, out string problem);

        Assert.True(context is not null, problem);
        Assert.True(context.IsExternal);
        Assert.Equal("10.1.0.1", context.UamIp);
        Assert.Equal(2050, context.UamPort);
        Assert.Equal("opennds_auth", context.AuthDir);
        Assert.Equal(ReturnToken, context.FasToken);
        Assert.Equal("10.1.0.23", context.Ip);
        Assert.Equal("00-16-3E-12-34-56", context.Mac, ignoreCase: true);
        Assert.Equal("Flageyplein hotspot", context.NasId);
        Assert.Equal("http://example.org/news?a=1", context.UserUrl);
        Assert.Equal($"http://10.1.0.1:2050/opennds_auth/?tok={ReturnToken}&redir=https%3A%2F%2Fportal.example%2Fonline%3Flang%3Dnl",
            context.AuthUrl("https://portal.example/online?lang=nl"));
    }

    [Fact]
    public void A_plus_in_the_base64_that_arrived_as_a_space_is_read_back()
    {
        // "~~~>" encodes to "fn5+Pg==": a '+' that the query string turned into a space.
        string text = Level1Text + "custom=~~~>, ";
        Assert.Contains('+', Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));

        Assert.NotNull(OpenNdsFas.TryParse(Level1(text), s_options, out _));
    }

    [Fact]
    public void An_authdir_in_the_payload_is_used_and_the_configured_one_otherwise()
    {
        UamContext? context = OpenNdsFas.TryParse(Level1(Level1Text + "authdir=my_auth, "), s_options, out _);

        Assert.Equal("my_auth", context?.AuthDir);
    }

    public static TheoryData<string, Dictionary<string, string>, ExternalPortalOptions> Refused => new()
    {
        { "no parameters at all", new(), s_options },
        { "fas= that is not base64", new() { ["fas"] = "not base64!" }, s_options },
        { "no hid", Level1(Level1Text.Replace("hid=" + Hid + ", ", "", StringComparison.Ordinal)), s_options },
        { "a hid that is not 64 hex digits", Level1(Level1Text.Replace(Hid, Hid[..63] + "g", StringComparison.Ordinal)), s_options },
        { "no gatewayaddress", Level1(Level1Text.Replace("gatewayaddress=10.1.0.1:2050, ", "", StringComparison.Ordinal)), s_options },
        { "a gateway without a port", Level1(Level1Text.Replace("10.1.0.1:2050", "10.1.0.1", StringComparison.Ordinal)), s_options },
        { "a public gateway address", Level1(Level1Text.Replace("10.1.0.1:2050", "203.0.113.9:2050", StringComparison.Ordinal)), s_options },
        { "a gateway outside the configured networks", Level1(Level1Text), new ExternalPortalOptions { FasKey = FasKey, GatewayNetworks = ["192.168.0.0/16"] } },
        { "no clientip", Level1(Level1Text.Replace("clientip=10.1.0.23, ", "", StringComparison.Ordinal)), s_options },
        { "an authdir that climbs", Level1(Level1Text + "authdir=../admin, "), s_options },
        { "level 1 without a faskey configured", Level1(Level1Text), new ExternalPortalOptions { AcceptLevel0 = true } },
        { "level 2 (AES)", new() { ["fas"] = "aGk=", ["iv"] = "0123456789abcdef" }, s_options },
        { "level 0 when only level 1 is accepted", Level0("10.1.0.1:2050"), s_options },
        { "level 0 with a public gateway", Level0("198.51.100.7:2050"), new ExternalPortalOptions { AcceptLevel0 = true } },
        { "level 0 with an https authaction", Level0("10.1.0.1:2050", scheme: "https"), new ExternalPortalOptions { AcceptLevel0 = true } },
        { "level 0 without tok", Level0("10.1.0.1:2050", tok: null), new ExternalPortalOptions { AcceptLevel0 = true } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_changed_or_incomplete_redirect_is_refused(string description, Dictionary<string, string> query, ExternalPortalOptions options)
    {
        UamContext? context = OpenNdsFas.TryParse(query, options, out string problem);

        Assert.True(context is null, description);
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void A_level_0_redirect_keeps_the_clients_token_when_level_0_is_accepted()
    {
        UamContext? context = OpenNdsFas.TryParse(Level0("10.1.0.1:2050"), new ExternalPortalOptions { AcceptLevel0 = true }, out string problem);

        Assert.True(context is not null, problem);
        Assert.Equal("770bfe05", context.FasToken);
        Assert.Equal("opennds_auth", context.AuthDir);
        Assert.Equal("10.1.0.23", context.Ip);
        Assert.Equal("hs-flagey", context.NasId);
        Assert.Equal("http://example.org/", context.UserUrl);
        Assert.StartsWith("http://10.1.0.1:2050/opennds_auth/?tok=770bfe05&redir=", context.AuthUrl("http://portal.example/online"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_originurl_that_is_not_http_is_dropped_not_followed()
    {
        UamContext? context = OpenNdsFas.TryParse(
            Level1(Level1Text.Replace("http%3A%2F%2Fexample.org%2Fnews%3Fa%3D1", "javascript%3Aalert(1)", StringComparison.Ordinal), redir: "javascript:alert(1)"),
            s_options, out _);

        Assert.NotNull(context);
        Assert.Null(context.UserUrl);
    }

    // ?authaction=http://gatewayaddress/opennds_auth/?clientip=…&gatewayname=…&tok=…&redir=… as a query parser splits it.
    private static Dictionary<string, string> Level0(string gateway, string scheme = "http", string? tok = "770bfe05")
    {
        var query = new Dictionary<string, string>
        {
            ["authaction"] = $"{scheme}://{gateway}/opennds_auth/?clientip=10.1.0.23",
            ["gatewayname"] = "hs-flagey",
            ["redir"] = "http://example.org/",
        };
        if (tok is not null)
        {
            query["tok"] = tok;
        }

        return query;
    }
}
