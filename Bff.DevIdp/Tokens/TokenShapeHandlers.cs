using Bff.DevIdp.Endpoints;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Keycloak issues a refresh token on every user grant (client attribute <c>use.refresh.tokens</c>), not only
/// when <c>offline_access</c> was asked for as OpenIddict does.
/// </summary>
internal sealed class RefreshTokenIssuer : IOpenIddictServerHandler<ProcessSignInContext>
{
    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType == OpenIddictServerEndpointType.Token
            && context.Principal?.GetClaim(DevIdpClaims.IssueRefreshToken) == "true"
            && context.Request is { } request
            && (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType() || request.IsPasswordGrantType()))
        {
            context.GenerateRefreshToken = true;
            context.IncludeRefreshToken = true;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Keycloak's "typ" payload claim differs per token ("Bearer", "ID"); OpenIddict keeps one destination set per
/// claim type, so it is stamped on each token's own principal just before the tokens are generated.
/// </summary>
internal sealed class TokenTypeClaimStamper : IOpenIddictServerHandler<ProcessSignInContext>
{
    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        context.AccessTokenPrincipal?.SetClaim("typ", "Bearer");
        context.IdentityTokenPrincipal?.SetClaim("typ", "ID");
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Keycloak answers <c>expires_in</c> with the exact access token lifespan (the client's, else the realm's); OpenIddict counts down from
/// the moment it writes the response (a 5-second token would say 4).
/// </summary>
internal sealed class ExpiresInNormalizer : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Response.AccessToken is not null && context.Response.ExpiresIn is not null
            && context.Transaction.GetHttpRequest()?.HttpContext.FindRealm() is { } realm)
        {
            context.Response.ExpiresIn = (long)TokenLifetimes.AccessToken(realm, realm.FindClient(context.Request?.ClientId)).TotalSeconds;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The token endpoint's status codes where Keycloak's differ from OpenIddict's: a refused token exchange is 403
/// (<c>access_denied</c>), and Keycloak answers the exchange's audience and public-client refusals, which it words
/// as <c>invalid_client</c>, with 400 rather than the 401 of a failed client authentication.
/// </summary>
internal sealed class KeycloakErrorStatus : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Request?.GrantType != GrantTypes.TokenExchange || context.Transaction.GetHttpRequest()?.HttpContext.Response is not { } response)
        {
            return ValueTask.CompletedTask;
        }

        if (context.Response.Error == Errors.AccessDenied)
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else if (context.Response.Error == Errors.InvalidClient
            && context.Response.ErrorDescription is "Audience not found" or "Client disabled" or "Public client is not allowed to exchange token")
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return ValueTask.CompletedTask;
    }
}
