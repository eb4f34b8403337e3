using Network.Snmp.Pdus;

namespace Network.Snmp.Responder;

/// <summary>
/// What a responder serves: the variables one context (one community, one simulated device) makes
/// accessible, with the read semantics of RFC 3416 section 4.2. Implementations are safe for
/// concurrent reads; values are computed when they are read.
/// </summary>
/// <remarks>
/// A provider that throws lets the exception through; the responder answers genErr for that
/// variable binding (RFC 3416 section 4.2.1, last paragraph).
/// </remarks>
public interface IMibView
{
    /// <summary>
    /// The value of the variable named <paramref name="oid"/> (RFC 3416 section 4.2.1): its value when
    /// it exists; <see cref="SnmpValue.NoSuchObject"/> when no object type is registered at a prefix of
    /// <paramref name="oid"/>; <see cref="SnmpValue.NoSuchInstance"/> when the object type is there but
    /// not that instance. Never <see cref="SnmpValue.EndOfMibView"/>.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
        Justification = "Get and GetNext are the operations' names in RFC 3416; no VB implementer is expected.")]
    SnmpValue Get(Oid oid);

    /// <summary>
    /// The first variable whose name is strictly greater than <paramref name="oid"/> in lexicographic
    /// order (RFC 3416 section 4.2.2), or, when there is none, <paramref name="oid"/> itself with the
    /// value <see cref="SnmpValue.EndOfMibView"/>. A GetBulk repeats this (section 4.2.3).
    /// </summary>
    VarBind GetNext(Oid oid);
}
