using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Bff.Claims.Internal;

/// <summary>
/// The default <see cref="IKeycloakClaimsMapper"/>: realm and client roles become role claims, groups
/// become <c>groups</c> claims, and roles too only under <see cref="BffGroupOptions.RolePrefix"/>.
/// </summary>
internal sealed class KeycloakClaimsMapper : IKeycloakClaimsMapper
{
    private readonly IOptionsMonitor<BffGroupOptions>? _options;

    /// <summary>A mapper that never turns groups into roles.</summary>
    public KeycloakClaimsMapper()
    {
    }

    /// <summary>A mapper that follows <c>Bff:Groups</c>.</summary>
    public KeycloakClaimsMapper(IOptionsMonitor<BffGroupOptions> options) => _options = options;

    public KeycloakAuthorization Read(JsonElement tokenPayload, string clientId)
    {
        if (tokenPayload.ValueKind != JsonValueKind.Object)
        {
            return KeycloakAuthorization.Empty;
        }

        var realmRoles = tokenPayload.TryGetProperty("realm_access", out var realm) ? Roles(realm) : [];
        var clientRoles = !string.IsNullOrEmpty(clientId)
            && tokenPayload.TryGetProperty("resource_access", out var resources)
            && resources.ValueKind == JsonValueKind.Object
            && resources.TryGetProperty(clientId, out var client)
                ? Roles(client)
                : [];
        var groups = tokenPayload.TryGetProperty("groups", out var groupsElement) ? Strings(groupsElement) : [];
        return new KeycloakAuthorization(realmRoles, clientRoles, groups);
    }

    public void AddClaims(ClaimsIdentity identity, KeycloakAuthorization authorization, string issuer)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(authorization);
        foreach (var role in authorization.RoleNames)
        {
            if (!identity.HasClaim(identity.RoleClaimType, role))
            {
                identity.AddClaim(new Claim(identity.RoleClaimType, role, ClaimValueTypes.String, issuer));
            }
        }

        var rolePrefix = _options?.CurrentValue.RolePrefix;
        foreach (var group in authorization.Groups)
        {
            if (!identity.HasClaim(BffClaimTypes.Group, group))
            {
                identity.AddClaim(new Claim(BffClaimTypes.Group, group, ClaimValueTypes.String, issuer));
            }

            // Only under an explicit prefix: a group named like a role must not grant that role.
            if (!string.IsNullOrEmpty(rolePrefix) && !identity.HasClaim(identity.RoleClaimType, rolePrefix + group))
            {
                identity.AddClaim(new Claim(identity.RoleClaimType, rolePrefix + group, ClaimValueTypes.String, issuer));
            }
        }
    }

    private static List<string> Roles(JsonElement access) =>
        access.ValueKind == JsonValueKind.Object && access.TryGetProperty("roles", out var roles) ? Strings(roles) : [];

    // A single string is accepted as a one-element list: some mappers emit single-valued claims that way.
    private static List<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => [.. element.EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.String)
            .Select(e => e.GetString()!)
            .Where(s => s.Length > 0)],
        JsonValueKind.String when element.GetString() is { Length: > 0 } single => [single],
        _ => [],
    };
}
