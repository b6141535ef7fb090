namespace Bff.Claims;

/// <summary>How Keycloak groups reach the signed-in principal, bound from <c>Bff:Groups</c>.</summary>
/// <remarks>
/// Important: groups and roles are separate namespaces. Whoever may create a group, or join one
/// through self-service, could otherwise grant themselves a role by naming the group after it (a
/// top-level group <c>/admin</c> becoming the role <c>admin</c>). By default a group is only a
/// <c>groups</c> claim; authorize on it with <c>RequireClaim("groups", "/staff")</c>.
/// </remarks>
public sealed class BffGroupOptions
{
    /// <summary>
    /// When set, every group also becomes a role claim named this prefix plus the group as given,
    /// e.g. <c>group:</c> turns <c>/staff/engineering</c> into the role <c>group:/staff/engineering</c>,
    /// which no Keycloak role name can collide with unless it is given that prefix on purpose
    /// (<c>Bff:Groups:RolePrefix</c>). Defaults to empty: groups never become roles.
    /// </summary>
    public string RolePrefix { get; set; } = "";
}
