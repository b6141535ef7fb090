using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bff.DevIdp.Tokens;

/// <summary>
/// Builds the principal OpenIddict turns into tokens, shaped like Keycloak's default client scopes and the
/// client's protocol mappers: roles only in the access token, profile claims and mapped groups in both tokens.
/// </summary>
internal static class TokenPrincipalFactory
{
    private static readonly string[] AccessAndId = [Destinations.AccessToken, Destinations.IdentityToken];
    private static readonly string[] AccessOnly = [Destinations.AccessToken];
    private static readonly string[] IdOnly = [Destinations.IdentityToken];

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

        Add(identity, "azp", client.ClientId, AccessAndId);
        Add(identity, "acr", "1", AccessAndId);
        if (session is not null)
        {
            Add(identity, DevIdpClaims.SessionId, session.Id, AccessAndId);
            identity.AddClaim(new Claim(Claims.AuthenticationTime, session.Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64)
                .SetDestinations(AccessAndId));
        }

        if (info.Scopes.Contains(Scopes.Profile))
        {
            Add(identity, Claims.PreferredUsername, user.Username, AccessAndId);
            Add(identity, Claims.GivenName, user.FirstName, AccessAndId);
            Add(identity, Claims.FamilyName, user.LastName, AccessAndId);
            Add(identity, Claims.Name, user.FullName, AccessAndId);
        }

        if (info.Scopes.Contains(Scopes.Email) && user.Email is not null)
        {
            Add(identity, Claims.Email, user.Email, AccessAndId);
            identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean)
                .SetDestinations(AccessAndId));
        }

        var realmRoles = RealmRoles(realm, user);
        AddJson(identity, "realm_access", new { roles = realmRoles }, AccessOnly);
        var clientRoles = ClientRoles(user);
        if (clientRoles.Count > 0)
        {
            AddJson(identity, "resource_access", clientRoles.ToDictionary(p => p.Key, p => new { roles = p.Value }), AccessOnly);
        }

        foreach (var mapper in client.GroupMappers)
        {
            var destinations = (mapper.AccessToken ? AccessOnly : []).Concat(mapper.IdToken ? IdOnly : []).ToArray();
            if (destinations.Length > 0)
            {
                AddJson(identity, mapper.ClaimName, GroupValues(user, mapper), destinations);
            }
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(info.Scopes);
        principal.SetAudiences(Audiences(client, clientRoles.Keys));
        principal.SetPresenters(client.ClientId);
        principal.SetAccessTokenLifetime(realm.AccessTokenLifespan);
        principal.SetIdentityTokenLifetime(realm.AccessTokenLifespan);
        if (session is not null)
        {
            // Keycloak: a refresh token lives until the session would go idle, never past its max lifespan.
            var untilMax = realm.SsoSessionMaxLifespan - (info.Now - session.Created);
            principal.SetRefreshTokenLifetime(untilMax < realm.SsoSessionIdleTimeout ? untilMax : realm.SsoSessionIdleTimeout);
        }

        return principal;
    }

    /// <summary>The values the group mapper emits: full paths (<c>/staff/engineering</c>) or last segments.</summary>
    public static IReadOnlyList<string> GroupValues(DevIdpUser user, GroupMapper mapper) =>
        mapper.FullPath ? user.Groups : user.Groups.Select(g => g[(g.LastIndexOf('/') + 1)..]).ToList();

    /// <summary>Realm roles plus Keycloak's default composite role and what it contains.</summary>
    public static IReadOnlyList<string> RealmRoles(DevIdpRealm realm, DevIdpUser user) =>
        user.RealmRoles.Concat(["offline_access", "uma_authorization", $"default-roles-{realm.Name}"]).Distinct(StringComparer.Ordinal).ToList();

    private static Dictionary<string, IReadOnlyList<string>> ClientRoles(DevIdpUser user)
    {
        var roles = user.ClientRoles.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (user.ServiceAccountClientId is null)
        {
            // Keycloak's default roles give every user the account console's roles (and so "aud": "account").
            roles.TryAdd("account", ["manage-account", "manage-account-links", "view-profile"]);
        }

        return roles;
    }

    // Audience mappers, plus every other client whose roles are in the token (Keycloak's audience resolve).
    private static string[] Audiences(DevIdpClient client, IEnumerable<string> roleClients) =>
        client.AudienceMappers.Concat(roleClients.Where(c => c != client.ClientId)).Distinct(StringComparer.Ordinal).ToArray();

    private static void Add(ClaimsIdentity identity, string type, string? value, string[] destinations)
    {
        if (!string.IsNullOrEmpty(value))
        {
            identity.AddClaim(new Claim(type, value).SetDestinations(destinations));
        }
    }

    private static void AddJson(ClaimsIdentity identity, string type, object value, string[] destinations)
    {
        // Objects and arrays travel as JSON-typed claims, so a single group still serializes as an array.
        var element = JsonSerializer.SerializeToElement(value);
        var valueType = element.ValueKind == JsonValueKind.Array ? JsonClaimValueTypes.JsonArray : JsonClaimValueTypes.Json;
        identity.AddClaim(new Claim(type, element.GetRawText(), valueType).SetDestinations(destinations));
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
    DateTimeOffset Now);
