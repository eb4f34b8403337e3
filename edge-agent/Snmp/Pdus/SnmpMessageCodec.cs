using System.Buffers;
using Network.Snmp.Ber;

namespace Network.Snmp.Pdus;

/// <summary>
/// The wire format of SNMP messages: v1 (RFC 1157), v2c (RFC 1901), v3 (RFC 3412 with the USM parameters of
/// RFC 3414). Pure span functions: no sockets, no security checks, no policy. Decoders throw
/// <see cref="SnmpDecodeException"/> and nothing else on any input; encoders throw <see cref="ArgumentException"/>
/// for values that have no encoding (an OID of one arc).
/// </summary>
public static class SnmpMessageCodec
{
    private const int CachedWriterMaxCapacity = 64 * 1024;

    [ThreadStatic]
    private static BerWriter? s_cachedWriter;

    /// <summary>Decodes one whole message; bytes after it are an error.</summary>
    public static SnmpMessage Decode(ReadOnlySpan<byte> message, SnmpDecodeLimits? limits = null) => Decode(message, default, limits);

    /// <summary>
    /// Decodes one whole message, as <see cref="Decode(ReadOnlySpan{byte}, SnmpDecodeLimits?)"/> does and with the same
    /// checks, but the variable bindings stay encoded in <paramref name="message"/> until they are read
    /// (<see cref="SnmpPdu.VarBinds"/>, or in place with <see cref="SnmpPdu.ReadVarBinds"/>): the message refers to
    /// that memory, which must not change while the message is in use.
    /// </summary>
    public static SnmpMessage Decode(ReadOnlyMemory<byte> message, SnmpDecodeLimits? limits = null) => Decode(message.Span, message, limits);

    /// <summary>The decoder; with a <paramref name="source"/> (the same bytes as memory) the bindings are kept encoded.</summary>
    private static SnmpMessage Decode(ReadOnlySpan<byte> message, ReadOnlyMemory<byte> source, SnmpDecodeLimits? limits)
    {
        limits ??= SnmpDecodeLimits.Default;
        if (message.Length > limits.MaxMessageSize)
        {
            throw new SnmpDecodeException($"a message of {message.Length} bytes (the limit is {limits.MaxMessageSize})", 0);
        }

        var reader = new BerReader(message, limits.MaxDepth);
        BerReader body = reader.ReadSequence();
        reader.ThrowIfNotEnd("the message");

        int versionAt = body.Offset;
        int version = body.ReadInteger32();
        SnmpMessage result = version switch
        {
            0 or 1 => ReadCommunityMessage(ref body, (SnmpVersion)version, limits, source),
            3 => ReadV3Message(ref body, limits, source),
            _ => throw new SnmpDecodeException($"version {version} is none of 0 (v1), 1 (v2c) and 3", versionAt),
        };
        body.ThrowIfNotEnd("the message's last field");
        return result;
    }

    /// <summary>Encodes a message into a new array.</summary>
    public static byte[] Encode(SnmpMessage message) => Encode(message, out _);

    /// <summary>
    /// Encodes a message into a new array; for an SNMPv3 message with USM parameters
    /// <paramref name="authenticationParametersOffset"/> is where the content of msgAuthenticationParameters
    /// starts (write a zero placeholder of the digest's length, HMAC the whole array, copy the digest there), else -1.
    /// </summary>
    public static byte[] Encode(SnmpMessage message, out int authenticationParametersOffset)
    {
        BerWriter writer = RentWriter();
        Write(writer, message, out authenticationParametersOffset);
        byte[] result = writer.ToArray();
        ReturnWriter(writer);
        return result;
    }

    /// <summary>Encodes a message into <paramref name="destination"/> and returns how many bytes it took.</summary>
    public static int Encode(SnmpMessage message, IBufferWriter<byte> destination, out int authenticationParametersOffset)
    {
        BerWriter writer = RentWriter();
        Write(writer, message, out authenticationParametersOffset);
        writer.CopyTo(destination);
        int length = writer.Length;
        ReturnWriter(writer);
        return length;
    }

    /// <summary>Encodes a message at the end of <paramref name="writer"/>; the offset is counted in the writer.</summary>
    public static void Write(BerWriter writer, SnmpMessage message, out int authenticationParametersOffset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        authenticationParametersOffset = -1;
        switch (message)
        {
            case CommunityMessage community:
                writer.Push(SnmpType.Sequence);
                writer.WriteInteger((int)community.Version);
                writer.WriteOctetString(community.Community.Span);
                WritePdu(writer, community.Pdu);
                writer.Pop();
                break;
            case SnmpV3Message v3:
                WriteV3Message(writer, v3, out authenticationParametersOffset);
                break;
            default:
                throw new ArgumentException($"{message.GetType()} is not a message type this codec knows", nameof(message));
        }
    }

    /// <summary>Decodes a ScopedPDU that must fill <paramref name="data"/> exactly.</summary>
    public static ScopedPdu DecodeScopedPdu(ReadOnlySpan<byte> data, SnmpDecodeLimits? limits = null)
    {
        var reader = new BerReader(data, (limits ?? SnmpDecodeLimits.Default).MaxDepth);
        ScopedPdu scopedPdu = ReadScopedPdu(ref reader, limits ?? SnmpDecodeLimits.Default);
        reader.ThrowIfNotEnd("the ScopedPDU");
        return scopedPdu;
    }

    /// <summary>
    /// Decodes a ScopedPDU at the start of <paramref name="data"/> and ignores what follows it: the padding a
    /// block cipher leaves after decryption (RFC 3414 section 8.1.1.3, DES-CBC pads to eight octets).
    /// </summary>
    public static ScopedPdu DecodeScopedPdu(ReadOnlySpan<byte> data, SnmpDecodeLimits? limits, out int bytesConsumed)
    {
        var reader = new BerReader(data, (limits ?? SnmpDecodeLimits.Default).MaxDepth);
        ScopedPdu scopedPdu = ReadScopedPdu(ref reader, limits ?? SnmpDecodeLimits.Default);
        bytesConsumed = reader.Offset;
        return scopedPdu;
    }

    /// <summary>
    /// <see cref="DecodeScopedPdu(ReadOnlySpan{byte}, SnmpDecodeLimits?, out int)"/> with the bindings kept encoded in
    /// <paramref name="data"/> (see <see cref="Decode(ReadOnlyMemory{byte}, SnmpDecodeLimits?)"/>).
    /// </summary>
    public static ScopedPdu DecodeScopedPdu(ReadOnlyMemory<byte> data, SnmpDecodeLimits? limits, out int bytesConsumed)
    {
        var reader = new BerReader(data.Span, (limits ?? SnmpDecodeLimits.Default).MaxDepth);
        ScopedPdu scopedPdu = ReadScopedPdu(ref reader, limits ?? SnmpDecodeLimits.Default, data);
        bytesConsumed = reader.Offset;
        return scopedPdu;
    }

    /// <summary>Encodes a ScopedPDU alone: the plaintext the USM encrypts.</summary>
    public static byte[] EncodeScopedPdu(ScopedPdu scopedPdu)
    {
        BerWriter writer = RentWriter();
        WriteScopedPdu(writer, scopedPdu);
        byte[] result = writer.ToArray();
        ReturnWriter(writer);
        return result;
    }

    /// <summary>Decodes one PDU (any of RFC 3416 section 3 or the v1 Trap-PDU) that fills <paramref name="data"/>.</summary>
    public static SnmpPdu DecodePdu(ReadOnlySpan<byte> data, SnmpDecodeLimits? limits = null)
    {
        limits ??= SnmpDecodeLimits.Default;
        var reader = new BerReader(data, limits.MaxDepth);
        SnmpPdu pdu = ReadPdu(ref reader, limits);
        reader.ThrowIfNotEnd("the PDU");
        return pdu;
    }

    public static byte[] EncodePdu(SnmpPdu pdu)
    {
        BerWriter writer = RentWriter();
        WritePdu(writer, pdu);
        byte[] result = writer.ToArray();
        ReturnWriter(writer);
        return result;
    }

    /// <summary>
    /// Reads a PDU: RFC 3416 section 3, or the Trap-PDU of RFC 1157 section 4.1.6 for tag 0xA4.
    /// <code>
    /// PDU ::= SEQUENCE {
    ///     request-id        INTEGER (-214783648..214783647),
    ///     error-status      INTEGER { noError(0), ... inconsistentName(18) },
    ///     error-index       INTEGER (0..max-bindings),
    ///     variable-bindings VarBindList }
    ///
    /// BulkPDU ::= SEQUENCE {            -- must be identical in structure to PDU
    ///     request-id        INTEGER (-214783648..214783647),
    ///     non-repeaters     INTEGER (0..max-bindings),
    ///     max-repetitions   INTEGER (0..max-bindings),
    ///     variable-bindings VarBindList }
    /// </code>
    /// The numbers are kept as sent: range checks belong to the responder (RFC 3416 section 4.2.3 clamps them).
    /// </summary>
    public static SnmpPdu ReadPdu(ref BerReader reader, SnmpDecodeLimits limits) => ReadPdu(ref reader, limits, default);

    /// <summary><see cref="ReadPdu(ref BerReader, SnmpDecodeLimits)"/>; with a <paramref name="source"/> the bindings stay encoded.</summary>
    private static SnmpPdu ReadPdu(ref BerReader reader, SnmpDecodeLimits limits, ReadOnlyMemory<byte> source)
    {
        ArgumentNullException.ThrowIfNull(limits);
        int at = reader.Offset;
        byte tag = reader.PeekTag();
        if (tag == (byte)SnmpType.TrapV1Pdu)
        {
            BerReader trap = reader.ReadNested(SnmpType.TrapV1Pdu);
            return ReadTrapV1Body(ref trap, limits);
        }

        if (tag is < (byte)SnmpType.GetRequestPdu or > (byte)SnmpType.ReportPdu)
        {
            throw new SnmpDecodeException($"tag 0x{tag:X2} is not a PDU (0xA0 to 0xA8, RFC 3416 section 3)", at);
        }

        BerReader body = reader.ReadNested(out _);
        int requestId = body.ReadInteger32();
        int errorStatus = body.ReadInteger32();
        int errorIndex = body.ReadInteger32();
        if (!source.IsEmpty)
        {
            int count = CheckVarBindList(ref body, limits, out int listStart, out int listLength);
            body.ThrowIfNotEnd("variable-bindings");
            return new Pdu((SnmpType)tag, requestId, (ErrorStatus)errorStatus, errorIndex, source.Slice(listStart, listLength), count);
        }

        VarBind[] varBinds = ReadVarBindList(ref body, limits);
        body.ThrowIfNotEnd("variable-bindings");
        return new Pdu((SnmpType)tag, requestId, (ErrorStatus)errorStatus, errorIndex, varBinds);
    }

    /// <summary>Writes a <see cref="Pdu"/> or a <see cref="TrapV1Pdu"/>.</summary>
    public static void WritePdu(BerWriter writer, SnmpPdu pdu)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(pdu);
        switch (pdu)
        {
            case Pdu p:
                writer.Push(p.Type);
                writer.WriteInteger(p.RequestId);
                writer.WriteInteger((int)p.ErrorStatus);
                writer.WriteInteger(p.ErrorIndex);
                WriteVarBindList(writer, p.VarBinds);
                writer.Pop();
                break;
            case TrapV1Pdu trap:
                writer.Push(SnmpType.TrapV1Pdu);
                writer.WriteOid(trap.Enterprise);
                writer.WriteOctetString(trap.AgentAddress.Span, SnmpType.IpAddress);
                writer.WriteInteger((int)trap.GenericTrap);
                writer.WriteInteger(trap.SpecificTrap);
                writer.WriteUnsigned(trap.TimeStamp, SnmpType.TimeTicks);
                WriteVarBindList(writer, trap.VarBinds);
                writer.Pop();
                break;
            default:
                throw new ArgumentException($"{pdu.GetType()} is not a PDU type this codec knows", nameof(pdu));
        }
    }

    /// <summary>
    /// <code>
    /// ScopedPDU ::= SEQUENCE {          -- RFC 3412 section 6.8
    ///     contextEngineID  OCTET STRING,
    ///     contextName      OCTET STRING,
    ///     data             ANY -- e.g., PDUs as defined in [RFC3416]
    /// }
    /// </code>
    /// The Trap-PDU of SNMPv1 has no place in a ScopedPDU and is rejected.
    /// </summary>
    public static ScopedPdu ReadScopedPdu(ref BerReader reader, SnmpDecodeLimits limits) => ReadScopedPdu(ref reader, limits, default);

    private static ScopedPdu ReadScopedPdu(ref BerReader reader, SnmpDecodeLimits limits, ReadOnlyMemory<byte> source)
    {
        ArgumentNullException.ThrowIfNull(limits);
        BerReader body = reader.ReadSequence();
        byte[] contextEngineId = body.ReadOctetString().ToArray();
        byte[] contextName = body.ReadOctetString().ToArray();
        int pduAt = body.Offset;
        if (ReadPdu(ref body, limits, source) is not Pdu pdu)
        {
            throw new SnmpDecodeException("an SNMPv1 Trap-PDU inside a ScopedPDU (RFC 3412 section 6.8)", pduAt);
        }

        body.ThrowIfNotEnd("the ScopedPDU's data");
        return new ScopedPdu(contextEngineId, contextName, pdu);
    }

    public static void WriteScopedPdu(BerWriter writer, ScopedPdu scopedPdu)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scopedPdu);
        writer.Push(SnmpType.Sequence);
        writer.WriteOctetString(scopedPdu.ContextEngineId.Span);
        writer.WriteOctetString(scopedPdu.ContextName.Span);
        WritePdu(writer, scopedPdu.Pdu);
        writer.Pop();
    }

    /// <summary>
    /// RFC 1157 section 4.1 (v1) and RFC 1901 section 3 (v2c), after the version:
    /// <code>
    /// Message ::= SEQUENCE {
    ///     version   INTEGER { version-1(0) },   -- version(1) for SNMPv2c
    ///     community OCTET STRING,
    ///     data      ANY }                       -- a PDU
    /// </code>
    /// A GetBulk in a v1 message or a Trap-PDU in a v2c one is decoded all the same; refusing them is policy.
    /// </summary>
    private static CommunityMessage ReadCommunityMessage(ref BerReader body, SnmpVersion version, SnmpDecodeLimits limits, ReadOnlyMemory<byte> source)
    {
        byte[] community = body.ReadOctetString().ToArray();
        SnmpPdu pdu = ReadPdu(ref body, limits, source);
        return new CommunityMessage(version, community, pdu);
    }

    /// <summary>
    /// RFC 3412 section 6, after msgVersion:
    /// <code>
    /// SNMPv3Message ::= SEQUENCE {
    ///     msgVersion INTEGER ( 0 .. 2147483647 ),        -- 6.1
    ///     msgGlobalData HeaderData,
    ///     msgSecurityParameters OCTET STRING,            -- 6.6
    ///     msgData  ScopedPduData }                       -- 6.7
    ///
    /// HeaderData ::= SEQUENCE {
    ///     msgID      INTEGER (0..2147483647),            -- 6.2
    ///     msgMaxSize INTEGER (484..2147483647),          -- 6.3
    ///     msgFlags   OCTET STRING (SIZE(1)),             -- 6.4
    ///     msgSecurityModel INTEGER (1..2147483647) }     -- 6.5
    ///
    /// ScopedPduData ::= CHOICE {
    ///     plaintext    ScopedPDU,
    ///     encryptedPDU OCTET STRING }                    -- 6.7, chosen by tag
    /// </code>
    /// Which msgData form is present is read from the tag; whether it agrees with the priv flag is for the USM.
    /// </summary>
    private static SnmpV3Message ReadV3Message(ref BerReader body, SnmpDecodeLimits limits, ReadOnlyMemory<byte> source)
    {
        BerReader header = body.ReadSequence();
        int messageId = header.ReadInteger32();
        int maxSize = header.ReadInteger32();
        int flagsAt = header.Offset;
        ReadOnlySpan<byte> flags = header.ReadOctetString();
        if (flags.Length != 1)
        {
            throw new SnmpDecodeException($"msgFlags of {flags.Length} octets (RFC 3412 section 6.4: SIZE(1))", flagsAt);
        }

        int securityModel = header.ReadInteger32();
        header.ThrowIfNotEnd("msgSecurityModel");

        UsmSecurityParameters? usm = null;
        byte[] rawSecurityParameters = [];
        int authenticationParametersOffset = -1;
        if (securityModel == SnmpV3Message.UsmSecurityModel)
        {
            BerReader encapsulated = body.ReadNested(SnmpType.OctetString);
            usm = ReadUsmSecurityParameters(ref encapsulated, out authenticationParametersOffset);
            encapsulated.ThrowIfNotEnd("UsmSecurityParameters");
        }
        else
        {
            rawSecurityParameters = body.ReadOctetString().ToArray();
        }

        ScopedPdu? scopedPdu = null;
        byte[] encryptedPdu = [];
        int dataAt = body.Offset;
        switch ((SnmpType)body.PeekTag())
        {
            case SnmpType.Sequence:
                scopedPdu = ReadScopedPdu(ref body, limits, source);
                break;
            case SnmpType.OctetString:
                encryptedPdu = body.ReadOctetString().ToArray();
                break;
            default:
                throw new SnmpDecodeException("msgData is neither a ScopedPDU nor an encryptedPDU (RFC 3412 section 6.7)", dataAt);
        }

        return new SnmpV3Message
        {
            MessageId = messageId,
            MaxSize = maxSize,
            Flags = (SnmpV3FlagBits)flags[0],
            SecurityModel = securityModel,
            Usm = usm,
            RawSecurityParameters = rawSecurityParameters,
            ScopedPdu = scopedPdu,
            EncryptedPdu = encryptedPdu,
            AuthenticationParametersOffset = authenticationParametersOffset,
        };
    }

    /// <summary>
    /// RFC 3414 section 2.4, the content of msgSecurityParameters:
    /// <code>
    /// UsmSecurityParameters ::= SEQUENCE {
    ///     msgAuthoritativeEngineID     OCTET STRING,
    ///     msgAuthoritativeEngineBoots  INTEGER (0..2147483647),
    ///     msgAuthoritativeEngineTime   INTEGER (0..2147483647),
    ///     msgUserName                  OCTET STRING (SIZE(0..32)),
    ///     msgAuthenticationParameters  OCTET STRING,
    ///     msgPrivacyParameters         OCTET STRING }
    /// </code>
    /// </summary>
    private static UsmSecurityParameters ReadUsmSecurityParameters(ref BerReader encapsulated, out int authenticationParametersOffset)
    {
        BerReader usm = encapsulated.ReadSequence();
        byte[] engineId = usm.ReadOctetString().ToArray();
        int engineBoots = usm.ReadInteger32();
        int engineTime = usm.ReadInteger32();
        byte[] userName = usm.ReadOctetString().ToArray();
        byte[] authenticationParameters = usm.ReadPrimitive(SnmpType.OctetString, out authenticationParametersOffset).ToArray();
        byte[] privacyParameters = usm.ReadOctetString().ToArray();
        usm.ThrowIfNotEnd("msgPrivacyParameters");
        return new UsmSecurityParameters(engineId, engineBoots, engineTime, userName, authenticationParameters, privacyParameters);
    }

    private static void WriteV3Message(BerWriter writer, SnmpV3Message message, out int authenticationParametersOffset)
    {
        authenticationParametersOffset = -1;
        writer.Push(SnmpType.Sequence);
        writer.WriteInteger((int)SnmpVersion.V3);

        writer.Push(SnmpType.Sequence);
        writer.WriteInteger(message.MessageId);
        writer.WriteInteger(message.MaxSize);
        writer.WriteOctetString([(byte)message.Flags]);
        writer.WriteInteger(message.SecurityModel);
        writer.Pop();

        int bookmark = -1;
        if (message.Usm is { } usm)
        {
            writer.Push(SnmpType.OctetString);
            writer.Push(SnmpType.Sequence);
            writer.WriteOctetString(usm.AuthoritativeEngineId.Span);
            writer.WriteInteger(usm.AuthoritativeEngineBoots);
            writer.WriteInteger(usm.AuthoritativeEngineTime);
            writer.WriteOctetString(usm.UserName.Span);
            writer.WriteHeader(SnmpType.OctetString, usm.AuthenticationParameters.Length);
            bookmark = writer.AddBookmark();
            writer.WriteRaw(usm.AuthenticationParameters.Span);
            writer.WriteOctetString(usm.PrivacyParameters.Span);
            writer.Pop();
            writer.Pop();
        }
        else
        {
            writer.WriteOctetString(message.RawSecurityParameters.Span);
        }

        if (message.ScopedPdu is { } scopedPdu)
        {
            WriteScopedPdu(writer, scopedPdu);
        }
        else
        {
            writer.WriteOctetString(message.EncryptedPdu.Span);
        }

        writer.Pop();
        if (bookmark >= 0)
        {
            authenticationParametersOffset = writer.GetBookmark(bookmark);
        }
    }

    /// <summary>
    /// <code>
    /// VarBindList ::= SEQUENCE (SIZE (0..max-bindings)) OF VarBind     -- RFC 3416 section 3
    /// VarBind ::= SEQUENCE { name ObjectName, CHOICE { value ObjectSyntax, ... } }
    /// </code>
    /// Counts the bindings first (headers only) so the array is allocated once, at its size.
    /// </summary>
    private static VarBind[] ReadVarBindList(ref BerReader pdu, SnmpDecodeLimits limits)
    {
        int listAt = pdu.Offset;
        BerReader list = pdu.ReadSequence();
        BerReader scan = list;
        int count = 0;
        while (scan.HasData)
        {
            if (count == limits.MaxVarBinds)
            {
                throw new SnmpDecodeException($"more than {limits.MaxVarBinds} variable bindings", listAt);
            }

            scan.Skip();
            count++;
        }

        if (count == 0)
        {
            return [];
        }

        var varBinds = new VarBind[count];
        for (int i = 0; i < varBinds.Length; i++)
        {
            BerReader varBind = list.ReadSequence();
            Oid name = varBind.ReadOid();
            SnmpValue value = varBind.ReadValue();
            varBind.ThrowIfNotEnd("a variable binding's value");
            varBinds[i] = new VarBind(name, value);
        }

        return varBinds;
    }

    /// <summary>
    /// The checks of <see cref="ReadVarBindList"/>, binding by binding in place (<see cref="VarBindReader"/>'s reads),
    /// with nothing allocated: the list's content is then kept encoded. Returns the binding count.
    /// </summary>
    private static int CheckVarBindList(ref BerReader pdu, SnmpDecodeLimits limits, out int contentStart, out int contentLength)
    {
        int listAt = pdu.Offset;
        BerReader list = pdu.ReadSequence();
        contentStart = list.Offset;
        contentLength = pdu.Offset - contentStart;
        Span<uint> arcs = stackalloc uint[Oid.MaxLength];
        int count = 0;
        while (list.HasData)
        {
            if (count == limits.MaxVarBinds)
            {
                throw new SnmpDecodeException($"more than {limits.MaxVarBinds} variable bindings", listAt);
            }

            BerReader varBind = list.ReadSequence();
            varBind.ReadOid(arcs);
            varBind.ReadValueView();
            varBind.ThrowIfNotEnd("a variable binding's value");
            count++;
        }

        return count;
    }

    /// <summary>The content of a VarBindList (after its SEQUENCE header), as <see cref="SnmpPdu.ReadVarBinds"/> reads it.</summary>
    internal static byte[] EncodeVarBindListContent(IReadOnlyList<VarBind> varBinds)
    {
        BerWriter writer = RentWriter();
        WriteVarBindList(writer, varBinds);
        byte[] encoded = writer.ToArray();
        ReturnWriter(writer);
        var reader = new BerReader(encoded);
        reader.ReadTlv(out _, out int contentOffset);
        return encoded[contentOffset..];
    }

    /// <summary>The octets one variable binding takes in a VarBindList (its SEQUENCE, the name and the value).</summary>
    /// <exception cref="ArgumentException">The binding has no encoding (an OID of one arc).</exception>
    internal static int EncodedLength(in VarBind varBind)
    {
        BerWriter writer = RentWriter();
        WriteVarBind(writer, varBind);
        int length = writer.Length;
        ReturnWriter(writer);
        return length;
    }

    private static void WriteVarBindList(BerWriter writer, IReadOnlyList<VarBind> varBinds)
    {
        writer.Push(SnmpType.Sequence);
        for (int i = 0; i < varBinds.Count; i++)
        {
            WriteVarBind(writer, varBinds[i]);
        }

        writer.Pop();
    }

    private static void WriteVarBind(BerWriter writer, in VarBind varBind)
    {
        writer.Push(SnmpType.Sequence);
        writer.WriteOid(varBind.Oid);
        writer.WriteValue(varBind.Value);
        writer.Pop();
    }

    /// <summary>
    /// RFC 1157 section 4.1.6, after the [4] IMPLICIT tag:
    /// <code>
    /// Trap-PDU ::= [4] IMPLICIT SEQUENCE {
    ///     enterprise        OBJECT IDENTIFIER,
    ///     agent-addr        NetworkAddress,         -- CHOICE { internet IpAddress }
    ///     generic-trap      INTEGER { coldStart(0), ... enterpriseSpecific(6) },
    ///     specific-trap     INTEGER,
    ///     time-stamp        TimeTicks,
    ///     variable-bindings VarBindList }
    /// </code>
    /// </summary>
    private static TrapV1Pdu ReadTrapV1Body(ref BerReader trap, SnmpDecodeLimits limits)
    {
        Oid enterprise = trap.ReadOid();
        byte[] agentAddress = trap.ReadOctetString(SnmpType.IpAddress).ToArray();
        int genericTrap = trap.ReadInteger32();
        int specificTrap = trap.ReadInteger32();
        uint timeStamp = trap.ReadUnsigned32(SnmpType.TimeTicks);
        VarBind[] varBinds = ReadVarBindList(ref trap, limits);
        trap.ThrowIfNotEnd("variable-bindings");
        return new TrapV1Pdu(enterprise, agentAddress, (GenericTrap)genericTrap, specificTrap, timeStamp, varBinds);
    }

    private static BerWriter RentWriter()
    {
        BerWriter writer = s_cachedWriter ?? new BerWriter(1024);
        s_cachedWriter = null;
        writer.Reset();
        return writer;
    }

    private static void ReturnWriter(BerWriter writer)
    {
        if (writer.Capacity <= CachedWriterMaxCapacity)
        {
            s_cachedWriter = writer;
        }
    }
}
