using System.Security.Claims;
using System.Text.Json;

namespace Bff.Claims;

/// <summary>
/// Reads Keycloak's roles and groups from a token payload and turns them into ASP.NET role claims
/// and <c>groups</c> claims.
/// Used for cookie logins (the access token from the token endpoint) and for bearer-token API calls.
/// Replace it (register your own before <c>AddBff</c>) to map another provider's claims.
/// </summary>
public interface IKeycloakClaimsMapper
{
    /// <summary>
    /// Reads <c>realm_access.roles</c>, <c>resource_access.&lt;clientId&gt;.roles</c> and <c>groups</c>
    /// from a JWT payload. Missing or malformed parts yield no roles, never an exception.
    /// </summary>
    /// <param name="tokenPayload">The decoded JSON payload of a validated or trusted token.</param>
    /// <param name="clientId">The client whose <c>resource_access</c> roles count.</param>
    KeycloakAuthorization Read(JsonElement tokenPayload, string clientId);

    /// <summary>
    /// Adds a <c>role</c> claim (of the identity's <see cref="ClaimsIdentity.RoleClaimType"/>) for every
    /// realm and client role, and a <c>groups</c> claim per group the identity does not have yet. Groups
    /// are not roles unless <c>Bff:Groups:RolePrefix</c> is set (then prefixed).
    /// </summary>
    void AddClaims(ClaimsIdentity identity, KeycloakAuthorization authorization, string issuer);
}
