using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Network.Noc.Users;

/// <summary>The three roles of the NOC. An admin may do everything the others may.</summary>
public static class NocRoles
{
    public const string Engineer = "engineer";
    public const string Planner = "planner";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Engineer, Planner, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>The authorization policies every endpoint and hub method names.</summary>
public static class NocPolicies
{
    /// <summary>Anyone signed in with a role: engineer, planner or admin. Dashboards and reads.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Engineers and admins: acknowledge alarms, act on the network.</summary>
    public const string Engineer = "Engineer";

    /// <summary>Planners and admins: the rollout plan, the citizens' polls and their moderation.</summary>
    public const string Planner = "Planner";

    /// <summary>Admins: users, agents and their tokens.</summary>
    public const string Admin = "Admin";
}

/// <summary>A person who signs in to the NOC.</summary>
public sealed record NocUser(string Name, string Role);

/// <summary>The principal a signed-in user carries in the cookie.</summary>
public static class NocPrincipal
{
    public static ClaimsPrincipal Create(NocUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }
}
