namespace Bff.Claims;

/// <summary>The claim types the BFF puts on the signed-in principal.</summary>
public static class BffClaimTypes
{
    /// <summary>The role claim type (the principal's <c>RoleClaimType</c>); Keycloak roles and groups land here.</summary>
    public const string Role = "role";

    /// <summary>The name claim type (the principal's <c>NameClaimType</c>).</summary>
    public const string Name = "preferred_username";

    /// <summary>A Keycloak group path as given, e.g. <c>/staff/engineering</c>.</summary>
    public const string Group = "groups";

    /// <summary>The id of the local user the login was mapped to (see <c>IUserStore</c>).</summary>
    public const string UserId = "bff_user_id";
}
