using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Network.Storage;

namespace Network.Noc.Users;

public static class UsersExtensions
{
    /// <summary>The paths that answer 401/403 instead of sending a browser to the login page.</summary>
    private static readonly string[] s_machinePaths = ["/api", "/hubs"];

    /// <summary>Users and roles: the store, cookie sign-in for people, and the policies every endpoint and hub names.</summary>
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        builder.AddUserStore();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "noc.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(NocPolicies.Viewer, policy => policy.RequireRole(NocRoles.Engineer, NocRoles.Planner, NocRoles.Admin))
            .AddPolicy(NocPolicies.Engineer, policy => policy.RequireRole(NocRoles.Engineer, NocRoles.Admin))
            .AddPolicy(NocPolicies.Planner, policy => policy.RequireRole(NocRoles.Planner, NocRoles.Admin))
            .AddPolicy(NocPolicies.Admin, policy => policy.RequireRole(NocRoles.Admin));
        return builder;
    }

    /// <summary>The users' table alone (the command line needs no cookies).</summary>
    public static IHostApplicationBuilder AddUserStore(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", UserService.Feature);
        builder.Services.AddSingleton<UserService>();
        return builder;
    }

    /// <summary><c>/api/v1/me</c> for everyone signed in; user management for admins.</summary>
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/me", (HttpContext context) =>
            TypedResults.Ok(new NocUser(context.User.Identity?.Name ?? "", context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "")))
            .RequireAuthorization(NocPolicies.Viewer);

        RouteGroupBuilder users = endpoints.MapGroup("/api/v1/users").RequireAuthorization(NocPolicies.Admin);
        users.MapGet("/", async (UserService service, CancellationToken cancellationToken) => TypedResults.Ok(await service.ListAsync(cancellationToken)));
        users.MapPost("/", async Task<Results<Created<NocUser>, ValidationProblem>> (NewUser request, UserService service, CancellationToken cancellationToken) =>
        {
            try
            {
                NocUser user = await service.AddAsync(request.Name ?? "", request.Role ?? "", request.Password ?? "", replace: false, cancellationToken);
                return TypedResults.Created($"/api/v1/users/{Uri.EscapeDataString(user.Name)}", user);
            }
            catch (UserException ex)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [ex.Message] });
            }
        });
        users.MapDelete("/{name}", async Task<Results<NoContent, NotFound>> (string name, UserService service, CancellationToken cancellationToken) =>
            await service.RemoveAsync(name, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound());
        return endpoints;
    }

    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        // A person signed in without the role gets 403 and the error page (there is no page to send them to instead).
        if (status == StatusCodes.Status403Forbidden || s_machinePaths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>The body of <c>POST /api/v1/users</c>.</summary>
    public sealed record NewUser(string? Name, string? Role, string? Password);
}
