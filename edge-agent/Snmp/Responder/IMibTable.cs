using Network.Snmp.Pdus;

namespace Network.Snmp.Responder;

/// <summary>
/// The rows of a conceptual table (RFC 2578 section 7.1.12), read when a request arrives, so rows can
/// appear and disappear (interfaces, associated clients) between two requests.
/// </summary>
/// <remarks>
/// A row is named by its index: the part of the instance OID after the column, <c>3</c> for
/// <c>ifDescr.3</c>, or several sub-identifiers for a table with a composite index (RFC 2578 section 7.7).
/// Implementations must be safe for concurrent reads.
/// </remarks>
public interface IMibTable
{
    /// <summary>
    /// The index of every row present now, in strictly increasing lexicographic order, each index at
    /// least one sub-identifier long. Called once per request that touches the table; a snapshot.
    /// </summary>
    IReadOnlyList<Oid> GetRows();

    /// <summary>
    /// The value of the cell at <paramref name="row"/> and <paramref name="column"/>, or false when the
    /// row is not there now or has no value in that column (a sparse table).
    /// </summary>
    bool TryGetCell(Oid row, uint column, out SnmpValue value);
}
