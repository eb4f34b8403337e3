using Network.Snmp.Security;

namespace Network.Snmp;

/// <summary>
/// An SNMPv3 user of the User-based Security Model (RFC 3414): a name, and for authNoPriv and authPriv its
/// authentication protocol and pass phrase, for authPriv its privacy protocol and pass phrase.
/// Pass phrases are never printed by <see cref="ToString"/>.
/// </summary>
public sealed record UsmUser
{
    private UsmUser(string name, AuthProtocol auth, string authPassword, PrivProtocol priv, string privPassword)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CheckPassPhrase(auth != AuthProtocol.None, authPassword, "authentication");
        CheckPassPhrase(priv != PrivProtocol.None, privPassword, "privacy");
        Name = name;
        Auth = auth;
        AuthPassword = authPassword;
        Priv = priv;
        PrivPassword = privPassword;
    }

    public string Name { get; }

    public AuthProtocol Auth { get; }

    public string AuthPassword { get; }

    public PrivProtocol Priv { get; }

    public string PrivPassword { get; }

    public bool Authenticates => Auth != AuthProtocol.None;

    public bool Encrypts => Priv != PrivProtocol.None;

    public static UsmUser NoAuthNoPriv(string name) => new(name, AuthProtocol.None, "", PrivProtocol.None, "");

    public static UsmUser AuthNoPriv(string name, AuthProtocol auth, string authPassword) =>
        auth == AuthProtocol.None
            ? throw new ArgumentException("authNoPriv needs an authentication protocol", nameof(auth))
            : new(name, auth, authPassword, PrivProtocol.None, "");

    public static UsmUser AuthPriv(string name, AuthProtocol auth, string authPassword, PrivProtocol priv, string privPassword) =>
        auth == AuthProtocol.None || priv == PrivProtocol.None
            ? throw new ArgumentException("authPriv needs both an authentication and a privacy protocol")
            : new(name, auth, authPassword, priv, privPassword);

    private static void CheckPassPhrase(bool used, string passPhrase, string what)
    {
        if (used && (passPhrase is null || passPhrase.Length < UsmKeys.MinPasswordLength))
        {
            throw new ArgumentException($"the {what} pass phrase must have at least {UsmKeys.MinPasswordLength} characters (RFC 3414 section 11.2)");
        }
    }

    public override string ToString() => $"{Name} ({(Encrypts ? "authPriv" : Authenticates ? "authNoPriv" : "noAuthNoPriv")}, {Auth}/{Priv})";
}
