using System.Security.Claims;
using Bff.DevIdp.Mappers;
using Bff.DevIdp.Realms;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Finds again what an access token was issued for (user, client, session, scopes), so that userinfo and
/// introspection run the mappers for their own targets. A lightweight access token may carry no <c>sub</c>: its
/// session (<c>sid</c>) or, for a service account, its client (<c>azp</c>) names the user then.
/// </summary>
internal static class AccessTokenContext
{
    public static ClaimsRequest? Find(DevIdpState state, DevIdpRealm realm, ClaimsPrincipal principal)
    {
        var client = realm.FindClient(principal.GetClaim("azp") ?? principal.GetPresenters().FirstOrDefault());
        if (client is null)
        {
            return null;
        }

        var session = state.Sessions.Find(principal.GetClaim(DevIdpClaims.SessionId));
        var user = realm.FindUserById(principal.GetClaim(Claims.Subject))
            ?? realm.FindUserById(session?.UserId)
            ?? (session is null ? realm.FindServiceAccount(client.ClientId) : null);
        return user is { Enabled: true } ? new ClaimsRequest(realm, client, user, session, [.. principal.GetScopes()]) : null;
    }
}
