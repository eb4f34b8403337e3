using Network.Snmp.Pdus;

namespace Network.Snmp.Responder;

/// <summary>Walking a view with GetNext, as snmpwalk does.</summary>
public static class MibViewExtensions
{
    /// <summary>
    /// Every variable under <paramref name="subtree"/> (every variable of the view when null), in
    /// lexicographic order, by repeated GetNext: the walk ends at endOfMibView or at the first name
    /// outside the subtree.
    /// </summary>
    /// <exception cref="InvalidOperationException">The view answered a GetNext with a name that is not after the request's.</exception>
    public static IEnumerable<VarBind> Walk(this IMibView view, Oid? subtree = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        return WalkIterator(view, subtree);
    }

    private static IEnumerable<VarBind> WalkIterator(IMibView view, Oid? subtree)
    {
        Oid cursor = subtree ?? new Oid();
        while (true)
        {
            VarBind next = view.GetNext(cursor);
            if (next.Value.Type == SnmpType.EndOfMibView || (subtree is not null && !next.Oid.StartsWith(subtree)))
            {
                yield break;
            }

            if (next.Oid <= cursor)
            {
                throw new InvalidOperationException($"GetNext after {cursor} answered {next.Oid}, which is not after it");
            }

            yield return next;
            cursor = next.Oid;
        }
    }
}
