using Network.TestSupport;

namespace Network.Noc.Tests;

/// <summary>
/// The NOC's feature folders use each other without cycles, as docs/architecture.md draws them: read from the sources
/// (<c>using Network.Noc.X</c> and references qualified with a feature's name; <see cref="FeatureDependencies"/>).
/// </summary>
public sealed class FeatureDependencyTests
{
    private static FeatureDependencies Read() =>
        FeatureDependencies.Read(Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer"), "Network.Noc");

    [Fact]
    public void No_feature_depends_on_itself_through_others()
    {
        FeatureDependencies features = Read();

        Assert.Contains("Live", features.Uses.Keys);
        foreach (string feature in features.Uses.Keys)
        {
            Assert.False(features.DependsOnItself(feature), $"{feature} depends on itself through others: {features}");
        }
    }

    [Fact]
    public void Status_and_alarms_do_not_use_the_live_feed_and_ingest_does_not_use_the_inventory()
    {
        IReadOnlyDictionary<string, HashSet<string>> uses = Read().Uses;

        Assert.DoesNotContain("Live", uses["Status"]);
        Assert.DoesNotContain("Live", uses["Alarms"]);
        Assert.DoesNotContain("Status", uses["Alarms"]);
        Assert.DoesNotContain("Inventory", uses["Ingest"]);
        Assert.DoesNotContain("Status", uses["Inventory"]);
        Assert.Empty(uses["TimeSeries"]);
    }
}
