using System.Security.Claims;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Builds the principal OpenIddict turns into tokens: the subject, the session, the granted scopes and lifetimes.
/// The claims themselves come from the client's scopes and mappers (<see cref="MappedClaimsStamper"/> writes them
/// into each token just before OpenIddict signs it), so that access and ID tokens can differ claim by claim.
/// </summary>
internal static class TokenPrincipalFactory
{
    private static readonly string[] AccessAndId = [Destinations.AccessToken, Destinations.IdentityToken];

    /// <summary>The key under which the token endpoint leaves the request info for <see cref="MappedClaimsStamper"/>.</summary>
    public static readonly object HttpContextItemKey = typeof(TokenRequestInfo);

    public static ClaimsPrincipal Create(TokenRequestInfo info)
    {
        var (realm, client, user, session) = (info.Realm, info.Client, info.User, info.Session);
        var identity = new ClaimsIdentity("DevIdp", Claims.PreferredUsername, Claims.Role);

        identity.SetClaim(Claims.Subject, user.Id);
        identity.SetClaim(DevIdpClaims.Realm, realm.Name);
        if (info.GrantId is not null)
        {
            identity.SetClaim(DevIdpClaims.GrantId, info.GrantId);
            identity.SetClaim(DevIdpClaims.RefreshTokenId, info.RefreshTokenId);
            identity.SetClaim(DevIdpClaims.IssueRefreshToken, client.UseRefreshTokens ? "true" : "false");
        }

        // Keycloak writes azp and sid into every access and ID token, lightweight ones included, whatever the mappers.
        identity.AddClaim(new Claim("azp", client.ClientId).SetDestinations(AccessAndId));
        if (session is not null)
        {
            identity.AddClaim(new Claim(DevIdpClaims.SessionId, session.Id).SetDestinations(AccessAndId));
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(info.Scopes);
        principal.SetPresenters(client.ClientId);
        principal.SetAccessTokenLifetime(TokenLifetimes.AccessToken(realm, client));
        principal.SetIdentityTokenLifetime(TokenLifetimes.AccessToken(realm, client));
        if (session is not null)
        {
            principal.SetRefreshTokenLifetime(TokenLifetimes.RefreshToken(realm, client, session, info.Now));
        }

        return principal;
    }
}

/// <summary>What a token is issued for.</summary>
internal sealed record TokenRequestInfo(
    DevIdpRealm Realm,
    DevIdpClient Client,
    DevIdpUser User,
    SsoSession? Session,
    IReadOnlyList<string> Scopes,
    string? GrantId,
    string? RefreshTokenId,
    DateTimeOffset Now)
{
    /// <summary>The one audience an exchanged token is for, instead of the audience mappers'; null for every other grant.</summary>
    public string? Audience { get; init; }
}
