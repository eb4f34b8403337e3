using Network.Snmp.Pdus;

namespace Network.Snmp.Client;

/// <summary>Something went wrong talking to a device: the base of every error the manager raises.</summary>
public class SnmpClientException : Exception
{
    public SnmpClientException(string message)
        : base(message)
    {
    }

    public SnmpClientException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public SnmpClientException()
    {
    }
}

/// <summary>No answer after every retry (net-snmp: "Timeout: No Response from ...").</summary>
public sealed class SnmpTimeoutException : SnmpClientException
{
    public SnmpTimeoutException(string message)
        : base(message)
    {
    }

    public SnmpTimeoutException()
    {
    }

    public SnmpTimeoutException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>No answer to SNMPv3 engine discovery, before any request was sent (net-snmp then prints "snmpget: Timeout").</summary>
    public bool InDiscovery { get; init; }
}

/// <summary>The device answered with a non-zero error-status (RFC 3416 section 3).</summary>
public sealed class SnmpErrorStatusException : SnmpClientException
{
    public SnmpErrorStatusException(ErrorStatus status, int index, Oid? failedOid)
        : base($"the agent answered {status} (error-index {index}{(failedOid is null ? "" : ", " + failedOid)})")
    {
        Status = status;
        Index = index;
        FailedOid = failedOid;
    }

    public ErrorStatus Status { get; }

    public int Index { get; }

    public Oid? FailedOid { get; }
}

/// <summary>A walk got an OID that is not greater than the one before it (net-snmp: "OID not increasing").</summary>
public sealed class SnmpWalkException : SnmpClientException
{
    public SnmpWalkException(string message)
        : base(message)
    {
    }

    public SnmpWalkException()
    {
    }

    public SnmpWalkException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The reasons an SNMPv3 exchange fails, from the Report PDUs of RFC 3414 section 3.2 and our own checks.</summary>
public enum UsmError
{
    UnsupportedSecurityLevel,
    NotInTimeWindow,
    UnknownUserName,
    UnknownEngineId,
    WrongDigest,
    DecryptionError,
    /// <summary>The reply's own digest does not verify with our key: a wrong password or a forged reply.</summary>
    ReplyNotAuthentic,
    /// <summary>The reply could not be decrypted with our key.</summary>
    ReplyNotDecryptable,
}

/// <summary>An SNMPv3 security failure: wrong password or user, unknown engine, clock outside the window.</summary>
public sealed class SnmpSecurityException : SnmpClientException
{
    public SnmpSecurityException(UsmError error, string message)
        : base(message) => Error = error;

    public SnmpSecurityException()
    {
    }

    public SnmpSecurityException(string message)
        : base(message)
    {
    }

    public SnmpSecurityException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public UsmError Error { get; }
}
