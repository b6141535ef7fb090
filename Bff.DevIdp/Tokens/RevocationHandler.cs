using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Revocation (RFC 7009) without a token store: revoking a refresh token kills its whole grant, revoking an
/// access token puts its id on a deny list until it expires.
/// </summary>
internal sealed class RevocationHandler(DevIdpState state) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        var principal = context.GenericTokenPrincipal;
        if (principal is null)
        {
            return ValueTask.CompletedTask;
        }

        if (principal.HasTokenType(TokenTypeIdentifiers.RefreshToken) && principal.GetClaim(DevIdpClaims.GrantId) is { } grantId)
        {
            state.Grants.RevokeFamily(grantId);
        }
        else if (principal.HasTokenType(TokenTypeIdentifiers.AccessToken) && principal.GetClaim(Claims.JwtId) is { } jti)
        {
            state.Grants.RevokeAccessToken(jti, principal.GetExpirationDate() ?? state.Now.AddHours(1));
        }

        // Note: RFC 7009 answers 200 whatever happened; the token store OpenIddict would update does not exist here.
        context.HandleRequest();
        return ValueTask.CompletedTask;
    }
}
