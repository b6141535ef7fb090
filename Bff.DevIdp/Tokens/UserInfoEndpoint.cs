using Bff.DevIdp.Endpoints;
using Bff.DevIdp.Mappers;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Userinfo as Keycloak answers it: <c>sub</c> and the claims of the mappers marked for userinfo (by default
/// profile, email and mapped groups; no roles).
/// </summary>
internal static class UserInfoEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, DevIdpState state)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (AccessTokenContext.Find(state, context.GetRealm(), result.Principal!) is not { } request)
        {
            return Results.Json(new { error = Errors.InvalidToken, error_description = "User not found or disabled" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        return Results.Json(TokenClaimsBuilder.Build(request, ClaimTarget.UserInfo).Claims);
    }
}
