using System.Text.Json.Serialization;

namespace Bff.DevIdp.Realms;

// The subset of Keycloak's realm export format that the DevIdp understands. Unknown keys are ignored here
// (Keycloak itself is strict), so a realm file that imports into Keycloak always loads here too.

internal sealed class RealmRepresentation
{
    public string? Realm { get; set; }
    public bool? Enabled { get; set; }
    public int? AccessTokenLifespan { get; set; }
    public int? SsoSessionIdleTimeout { get; set; }
    public int? SsoSessionMaxLifespan { get; set; }
    public int? ClientSessionIdleTimeout { get; set; }
    public int? ClientSessionMaxLifespan { get; set; }
    public bool? RevokeRefreshToken { get; set; }
    public int? RefreshTokenMaxReuse { get; set; }
    public bool? LoginWithEmailAllowed { get; set; }
    public RolesRepresentation? Roles { get; set; }
    public List<GroupRepresentation>? Groups { get; set; }
    public List<ClientRepresentation>? Clients { get; set; }
    public List<UserRepresentation>? Users { get; set; }
    public List<ClientScopeRepresentation>? ClientScopes { get; set; }
    public List<string>? DefaultDefaultClientScopes { get; set; }
    public List<string>? DefaultOptionalClientScopes { get; set; }
    public List<RequiredActionRepresentation>? RequiredActions { get; set; }

    /// <summary>Realm attributes (a string map); <c>acr.loa.map</c> is read from here.</summary>
    public Dictionary<string, string>? Attributes { get; set; }
}

internal sealed class RequiredActionRepresentation
{
    public string? Alias { get; set; }
    public string? ProviderId { get; set; }
    public bool? Enabled { get; set; }
}

internal sealed class ClientScopeRepresentation
{
    public string? Name { get; set; }
    public string? Protocol { get; set; }
    public Dictionary<string, string>? Attributes { get; set; }
    public List<ProtocolMapperRepresentation>? ProtocolMappers { get; set; }
}

internal sealed class RolesRepresentation
{
    public List<RoleRepresentation>? Realm { get; set; }
    public Dictionary<string, List<RoleRepresentation>>? Client { get; set; }
}

internal sealed class RoleRepresentation
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public bool? Composite { get; set; }
    public RoleCompositesRepresentation? Composites { get; set; }
}

internal sealed class RoleCompositesRepresentation
{
    public List<string>? Realm { get; set; }
    public Dictionary<string, List<string>>? Client { get; set; }
}

internal sealed class GroupRepresentation
{
    public string? Name { get; set; }
    public string? Path { get; set; }
    public List<GroupRepresentation>? SubGroups { get; set; }
    public List<string>? RealmRoles { get; set; }
    public Dictionary<string, List<string>>? ClientRoles { get; set; }
    public Dictionary<string, List<string>>? Attributes { get; set; }
}

internal sealed class ClientRepresentation
{
    public string? ClientId { get; set; }
    public bool? Enabled { get; set; }
    public bool? PublicClient { get; set; }
    public bool? BearerOnly { get; set; }
    public string? Secret { get; set; }
    public bool? StandardFlowEnabled { get; set; }
    public bool? DirectAccessGrantsEnabled { get; set; }
    public bool? ServiceAccountsEnabled { get; set; }
    public List<string>? RedirectUris { get; set; }
    public List<string>? WebOrigins { get; set; }
    public string? RootUrl { get; set; }
    public Dictionary<string, string>? Attributes { get; set; }
    public List<ProtocolMapperRepresentation>? ProtocolMappers { get; set; }
    public List<string>? DefaultClientScopes { get; set; }
    public List<string>? OptionalClientScopes { get; set; }
}

internal sealed class ProtocolMapperRepresentation
{
    public string? Name { get; set; }
    public string? Protocol { get; set; }
    public string? ProtocolMapper { get; set; }
    public Dictionary<string, string>? Config { get; set; }
}

internal sealed class UserRepresentation
{
    public string? Id { get; set; }
    public string? Username { get; set; }
    public bool? Enabled { get; set; }
    public string? Email { get; set; }
    public bool? EmailVerified { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? ServiceAccountClientId { get; set; }
    public Dictionary<string, List<string>>? Attributes { get; set; }
    public List<CredentialRepresentation>? Credentials { get; set; }
    public List<string>? RealmRoles { get; set; }
    public Dictionary<string, List<string>>? ClientRoles { get; set; }
    public List<string>? Groups { get; set; }
}

internal sealed class CredentialRepresentation
{
    public string? Type { get; set; }

    /// <summary>A plain password, as hand-written import files carry it.</summary>
    public string? Value { get; set; }

    /// <summary>As exports carry it: a JSON string holding <c>value</c> (the hash) and <c>salt</c>, both base64.</summary>
    public string? SecretData { get; set; }

    /// <summary>As exports carry it: a JSON string holding <c>algorithm</c>, <c>hashIterations</c> and <c>additionalParameters</c>.</summary>
    public string? CredentialData { get; set; }

    [JsonPropertyName("temporary")]
    public bool? Temporary { get; set; }
}

/// <summary>A <c>&lt;realm&gt;-users-&lt;n&gt;.json</c> file, as <c>kc.sh export --users different_files</c> writes it.</summary>
internal sealed class UsersFileRepresentation
{
    public string? Realm { get; set; }
    public List<UserRepresentation>? Users { get; set; }
}

/// <summary>The JSON inside <see cref="CredentialRepresentation.SecretData"/>.</summary>
internal sealed class PasswordSecretData
{
    public string? Value { get; set; }
    public string? Salt { get; set; }
}

/// <summary>The JSON inside <see cref="CredentialRepresentation.CredentialData"/>; parameters are lists of strings.</summary>
internal sealed class PasswordCredentialData
{
    public int? HashIterations { get; set; }
    public string? Algorithm { get; set; }
    public Dictionary<string, List<string>>? AdditionalParameters { get; set; }
}
