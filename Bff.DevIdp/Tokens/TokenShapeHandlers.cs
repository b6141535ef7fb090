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
