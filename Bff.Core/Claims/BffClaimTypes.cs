namespace Bff.Claims;

/// <summary>The claim types the BFF puts on the signed-in principal.</summary>
public static class BffClaimTypes
{
    /// <summary>The role claim type (the principal's <c>RoleClaimType</c>); Keycloak realm and client roles land here (groups only under <c>Bff:Groups:RolePrefix</c>).</summary>
    public const string Role = "role";

    /// <summary>The name claim type (the principal's <c>NameClaimType</c>).</summary>
    public const string Name = "preferred_username";

    /// <summary>A Keycloak group path as given, e.g. <c>/staff/engineering</c>.</summary>
    public const string Group = "groups";

    /// <summary>The id of the local user the login was mapped to (see <c>IUserStore</c>).</summary>
    public const string UserId = "bff_user_id";
}
