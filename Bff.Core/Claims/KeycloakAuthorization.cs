namespace Bff.Claims;

/// <summary>The roles and groups read from a Keycloak token.</summary>
/// <param name="RealmRoles">The names in <c>realm_access.roles</c>.</param>
/// <param name="ClientRoles">The names in <c>resource_access.&lt;client id&gt;.roles</c>.</param>
/// <param name="Groups">The values of <c>groups</c>, as given (full paths start with <c>/</c>).</param>
public sealed record KeycloakAuthorization(
    IReadOnlyList<string> RealmRoles,
    IReadOnlyList<string> ClientRoles,
    IReadOnlyList<string> Groups)
{
    /// <summary>No roles and no groups: what a token without Keycloak claims yields.</summary>
    public static KeycloakAuthorization Empty { get; } = new([], [], []);

    /// <summary>
    /// Every value that becomes a <c>role</c> claim: realm roles, then client roles, without
    /// duplicates. Groups are not roles (see <see cref="BffGroupOptions"/>).
    /// </summary>
    public IReadOnlyList<string> RoleNames => [.. RealmRoles.Concat(ClientRoles).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal)];
}
