using System.Text.RegularExpressions;

namespace Network.Deployment.Tests;

/// <summary>
/// A wrong input stops site.yml at its start, with one line naming the variable and the host, before any machine
/// is changed: run against the booted machines, every host's recap says changed=0.
/// </summary>
[Collection(RegionMachines.Name)]
public sealed partial class BadInputTests(Region region)
{
    [Theory]
    [InlineData("""{"edge_agent_devices": []}""", "edge_agent_devices on router-hs-flageyplein: site hs-flageyplein has no devices")]
    [InlineData("""{"vault_agent_tokens": {"agent-hs-flageyplein": "too-short-a-token"}}""",
        "vault_agent_tokens['agent-hs-flageyplein'] on router-hs-flageyplein: a token is 24 to 256 characters without spaces")]
    [InlineData("""{"edge_agent_devices": [{"name": "ap1", "address": "10.99.0.1:21161", "version": "v3", "v3": {"user": "fleet", "auth_protocol": "SHA-257", "credential": "fleet"}}]}""",
        "edge_agent_devices[ap1].v3.auth_protocol on router-hs-flageyplein: 'SHA-257' is not one of MD5, SHA, SHA1")]
    [InlineData("""{"edge_agent_devices": [{"name": "ap1", "address": "10.99.0.1:21161", "version": "v3", "v3": {"user": "fleet", "priv_protocol": "AES-512", "credential": "fleet"}}]}""",
        "edge_agent_devices[ap1].v3.priv_protocol on router-hs-flageyplein: 'AES-512' is not one of DES, AES")]
    public async Task A_wrong_input_fails_the_run_before_any_machine_changes(string extraVars, string expected)
    {
        PlaybookRun run = await region.PlaybookAsync("site.yml", ["-e", extraVars]);
        AssertStoppedAtStart(run, expected);
    }

    [Fact]
    public async Task A_missing_vault_variable_fails_the_run_before_any_machine_changes()
    {
        // The CI inventory with a vault that lacks the NOC's first admin password.
        string inventory = Directory.CreateTempSubdirectory("deployment-inventory-").FullName;
        try
        {
            CopyFolder(Region.Inventory, inventory);
            string vault = Path.Combine(inventory, "group_vars", "all", "vault.yml");
            PlaybookRun view = await region.AnsibleAsync("ansible-vault", ["decrypt", "--vault-password-file", Region.VaultPasswordFile, vault]);
            Assert.True(view.ExitCode == 0, view.Output);
            File.WriteAllLines(vault, File.ReadAllLines(vault).Where(l => !l.StartsWith("vault_noc_admin_password:", StringComparison.Ordinal)));

            PlaybookRun run = await region.PlaybookAsync("site.yml", inventory: inventory);
            AssertStoppedAtStart(run, "vault_noc_admin_password on noc1: missing (it comes from the inventory's vault, group_vars/all/vault.yml)");
        }
        finally
        {
            Directory.Delete(inventory, recursive: true);
        }
    }

    private static void AssertStoppedAtStart(PlaybookRun run, string expected)
    {
        Assert.True(run.ExitCode != 0, run.Output);
        // One line: ansible's "fatal/failed: [host] ... msg" line, with the message whole.
        Assert.Single(run.Output.Split('\n'), line => line.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotMatch(SecretLike(), run.Output);
        Assert.Equal(Region.InventoryHosts, run.Changed.Keys.Order());
        Assert.True(run.Changed.Values.All(c => c == 0), run.Output);
        Assert.DoesNotContain("TASK [noc_server", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Gathering Facts", run.Output, StringComparison.Ordinal);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The CI vault's tokens start with noc_: none may appear in the output.</summary>
    [GeneratedRegex("noc_[A-Za-z0-9_-]{20,}")]
    private static partial Regex SecretLike();
}
