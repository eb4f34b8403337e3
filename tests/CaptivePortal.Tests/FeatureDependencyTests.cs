using Network.TestSupport;

namespace Network.CaptivePortal.Tests;

/// <summary>
/// The portal's feature folders use each other without cycles, as docs/architecture.md draws them (read from the C# and
/// Razor sources). The pages (<c>Pages</c>) sit on top; the gateway integration, the accounts, the privacy rules and the
/// mail use neither the pages nor the portal's web plumbing.
/// </summary>
public sealed class FeatureDependencyTests
{
    private static FeatureDependencies Read() =>
        FeatureDependencies.Read(Path.Combine(ServiceProcess.RepositoryRoot, "captive-portal", "CaptivePortal"), "Network.CaptivePortal");

    [Fact]
    public void No_feature_depends_on_itself_through_others()
    {
        FeatureDependencies features = Read();

        Assert.Contains("Pages", features.Uses.Keys);
        foreach (string feature in features.Uses.Keys)
        {
            Assert.False(features.DependsOnItself(feature), $"{feature} depends on itself through others: {features}");
        }
    }

    [Fact]
    public void The_gateway_accounts_privacy_and_mail_do_not_use_the_portal_or_its_pages()
    {
        IReadOnlyDictionary<string, HashSet<string>> uses = Read().Uses;

        Assert.Contains("Gateway", uses["Pages"]);
        Assert.Contains("Portal", uses["Pages"]);
        foreach (string lower in (string[])["Gateway", "Privacy", "Mail", "Accounts"])
        {
            Assert.DoesNotContain("Portal", uses[lower]);
            Assert.DoesNotContain("Pages", uses[lower]);
        }

        Assert.DoesNotContain("Pages", uses["Portal"]);
        // The RADIUS handler records accounting through Sessions; the session policy reaches the gateways through
        // ISessionGateways, which the RADIUS feature provides.
        Assert.Contains("Sessions", uses["Radius"]);
        Assert.DoesNotContain("Radius", uses["Sessions"]);
        Assert.Empty(uses["Mail"]);
    }
}
