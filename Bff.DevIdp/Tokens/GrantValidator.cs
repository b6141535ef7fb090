using Bff.DevIdp.Endpoints;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Runs after OpenIddict verified a token's signature, type and lifetime, and applies the state degraded mode
/// cannot know: a code works once, a rotated refresh token is dead, and nothing outlives its SSO session.
/// </summary>
internal sealed class GrantValidator(DevIdpState state, ILogger<GrantValidator> logger) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.Principal is not { } principal)
        {
            return ValueTask.CompletedTask;
        }

        var realm = context.Transaction.GetHttpRequest()!.HttpContext.GetRealm();
        var tokenRealm = principal.GetClaim(DevIdpClaims.Realm);
        var grantId = principal.GetClaim(DevIdpClaims.GrantId);
        var sessionId = principal.GetClaim(DevIdpClaims.SessionId);

        // The token endpoint answers invalid_grant; introspection and revocation turn invalid_token into
        // "active": false and 200.
        var grantError = context.EndpointType == OpenIddictServerEndpointType.Token ? Errors.InvalidGrant : Errors.InvalidToken;

        if (principal.HasTokenType(TokenTypeIdentifiers.Private.AuthorizationCode))
        {
            if (tokenRealm != realm.Name || grantId is null || !state.Grants.TryRedeemCode(grantId))
            {
                DevIdpLog.CodeReused(logger, realm.Name);
                context.Reject(grantError, "Code not valid");
                return ValueTask.CompletedTask;
            }

            if (!SessionAlive(realm, sessionId))
            {
                context.Reject(grantError, "Session not active");
            }

            return ValueTask.CompletedTask;
        }

        if (principal.HasTokenType(TokenTypeIdentifiers.RefreshToken))
        {
            if (tokenRealm != realm.Name || grantId is null || !SessionAlive(realm, sessionId))
            {
                context.Reject(grantError, "Session not active");
                return ValueTask.CompletedTask;
            }

            // Only a refresh_token grant uses the token up; introspection and revocation just look at it.
            var consume = context.EndpointType == OpenIddictServerEndpointType.Token && context.Request?.IsRefreshTokenGrantType() == true;
            var tokenId = principal.GetClaim(DevIdpClaims.RefreshTokenId) ?? string.Empty;
            if (!state.Grants.CheckRefreshToken(grantId, tokenId, realm.RevokeRefreshToken, consume))
            {
                if (consume && !state.Grants.IsFamilyRevoked(grantId))
                {
                    // A live grant's rotated-out token presented again: what a client that redeems
                    // one refresh token twice does, and what tests of refresh coordination count.
                    state.CountRefreshTokenReuse();
                }

                DevIdpLog.RefreshTokenReused(logger, realm.Name);
                context.Reject(grantError, "Stale token");
            }

            return ValueTask.CompletedTask;
        }

        if (principal.HasTokenType(TokenTypeIdentifiers.AccessToken))
        {
            // Keycloak's userinfo and introspection refuse access tokens whose session ended.
            // (OpenIddict already checked the issuer: a token of another realm fails there.)
            if (sessionId is not null && !SessionAlive(realm, sessionId))
            {
                context.Reject(Errors.InvalidToken, "Session not active");
            }
            else if (principal.GetClaim(Claims.JwtId) is { } jti && state.Grants.IsAccessTokenRevoked(jti))
            {
                context.Reject(Errors.InvalidToken, "Token revoked");
            }
        }

        return ValueTask.CompletedTask;
    }

    private bool SessionAlive(Realms.DevIdpRealm realm, string? sessionId) =>
        sessionId is null || state.Sessions.FindAlive(realm, sessionId, state.Now) is not null;
}
