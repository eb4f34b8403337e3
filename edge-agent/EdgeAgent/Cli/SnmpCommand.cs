using Network.Snmp;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Text;

namespace Network.EdgeAgent.Cli;

/// <summary>
/// <c>edge-agent snmp ...</c>: a field tool for a router that has no net-snmp. It prints what net-snmp's
/// <c>snmpget -On</c> prints, one binding a line; errors go to stderr with a non-zero exit code.
/// </summary>
public static class SnmpCommand
{
    public const int ExitUsage = 64;
    public const int ExitTimeout = 1;
    public const int ExitError = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        SnmpCommandLine line;
        try
        {
            line = SnmpCommandLine.Parse(args);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            await error.WriteLineAsync($"edge-agent snmp: {ex.Message}").ConfigureAwait(false);
            await error.WriteLineAsync(SnmpCommandLine.Usage).ConfigureAwait(false);
            return ExitUsage;
        }

        // One request at a time, waited for on this thread: no receive loop, no thread-pool hop per reply.
        await using SnmpClient client = SnmpClient.CreateBlockingUdp();
        try
        {
            switch (line.Command)
            {
                case "get":
                    await PrintAsync(await client.GetAsync(line.Target, line.Oids, cancellationToken).ConfigureAwait(false), output).ConfigureAwait(false);
                    break;
                case "getnext":
                    await PrintAsync(await client.GetNextAsync(line.Target, line.Oids, cancellationToken).ConfigureAwait(false), output).ConfigureAwait(false);
                    break;
                case "set":
                    await PrintAsync(await client.SetAsync(line.Target, line.SetBindings, cancellationToken).ConfigureAwait(false), output).ConfigureAwait(false);
                    break;
                case "walk":
                case "bulkwalk":
                    foreach (Oid root in line.Oids)
                    {
                        IAsyncEnumerable<VarBind> walk = line.Command == "walk"
                            ? client.WalkAsync(line.Target, root, cancellationToken)
                            : client.BulkWalkAsync(line.Target, root, line.MaxRepetitions, cancellationToken);
                        await foreach (VarBind binding in walk.ConfigureAwait(false))
                        {
                            await output.WriteLineAsync(NetSnmpText.FormatVarBind(binding)).ConfigureAwait(false);
                        }
                    }

                    break;
                default:
                    throw new InvalidOperationException(line.Command);
            }

            return 0;
        }
        catch (SnmpTimeoutException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitTimeout;
        }
        catch (SnmpErrorStatusException ex)
        {
            await error.WriteLineAsync($"Error in packet.\nReason: {ex.Status}{(ex.FailedOid is null ? "" : $"\nFailed object: .{ex.FailedOid}")}").ConfigureAwait(false);
            return ExitError;
        }
        catch (SnmpClientException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitError;
        }
        catch (SnmpDecodeException ex)
        {
            await error.WriteLineAsync($"malformed reply: {ex.Message}").ConfigureAwait(false);
            return ExitError;
        }
    }

    private static async Task PrintAsync(IReadOnlyList<VarBind> bindings, TextWriter output)
    {
        foreach (VarBind binding in bindings)
        {
            await output.WriteLineAsync(NetSnmpText.FormatVarBind(binding)).ConfigureAwait(false);
        }
    }
}
