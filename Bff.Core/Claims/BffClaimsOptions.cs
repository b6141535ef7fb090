namespace Bff.Claims;

/// <summary>Where the signed-in user's roles come from, bound from <c>Bff:Claims</c>.</summary>
public sealed class BffClaimsOptions
{
    /// <summary>
    /// The source of the roles (<c>realm_access</c>, <c>resource_access</c>) and groups read at sign-in
    /// (<c>Bff:Claims:RolesSource</c>). Defaults to <see cref="BffRolesSource.Auto"/>.
    /// </summary>
    public BffRolesSource RolesSource { get; set; } = BffRolesSource.Auto;
}

/// <summary>Where roles are read at sign-in. They are stored with the session, never fetched per request.</summary>
public enum BffRolesSource
{
    /// <summary>
    /// The access token when it carries <c>realm_access</c> or <c>resource_access</c>; otherwise (a lightweight
    /// or opaque access token) token introspection when the client is confidential and the provider advertises
    /// an introspection endpoint, else userinfo.
    /// </summary>
    Auto = 0,

    /// <summary>Only the access token (no roles when it carries none).</summary>
    AccessToken = 1,

    /// <summary>The provider's token introspection of the access token (a confidential client).</summary>
    Introspection = 2,

    /// <summary>The provider's userinfo response (a mapper must release the roles there).</summary>
    UserInfo = 3,
}
