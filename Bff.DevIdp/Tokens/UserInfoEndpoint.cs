using Bff.DevIdp.Endpoints;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>Userinfo as Keycloak's default scopes and the client's mappers say: profile, email, groups; no roles.</summary>
internal static class UserInfoEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal!;
        var realm = context.GetRealm();
        var user = realm.FindUserById(principal.GetClaim(Claims.Subject));
        if (user is not { Enabled: true })
        {
            return Results.Json(new { error = Errors.InvalidToken, error_description = "User not found or disabled" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var client = realm.FindClient(principal.GetClaim("azp") ?? principal.GetPresenters().FirstOrDefault());
        var scopes = principal.GetScopes();
        var claims = new Dictionary<string, object> { [Claims.Subject] = user.Id };
        if (scopes.Contains(Scopes.Profile))
        {
            AddIfPresent(claims, Claims.PreferredUsername, user.Username);
            AddIfPresent(claims, Claims.GivenName, user.FirstName);
            AddIfPresent(claims, Claims.FamilyName, user.LastName);
            AddIfPresent(claims, Claims.Name, user.FullName);
        }

        if (scopes.Contains(Scopes.Email) && user.Email is not null)
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailVerified;
        }

        foreach (var mapper in client?.GroupMappers.Where(m => m.UserInfo) ?? [])
        {
            claims[mapper.ClaimName] = TokenPrincipalFactory.GroupValues(user, mapper);
        }

        return Results.Json(claims);
    }

    private static void AddIfPresent(Dictionary<string, object> claims, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            claims[type] = value;
        }
    }
}
