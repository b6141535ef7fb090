using System.Text.Json;
using Bff.DevIdp.Logout;
using Bff.DevIdp.Realms;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bff.DevIdp.Admin;

/// <summary>
/// A small subset of Keycloak's admin REST API: find users, and end a user's sessions the way an administrator
/// does (which sends back-channel logouts). Callers need a bearer access token of the realm with the realm role
/// <c>admin</c> or the <c>realm-management</c> client role the operation needs.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/realms/{realm}");
        group.MapPost("/users/{id}/logout", LogoutUserAsync);
        group.MapGet("/users", FindUsersAsync);
    }

    private static async Task<IResult> LogoutUserAsync(
        string realm, string id, HttpContext context, DevIdpState state, SessionTerminator terminator, ILogger<DevIdpState> logger)
    {
        if (state.FindRealm(realm) is not { } found)
        {
            return Results.NotFound(new { error = "Realm not found." });
        }

        if (await AuthorizeAsync(context, state, found, "manage-users", logger) is { } refusal)
        {
            return refusal;
        }

        if (found.FindUserById(id) is null)
        {
            return Results.NotFound(new { error = "User not found" });
        }

        await terminator.EndAllForUserAsync(found, id, IssuerOf(context, found), "admin logout", context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> FindUsersAsync(
        string realm, string? username, HttpContext context, DevIdpState state, ILogger<DevIdpState> logger)
    {
        if (state.FindRealm(realm) is not { } found)
        {
            return Results.NotFound(new { error = "Realm not found." });
        }

        if (await AuthorizeAsync(context, state, found, "view-users", logger) is { } refusal)
        {
            return refusal;
        }

        var users = found.Users
            .Where(u => u.ServiceAccountClientId is null && !u.Deleted)
            .Where(u => username is null || u.Username.Contains(username, StringComparison.OrdinalIgnoreCase))
            .Select(u => new
            {
                id = u.Id, username = u.Username, enabled = u.Enabled, email = u.Email,
                emailVerified = u.EmailVerified, firstName = u.FirstName, lastName = u.LastName,
            });
        return Results.Ok(users);
    }

    private static string IssuerOf(HttpContext context, DevIdpRealm realm) =>
        $"{context.Request.Scheme}://{context.Request.Host.ToUriComponent()}/realms/{realm.Name}";

    private static async Task<IResult?> AuthorizeAsync(HttpContext context, DevIdpState state, DevIdpRealm realm, string role, ILogger logger)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            DevIdpLog.AdminRefused(logger, realm.Name, "no bearer token");
            return Results.Json(new { error = "HTTP 401 Unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..].Trim(), new TokenValidationParameters
        {
            ValidIssuer = IssuerOf(context, realm),
            ValidateAudience = false,
            IssuerSigningKey = state.SigningKey,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(5),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token
            || (token.TryGetPayloadValue<string>("sid", out var sid) && state.Sessions.FindAlive(realm, sid, state.Now) is null))
        {
            DevIdpLog.AdminRefused(logger, realm.Name, "invalid bearer token");
            return Results.Json(new { error = "HTTP 401 Unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!HasRole(token, "realm_access", "admin") && !HasClientRole(token, "realm-management", role)
            && !HasClientRole(token, "realm-management", "manage-users"))
        {
            DevIdpLog.AdminRefused(logger, realm.Name, "missing role");
            return Results.Json(new { error = "HTTP 403 Forbidden" }, statusCode: StatusCodes.Status403Forbidden);
        }

        return null;
    }

    private static bool HasRole(JsonWebToken token, string claim, string role) =>
        token.TryGetPayloadValue<JsonElement>(claim, out var access) && RolesContain(access, role);

    private static bool HasClientRole(JsonWebToken token, string client, string role) =>
        token.TryGetPayloadValue<JsonElement>("resource_access", out var access)
        && access.ValueKind == JsonValueKind.Object
        && access.TryGetProperty(client, out var clientAccess)
        && RolesContain(clientAccess, role);

    private static bool RolesContain(JsonElement access, string role) =>
        access.ValueKind == JsonValueKind.Object
        && access.TryGetProperty("roles", out var roles)
        && roles.ValueKind == JsonValueKind.Array
        && roles.EnumerateArray().Any(r => r.GetString() == role);
}
