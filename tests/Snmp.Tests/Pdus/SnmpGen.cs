using CsCheck;
using Network.Snmp.Pdus;

namespace Network.Snmp.Tests.Pdus;

/// <summary>Generators for every value type, PDU and message kind, and a seeded, bounded driver.</summary>
internal static class SnmpGen
{
    public static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 40];

    /// <summary>Valid OIDs: first arc 0 or 1 with the second under 40, arc 2 with any second arc that fits, and realistic MIB-2 names.</summary>
    public static readonly Gen<Oid> Oid = Gen.OneOf(
        Gen.Select(Gen.UInt[0, 1], Gen.UInt[0, 39], Gen.UInt.Array[0, 12]).Select((x, y, rest) => new Oid([x, y, .. rest])),
        Gen.Select(Gen.UInt[0, uint.MaxValue - 80], Gen.UInt.Array[0, 6]).Select((y, rest) => new Oid([2, y, .. rest])),
        Gen.UInt[0, 300].Array[0, 10].Select(rest => new Oid([1, 3, 6, 1, 2, 1, .. rest])),
        Gen.UInt.Array[126].Select(rest => new Oid([1, 3, .. rest])));

    public static readonly Gen<SnmpValue> Value = Gen.OneOf(
        Gen.Int.Select(SnmpValue.Integer),
        Gen.OneOf(0, 1, -1, 127, 128, -128, -129, int.MaxValue, int.MinValue).Select(SnmpValue.Integer),
        Bytes.Select(b => SnmpValue.OctetString(b)),
        Gen.Byte.Array[0, 300].Select(b => SnmpValue.OctetString(b)),
        Gen.Const(SnmpValue.Null),
        Oid.Select(SnmpValue.ObjectIdentifier),
        Gen.Byte.Array[4].Select(b => SnmpValue.IpAddress(b)),
        Gen.UInt.Select(SnmpValue.Counter32),
        Gen.UInt.Select(SnmpValue.Gauge32),
        Gen.UInt.Select(SnmpValue.TimeTicks),
        Gen.UInt.Select(SnmpValue.UInteger32),
        Gen.OneOf(0u, 127u, 128u, 255u, 256u, 0x7FFFFFFFu, 0x80000000u, uint.MaxValue).Select(SnmpValue.Counter32),
        Bytes.Select(SnmpValue.Opaque),
        Bytes.Select(SnmpValue.NsapAddress),
        Gen.ULong.Select(SnmpValue.Counter64),
        Gen.OneOf(0UL, 0x7FFFFFFFFFFFFFFFUL, 0x8000000000000000UL, ulong.MaxValue).Select(SnmpValue.Counter64),
        Gen.OneOf(SnmpValue.NoSuchObject, SnmpValue.NoSuchInstance, SnmpValue.EndOfMibView));

    public static readonly Gen<VarBind> VarBind = Gen.Select(Oid, Value).Select((oid, value) => new VarBind(oid, value));

    public static readonly Gen<Pdu> Pdu = Gen.Select(
            Gen.OneOf(
                SnmpType.GetRequestPdu, SnmpType.GetNextRequestPdu, SnmpType.ResponsePdu, SnmpType.SetRequestPdu,
                SnmpType.GetBulkRequestPdu, SnmpType.InformRequestPdu, SnmpType.SnmpV2TrapPdu, SnmpType.ReportPdu),
            Gen.Int,
            Gen.OneOf(Gen.Int[0, 18], Gen.Int),
            Gen.OneOf(Gen.Int[0, 50], Gen.Int),
            VarBind.Array[0, 8])
        .Select((type, requestId, status, index, varBinds) => new Pdu(type, requestId, (ErrorStatus)status, index, varBinds));

    public static readonly Gen<TrapV1Pdu> TrapV1 = Gen.Select(Oid, Gen.Byte.Array[4], Gen.Int[0, 6], Gen.Int, Gen.UInt, VarBind.Array[0, 5])
        .Select((enterprise, address, generic, specific, time, varBinds) =>
            new TrapV1Pdu(enterprise, address, (GenericTrap)generic, specific, time, varBinds));

    public static readonly Gen<CommunityMessage> CommunityMessage = Gen.Select(
            Gen.OneOf(SnmpVersion.V1, SnmpVersion.V2c),
            Bytes,
            Gen.Frequency((4, Pdu.Select(p => (SnmpPdu)p)), (1, TrapV1.Select(p => (SnmpPdu)p))))
        .Select((version, community, pdu) => new CommunityMessage(version, community, pdu));

    public static readonly Gen<ScopedPdu> ScopedPdu = Gen.Select(Bytes, Bytes, Pdu)
        .Select((engineId, name, pdu) => new ScopedPdu(engineId, name, pdu));

    /// <summary>Authentication parameters of the lengths the USM uses: none, HMAC-96 (12) and the SHA-2 truncations of RFC 7860.</summary>
    public static readonly Gen<UsmSecurityParameters> Usm = Gen.Select(
            Gen.Byte.Array[0, 32],
            Gen.Int[0, int.MaxValue],
            Gen.Int[0, int.MaxValue],
            Gen.Byte.Array[0, 32],
            Gen.OneOf(0, 12, 16, 24, 32, 48).SelectMany(n => Gen.Byte.Array[n]),
            Gen.OneOf(0, 8).SelectMany(n => Gen.Byte.Array[n]))
        .Select((engineId, boots, time, user, auth, priv) => new UsmSecurityParameters(engineId, boots, time, user, auth, priv));

    public static readonly Gen<SnmpV3Message> V3Message = Gen.Select(
            Gen.Int[0, int.MaxValue],
            Gen.Int[484, int.MaxValue],
            Gen.Byte[0, 7],
            Gen.Frequency((5, Usm.Select(u => (UsmSecurityParameters?)u)), (1, Gen.Const((UsmSecurityParameters?)null))),
            Bytes,
            Gen.Bool,
            ScopedPdu,
            Gen.Byte.Array[0, 200])
        .Select((id, maxSize, flags, usm, raw, encrypted, plain, cipher) => new SnmpV3Message
        {
            MessageId = id,
            MaxSize = maxSize,
            Flags = (SnmpV3FlagBits)flags,
            SecurityModel = usm is null ? 4 : SnmpV3Message.UsmSecurityModel,
            Usm = usm,
            RawSecurityParameters = usm is null ? raw : default,
            ScopedPdu = encrypted ? null : plain,
            EncryptedPdu = encrypted ? cipher : default,
        });

    public static readonly Gen<SnmpMessage> Message = Gen.OneOf(
        CommunityMessage.Select(m => (SnmpMessage)m),
        V3Message.Select(m => (SnmpMessage)m));

    /// <summary>
    /// Runs <paramref name="property"/> on <paramref name="iterations"/> values drawn from a PCG seeded with
    /// <paramref name="seed"/>: the same values on every run and every machine.
    /// </summary>
    public static void ForAll<T>(Gen<T> gen, int iterations, ulong seed, Action<T> property)
    {
        var pcg = new PCG(1, seed);
        for (int i = 0; i < iterations; i++)
        {
            T value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"the property failed at iteration {i} of seed {seed} for {value}", e);
            }
        }
    }
}
