namespace Bff.DevIdp.Mappers;

/// <summary>
/// A Keycloak client scope: a name a client asks for (or always gets), whether that name shows in the token's
/// <c>scope</c> claim, and the protocol mappers that decide what its claims are.
/// </summary>
internal sealed record ClientScope(string Name, bool IncludeInTokenScope, IReadOnlyList<ProtocolMapperDefinition> Mappers);

/// <summary>Where a claim can go. Keycloak's mappers say per target, in their config, whether their claim goes there.</summary>
internal enum ClaimTarget
{
    IdToken,
    AccessToken,
    UserInfo,
    Introspection,
}

/// <summary>One protocol mapper of a client scope or client, as the realm file states it.</summary>
internal sealed record ProtocolMapperDefinition(string Name, string Type, IReadOnlyDictionary<string, string> Config)
{
    public string? Get(string key) => Config.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    /// <summary>Keycloak reads its boolean config as <c>"true".equals(value)</c>: anything else is false.</summary>
    public bool Is(string key) => string.Equals(Get(key), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether this mapper's claim goes to <paramref name="target"/>. Keycloak's defaults when a key is absent:
    /// userinfo follows the ID token, introspection follows the access token, and a few mappers (audience resolve,
    /// allowed origins) count an absent access/introspection key as on. A lightweight access token takes only
    /// mappers marked <c>lightweight.claim</c>.
    /// </summary>
    public bool IncludesIn(ClaimTarget target, bool lightweightAccessToken)
    {
        if (!MapperTypes.Supports(Type, target))
        {
            return false;
        }

        return target switch
        {
            ClaimTarget.IdToken => Is("id.token.claim"),
            ClaimTarget.AccessToken => lightweightAccessToken ? Is("lightweight.claim") : AccessToken(),
            ClaimTarget.UserInfo => Get("userinfo.token.claim") is null ? Is("id.token.claim") : Is("userinfo.token.claim"),
            ClaimTarget.Introspection => Get("introspection.token.claim") is null ? AccessToken() : Is("introspection.token.claim"),
            _ => false,
        };
    }

    private bool AccessToken() =>
        Get("access.token.claim") is null ? MapperTypes.AccessTokenByDefault(Type) : Is("access.token.claim");
}
