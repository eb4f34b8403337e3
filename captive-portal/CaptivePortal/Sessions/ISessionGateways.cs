using System.Net;
using Network.Radius.Server;

namespace Network.CaptivePortal.Sessions;

/// <summary>
/// What the session policy needs of the RADIUS server beside it: the idle timeout its Access-Accepts give (idle time is
/// charged up to it), and the gateways it may send a Disconnect-Request (RFC 5176) to. The RADIUS feature provides it
/// (<c>AddRadiusClients</c>), so the sessions feature does not depend on the RADIUS feature; the RADIUS handler depends on
/// the sessions feature (the store it records accounting in, the policy it asks).
/// </summary>
public interface ISessionGateways
{
    /// <summary>Seconds without traffic after which a gateway ends a session (the Idle-Timeout the server sends).</summary>
    int IdleTimeout { get; }

    /// <summary>The RADIUS client at <paramref name="nas"/> and where it takes Disconnect-Requests; null when it is no client.</summary>
    (RadiusClient Client, IPEndPoint DisconnectEndpoint)? Find(IPAddress nas);
}
