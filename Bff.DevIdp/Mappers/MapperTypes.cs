namespace Bff.DevIdp.Mappers;

/// <summary>
/// The OpenID Connect protocol mapper types the DevIdp runs (Keycloak's provider ids), and which tokens each type
/// can write to: Keycloak's mapper classes implement one interface per target, so a flag for a target the class does
/// not implement has no effect there.
/// </summary>
internal static class MapperTypes
{
    public const string UserProperty = "oidc-usermodel-property-mapper";
    public const string UserAttribute = "oidc-usermodel-attribute-mapper";
    public const string FullName = "oidc-full-name-mapper";
    public const string RealmRoles = "oidc-usermodel-realm-role-mapper";
    public const string ClientRoles = "oidc-usermodel-client-role-mapper";
    public const string GroupMembership = "oidc-group-membership-mapper";
    public const string Audience = "oidc-audience-mapper";
    public const string AudienceResolve = "oidc-audience-resolve-mapper";
    public const string HardcodedClaim = "oidc-hardcoded-claim-mapper";
    public const string HardcodedRole = "oidc-hardcoded-role-mapper";
    public const string RoleName = "oidc-role-name-mapper";
    public const string AllowedOrigins = "oidc-allowed-origins-mapper";
    public const string Acr = "oidc-acr-mapper";
    public const string Sub = "oidc-sub-mapper";
    public const string UserSessionNote = "oidc-usersessionmodel-note-mapper";
    public const string Address = "oidc-address-mapper";
    public const string OrganizationMembership = "oidc-organization-membership-mapper";

    private static readonly ClaimTarget[] All = [ClaimTarget.IdToken, ClaimTarget.AccessToken, ClaimTarget.UserInfo, ClaimTarget.Introspection];
    private static readonly ClaimTarget[] AccessAndIntrospection = [ClaimTarget.AccessToken, ClaimTarget.Introspection];

    private static readonly Dictionary<string, ClaimTarget[]> Targets = new(StringComparer.Ordinal)
    {
        [UserProperty] = All,
        [UserAttribute] = All,
        [FullName] = All,
        [RealmRoles] = All,
        [ClientRoles] = All,
        [GroupMembership] = All,
        [Audience] = [ClaimTarget.IdToken, ClaimTarget.AccessToken, ClaimTarget.Introspection],
        [AudienceResolve] = AccessAndIntrospection,
        [HardcodedClaim] = All,

        // These two change the roles the role mappers see; they write no claim of their own.
        [HardcodedRole] = AccessAndIntrospection,
        [RoleName] = AccessAndIntrospection,
        [AllowedOrigins] = AccessAndIntrospection,
        [Acr] = [ClaimTarget.IdToken, ClaimTarget.AccessToken, ClaimTarget.Introspection],
        [Sub] = AccessAndIntrospection,
        [UserSessionNote] = All,
        [Address] = All,

        // Organizations are not modelled by the DevIdp: the mapper is known (no warning) and finds no membership.
        [OrganizationMembership] = All,
    };

    public static bool IsKnown(string type) => Targets.ContainsKey(type);

    public static bool Supports(string type, ClaimTarget target) =>
        Targets.TryGetValue(type, out var targets) && targets.Contains(target);

    /// <summary>Audience resolve and allowed origins predate the access token switch: absent means on.</summary>
    public static bool AccessTokenByDefault(string type) => type is AudienceResolve or AllowedOrigins;
}
