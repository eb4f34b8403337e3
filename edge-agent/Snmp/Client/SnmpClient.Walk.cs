using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Network.Snmp.Pdus;

namespace Network.Snmp.Client;

/// <summary>
/// Receives the bindings of a walk as they are read from each reply, in place: a view is valid only during the call
/// (<see cref="VarBindView.ToVarBind"/> keeps one). Throwing stops the walk with that exception.
/// </summary>
public interface IVarBindVisitor
{
    void Visit(VarBindView binding);
}

/// <summary>
/// A visitor that makes the walk end as net-snmp's snmpwalk and snmpbulkwalk end theirs, for a tool that prints what
/// they print: an exception value (endOfMibView, noSuchObject, noSuchInstance) inside the subtree is visited and ends
/// the walk; an error-status of noSuchName (SNMPv1's end of the MIB, or a v2c agent's) is <see cref="EndOfMib"/>; any
/// other error-status ends the walk with <see cref="SnmpErrorStatusException"/>; and when nothing was visited, the root
/// is fetched with Get and every binding of a reply without error is visited, exception values included.
/// </summary>
public interface IWalkVisitor : IVarBindVisitor
{
    /// <summary>The agent answered noSuchName: net-snmp prints <c>End of MIB</c> on stdout and exits 0.</summary>
    void EndOfMib();
}

/// <summary>Walks and bulk walks: one engine (<see cref="WalkOperation"/>) behind the enumerable and the visitor forms.</summary>
public sealed partial class SnmpClient
{
    /// <summary>
    /// Walks the subtree under <paramref name="root"/> with GetNext (net-snmp's snmpwalk). Stops at the end of the
    /// subtree or at endOfMibView; an OID that is not greater than the one before is an error (agents with that bug
    /// would loop forever). When the subtree is empty, the root itself is fetched with Get, as snmpwalk does.
    /// </summary>
    public IAsyncEnumerable<VarBind> WalkAsync(SnmpTarget target, Oid root, CancellationToken cancellationToken = default) =>
        EnumerateAsync(target, root, maxRepetitions: 0, cancellationToken);

    /// <summary><see cref="WalkAsync(SnmpTarget, Oid, CancellationToken)"/>, each binding handed to <paramref name="visitor"/> in place.</summary>
    public Task WalkAsync(SnmpTarget target, Oid root, IVarBindVisitor visitor, CancellationToken cancellationToken = default) =>
        VisitAsync(new WalkOperation(this, target, root, maxRepetitions: 0, netSnmp: false), visitor, cancellationToken);

    /// <summary>A GetNext walk that ends as snmpwalk's does (<see cref="IWalkVisitor"/>).</summary>
    public Task WalkAsync(SnmpTarget target, Oid root, IWalkVisitor visitor, CancellationToken cancellationToken = default) =>
        VisitAsync(new WalkOperation(this, target, root, maxRepetitions: 0, netSnmp: true), visitor, cancellationToken);

    /// <summary>
    /// Walks the subtree under <paramref name="root"/> with GetBulk (net-snmp's snmpbulkwalk with <c>-Cr</c>).
    /// Agents truncate a GetBulk reply as they please, so only the bindings that come back count. On tooBig, and on a
    /// timeout (some devices time out instead of answering tooBig), max-repetitions is halved; at one it walks on with
    /// GetNext. SNMPv1 has no GetBulk and walks with GetNext.
    /// </summary>
    public IAsyncEnumerable<VarBind> BulkWalkAsync(SnmpTarget target, Oid root, int maxRepetitions = 10, CancellationToken cancellationToken = default) =>
        EnumerateAsync(target, root, maxRepetitions, cancellationToken);

    /// <summary>
    /// <see cref="BulkWalkAsync(SnmpTarget, Oid, int, CancellationToken)"/>, each binding handed to
    /// <paramref name="visitor"/> in place: nothing is allocated per binding (the field tool prints them straight from the reply).
    /// </summary>
    public Task BulkWalkAsync(SnmpTarget target, Oid root, int maxRepetitions, IVarBindVisitor visitor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRepetitions, 1);
        return VisitAsync(new WalkOperation(this, target, root, maxRepetitions, netSnmp: false), visitor, cancellationToken);
    }

    /// <summary>A bulk walk that ends as snmpbulkwalk's does (<see cref="IWalkVisitor"/>), with this manager's halving on tooBig or silence.</summary>
    public Task BulkWalkAsync(SnmpTarget target, Oid root, int maxRepetitions, IWalkVisitor visitor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRepetitions, 1);
        return VisitAsync(new WalkOperation(this, target, root, maxRepetitions, netSnmp: true), visitor, cancellationToken);
    }

    private static async Task VisitAsync(WalkOperation walk, IVarBindVisitor visitor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        while (await walk.NextAsync(visitor, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>
    /// The enumerable form: each reply's bindings as objects, in order. Bindings read before an error in the same reply
    /// come out first, then the error, as they would binding by binding.
    /// </summary>
    private async IAsyncEnumerable<VarBind> EnumerateAsync(
        SnmpTarget target, Oid root, int maxRepetitions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRepetitions, 0);
        var walk = new WalkOperation(this, target, root, maxRepetitions, netSnmp: false);
        var batch = new Collector();
        bool more = true;
        while (more)
        {
            ExceptionDispatchInfo? failure = null;
            try
            {
                more = await walk.NextAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (batch.Bindings.Count > 0)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
                more = false;
            }

            foreach (VarBind binding in batch.Bindings)
            {
                yield return binding;
            }

            batch.Bindings.Clear();
            failure?.Throw();
        }
    }

    private sealed class Collector : IVarBindVisitor
    {
        public List<VarBind> Bindings { get; } = [];

        public void Visit(VarBindView binding) => Bindings.Add(binding.ToVarBind());
    }

    /// <summary>
    /// One walk: its requests, the rules for its replies and where it stands. Each <see cref="NextAsync"/> is one
    /// request and its reply. The OID to go on from is kept as arcs in a buffer of the walk, and each reply's bindings
    /// are read in place, so a walk allocates per request, never per binding.
    /// </summary>
    private sealed class WalkOperation
    {
        private readonly SnmpClient _client;
        private readonly SnmpTarget _target;
        private readonly Oid _root;
        private readonly bool _bulk;
        private readonly bool _netSnmp;
        private readonly uint[] _current = new uint[Oid.MaxLength];
        private readonly uint[] _arcs = new uint[Oid.MaxLength];
        private int _currentLength;
        private int _repetitions;
        private bool _oneByOne;
        private bool _any;
        private bool _ended;
        private SnmpErrorStatusException? _failure;

        /// <summary>
        /// A walk of <paramref name="root"/>'s subtree: with GetNext when <paramref name="maxRepetitions"/> is 0, else with
        /// GetBulk; ending as net-snmp's tools end theirs when <paramref name="netSnmp"/> (<see cref="IWalkVisitor"/>).
        /// </summary>
        public WalkOperation(SnmpClient client, SnmpTarget target, Oid root, int maxRepetitions, bool netSnmp)
        {
            ArgumentNullException.ThrowIfNull(target);
            ArgumentNullException.ThrowIfNull(root);
            ArgumentOutOfRangeException.ThrowIfZero(root.Length);
            _client = client;
            _target = target;
            _root = root;
            _netSnmp = netSnmp;
            _bulk = maxRepetitions > 0 && target.Version != SnmpVersion.V1; // SNMPv1 has no GetBulk: it walks with GetNext
            _repetitions = maxRepetitions;
            root.Arcs.CopyTo(_current);
            _currentLength = root.Length;
            if (_currentLength == 1)
            {
                // A name has two arcs at least (X.690): net-snmp asks for ".1" as ".1.0", and so do we.
                _current[_currentLength++] = 0;
            }
        }

        /// <summary>One request and its reply's bindings to <paramref name="visitor"/>; false once the walk has ended.</summary>
        public async Task<bool> NextAsync(IVarBindVisitor visitor, CancellationToken cancellationToken)
        {
            if (_ended)
            {
                return false;
            }

            if (_bulk ? await NextBulkAsync(visitor, cancellationToken).ConfigureAwait(false) : await NextGetNextAsync(visitor, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            _ended = true;
            if (!_any)
            {
                // An empty subtree: the root itself, when it is an instance (snmpwalk does the same).
                Pdu? response;
                try
                {
                    response = await _client.RequestAsync(_target, SnmpType.GetRequestPdu, [VarBind.Request(_root.Length > 1 ? _root : Current())], 0, 0,
                        _target.Retries, cancellationToken).ConfigureAwait(false);
                }
                catch (SnmpTimeoutException) when (_netSnmp)
                {
                    response = null; // snmpwalk prints nothing when this last Get goes unanswered
                }

                if (response is not null)
                {
                    VisitRoot(response, visitor);
                }
            }

            if (_failure is not null)
            {
                throw _failure;
            }

            return false;
        }

        /// <summary>
        /// A reply with an error-status other than the ones the walk's policy handles: an error, or in net-snmp's way the
        /// walk's end (noSuchName: "End of MIB"; anything else: the error once the root's Get is done). False: the walk ends.
        /// </summary>
        private bool EndOnError(Pdu response, IVarBindVisitor visitor)
        {
            if (!_netSnmp)
            {
                if (_target.Version == SnmpVersion.V1 && response.ErrorStatus == ErrorStatus.NoSuchName)
                {
                    return false; // v1's end of the MIB (RFC 1157 section 4.1.3)
                }

                ThrowIfError(response);
            }
            else if (response.ErrorStatus == ErrorStatus.NoSuchName)
            {
                ((IWalkVisitor)visitor).EndOfMib();
            }
            else
            {
                _failure = ErrorOf(response);
            }

            return false;
        }

        private async Task<bool> NextGetNextAsync(IVarBindVisitor visitor, CancellationToken cancellationToken)
        {
            Pdu response = await _client.RequestAsync(_target, SnmpType.GetNextRequestPdu, [VarBind.Request(Current())], 0, 0, _target.Retries, cancellationToken)
                .ConfigureAwait(false);
            if (response.ErrorStatus != ErrorStatus.NoError)
            {
                return EndOnError(response, visitor);
            }

            return Consume(response, firstOnly: true, "a GetNext", visitor);
        }

        private async Task<bool> NextBulkAsync(IVarBindVisitor visitor, CancellationToken cancellationToken)
        {
            Pdu response;
            try
            {
                // While the request can still shrink, one attempt per size: a timeout then means "too big" as often as "lost".
                response = _oneByOne
                    ? await _client.RequestAsync(_target, SnmpType.GetNextRequestPdu, [VarBind.Request(Current())], 0, 0, _target.Retries, cancellationToken)
                        .ConfigureAwait(false)
                    : await _client.RequestAsync(_target, SnmpType.GetBulkRequestPdu, [VarBind.Request(Current())], 0, _repetitions,
                        _repetitions > 1 ? 0 : _target.Retries, cancellationToken).ConfigureAwait(false);
            }
            catch (SnmpTimeoutException) when (_repetitions > 1)
            {
                _repetitions = Math.Max(1, _repetitions / 2);
                return true;
            }

            if (response.ErrorStatus == ErrorStatus.TooBig && !_oneByOne)
            {
                // Halve; below one repetition, walk on with GetNext.
                _oneByOne = _repetitions == 1;
                _repetitions = Math.Max(1, _repetitions / 2);
                return true;
            }

            if (response.ErrorStatus != ErrorStatus.NoError)
            {
                return EndOnError(response, visitor);
            }

            return Consume(response, firstOnly: false, "a GetBulk", visitor);
        }

        /// <summary>
        /// A reply's bindings, in place: the walk ends at endOfMibView or at the first OID outside the subtree; an OID
        /// not greater than the one before is an error. True while the walk goes on. In net-snmp's way an exception
        /// value inside the subtree is visited and ends the walk, and a GetBulk reply's bindings are all looked at, as
        /// snmpbulkwalk prints every one inside the subtree.
        /// </summary>
        private bool Consume(Pdu response, bool firstOnly, string request, IVarBindVisitor visitor)
        {
            VarBindReader reader = response.ReadVarBinds(_arcs);
            if (!reader.TryRead(out VarBindView binding))
            {
                throw new SnmpWalkException($"{_target.EndPoint} answered {request} with no binding");
            }

            bool more = true;
            do
            {
                bool inside = binding.Oid.StartsWith(_root.Arcs);
                if (_netSnmp && inside && binding.Value.IsException)
                {
                    _any = true;
                    visitor.Visit(binding);
                    more = false;
                    continue;
                }

                if (binding.Value.Type == SnmpType.EndOfMibView || !inside)
                {
                    if (!_netSnmp)
                    {
                        return false;
                    }

                    more = false;
                    continue;
                }

                ReadOnlySpan<uint> current = _current.AsSpan(0, _currentLength);
                if (binding.Oid.SequenceCompareTo(current) <= 0)
                {
                    throw new SnmpWalkException($"OID not increasing: {new Oid(current)} >= {new Oid(binding.Oid)} (from {_target.EndPoint})");
                }

                _any = true;
                binding.Oid.CopyTo(_current);
                _currentLength = binding.Oid.Length;
                visitor.Visit(binding);
            }
            while (!firstOnly && reader.TryRead(out binding));

            return more;
        }

        /// <summary>The reply to the root's Get: its one binding unless an exception value, or in net-snmp's way every binding.</summary>
        private void VisitRoot(Pdu response, IVarBindVisitor visitor)
        {
            if (response.ErrorStatus != ErrorStatus.NoError || (response.VarBindCount != 1 && !_netSnmp))
            {
                return;
            }

            VarBindReader reader = response.ReadVarBinds(_arcs);
            while (reader.TryRead(out VarBindView binding))
            {
                if (_netSnmp || !binding.Value.IsException)
                {
                    visitor.Visit(binding);
                }
            }
        }

        /// <summary>The OID to go on from, as the request's name: one object a request.</summary>
        private Oid Current() => new(_current.AsSpan(0, _currentLength));
    }
}
