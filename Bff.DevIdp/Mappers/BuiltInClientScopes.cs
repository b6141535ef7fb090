namespace Bff.DevIdp.Mappers;

/// <summary>
/// The client scopes Keycloak 26 creates in a realm whose import file has no <c>clientScopes</c> (and so the ones a
/// hand-written realm file gets), with the mappers and config Keycloak gives them.
/// </summary>
internal static class BuiltInClientScopes
{
    /// <summary>Keycloak's <c>defaultDefaultClientScopes</c> of a new realm (the OpenID Connect ones).</summary>
    public static readonly IReadOnlyList<string> RealmDefaultScopes = ["profile", "email", "roles", "web-origins", "acr", "basic"];

    /// <summary>Keycloak's <c>defaultOptionalClientScopes</c> of a new realm (the OpenID Connect ones).</summary>
    public static readonly IReadOnlyList<string> RealmOptionalScopes = ["offline_access", "address", "phone", "microprofile-jwt", "organization"];

    private const string Yes = "true";

    public static IReadOnlyList<ClientScope> All { get; } =
    [
        new("profile", true,
        [
            Mapper("full name", MapperTypes.FullName, ("id.token.claim", Yes), ("access.token.claim", Yes), ("userinfo.token.claim", Yes), ("introspection.token.claim", Yes)),
            Attribute("username", "username", "preferred_username"),
            Attribute("given name", "firstName", "given_name"),
            Attribute("family name", "lastName", "family_name"),
            Attribute("middle name", "middleName", "middle_name"),
            Attribute("nickname", "nickname", "nickname"),
            Attribute("profile", "profile", "profile"),
            Attribute("picture", "picture", "picture"),
            Attribute("website", "website", "website"),
            Attribute("gender", "gender", "gender"),
            Attribute("birthdate", "birthdate", "birthdate"),
            Attribute("zoneinfo", "zoneinfo", "zoneinfo"),
            Attribute("locale", "locale", "locale"),
            Attribute("updated at", "updatedAt", "updated_at", "long"),
        ]),
        new("email", true,
        [
            Attribute("email", "email", "email"),
            Mapper("email verified", MapperTypes.UserProperty, ("user.attribute", "emailVerified"), ("claim.name", "email_verified"), ("jsonType.label", "boolean"),
                ("id.token.claim", Yes), ("access.token.claim", Yes), ("userinfo.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("address", true,
        [
            Mapper("address", MapperTypes.Address, ("id.token.claim", Yes), ("access.token.claim", Yes), ("userinfo.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("phone", true,
        [
            Attribute("phone number", "phoneNumber", "phone_number"),
            Attribute("phone number verified", "phoneNumberVerified", "phone_number_verified", "boolean"),
        ]),
        new("roles", false,
        [
            Mapper("realm roles", MapperTypes.RealmRoles, ("user.attribute", "foo"), ("claim.name", "realm_access.roles"), ("jsonType.label", "String"),
                ("multivalued", Yes), ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
            Mapper("client roles", MapperTypes.ClientRoles, ("user.attribute", "foo"), ("claim.name", "resource_access.${client_id}.roles"), ("jsonType.label", "String"),
                ("multivalued", Yes), ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
            Mapper("audience resolve", MapperTypes.AudienceResolve, ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("web-origins", false,
        [
            Mapper("allowed web origins", MapperTypes.AllowedOrigins, ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("acr", false,
        [
            Mapper("acr loa level", MapperTypes.Acr, ("id.token.claim", Yes), ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("basic", false,
        [
            Mapper("auth_time", MapperTypes.UserSessionNote, ("user.session.note", "AUTH_TIME"), ("claim.name", "auth_time"), ("jsonType.label", "long"),
                ("id.token.claim", Yes), ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
            Mapper("sub", MapperTypes.Sub, ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("offline_access", true, []),
        new("microprofile-jwt", true,
        [
            Attribute("upn", "username", "upn"),
            Mapper("groups", MapperTypes.RealmRoles, ("user.attribute", "foo"), ("claim.name", "groups"), ("jsonType.label", "String"), ("multivalued", Yes),
                ("id.token.claim", Yes), ("access.token.claim", Yes), ("userinfo.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("organization", true,
        [
            Mapper("organization", MapperTypes.OrganizationMembership, ("claim.name", "organization"), ("jsonType.label", "String"), ("multivalued", Yes),
                ("id.token.claim", Yes), ("access.token.claim", Yes), ("introspection.token.claim", Yes)),
        ]),
        new("service_account", false,
        [
            Note("Client ID", "client_id", "client_id"),
            Note("Client Host", "clientHost", "clientHost"),
            Note("Client IP Address", "clientAddress", "clientAddress"),
        ]),
    ];

    private static ProtocolMapperDefinition Attribute(string name, string attribute, string claim, string jsonType = "String") =>
        Mapper(name, MapperTypes.UserAttribute, ("user.attribute", attribute), ("claim.name", claim), ("jsonType.label", jsonType),
            ("id.token.claim", Yes), ("access.token.claim", Yes), ("userinfo.token.claim", Yes), ("introspection.token.claim", Yes));

    private static ProtocolMapperDefinition Note(string name, string note, string claim) =>
        Mapper(name, MapperTypes.UserSessionNote, ("user.session.note", note), ("claim.name", claim), ("jsonType.label", "String"),
            ("id.token.claim", Yes), ("access.token.claim", Yes), ("introspection.token.claim", Yes));

    private static ProtocolMapperDefinition Mapper(string name, string type, params (string Key, string Value)[] config) =>
        new(name, type, config.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
}
